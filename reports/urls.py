"""The report's pages arrive with the review and editor issues."""

urlpatterns: list = []
