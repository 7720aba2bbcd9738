// Starts GOV.UK Frontend's components (a module script, so it runs after the page is parsed).
// The import is relative to this file: both sit under the same static URL.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
