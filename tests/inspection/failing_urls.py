"""The app's URLs and one page that fails, for the server error page's test
(tests/inspection/test_error_pages.py): no page of the app is meant to fail."""

from django.urls import include, path

FAILURE = "The failure's own message, which no visitor may read."


def fails(request):
    raise RuntimeError(FAILURE)


urlpatterns = [
    path("fails/", fails),
    path("", include("inspection.urls")),
]
