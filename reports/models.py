"""Report composition and the PDF arrive with the findings and editor issues."""
