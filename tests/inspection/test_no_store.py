"""Case data stays off shared machines: nothing sent to a signed-in person is kept by the
browser or a proxy (Cache-Control: no-store), downloads included; static files, which hold no
case data, keep their caching. Every URL of the app, for every signed-in persona, is checked
by tests/test_url_permissions.py."""

import pytest
from django.urls import reverse


def cache_control(response) -> str:
    return response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "url_name", ["my-inspections", "inspection-overview", "case-list", "answers-csv"]
)
def test_signed_in_pages_and_downloads_are_never_stored(case, as_persona, url_name):
    args = [] if url_name == "my-inspections" else ["northshire"]

    response = as_persona("inspector").get(reverse(url_name, args=args))

    assert response.status_code == 200
    assert "no-store" in cache_control(response)
    assert "private" in cache_control(response)


def test_the_answers_download_is_not_stored_even_while_it_streams(case, as_persona):
    response = as_persona("lead").get(reverse("answers-xlsx", args=["northshire"]))

    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in cache_control(response)


def test_the_sign_in_page_is_never_stored_either(client):
    assert "no-store" in cache_control(client.get(reverse("login")))


def test_static_files_keep_their_caching(inspector, client, settings):
    settings.WHITENOISE_USE_FINDERS = True  # as with DEBUG on; with it off, after collectstatic
    client.force_login(inspector)

    response = client.get("/static/css/app.css")

    assert response.status_code == 200
    assert "no-store" not in cache_control(response)
    assert "max-age=" in cache_control(response)
