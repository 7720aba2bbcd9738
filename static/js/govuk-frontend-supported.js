// Loaded first thing in <body> (templates/base.html), before anything is drawn: tells GOV.UK
// Frontend's styles that JavaScript runs here, and whether its components are supported.
// GOV.UK Frontend's own page template does this inline, which our Content Security Policy
// forbids (no 'unsafe-inline'), so it lives in this file.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
