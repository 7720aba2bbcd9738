"""The report's domain chapters, which the enablers and barriers tables (reports.tables) and
the document (reports.document) are both laid out by: the outcome domains that have a chapter,
and whose work each of its three sections is about.
"""

from django.db import models

# The framework domains the report gives a chapter, each ending its three sections with an
# enablers and barriers table: "whether: reducing reoffending, protecting the public, abiding
# by the sentence" (Appendix 1, the three outcome domains). Codes of the framework's domains.
OUTCOME_DOMAINS = ["RR", "PP", "AB"]


class Perspective(models.TextChoices):
    """Whose work a section (and its table) is about: each domain chapter has a section on the
    CRC, one on the NPS and one on the two working together (sections x.1, x.2 and x.3 of the
    report)."""

    CRC = "CRC", "Community Rehabilitation Company"
    NPS = "NPS", "National Probation Service"
    JOINT = "joint", "Working together"
