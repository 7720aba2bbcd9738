"""Pure helpers that know no models (healthchecks' hc/lib): spreadsheets in and out."""
