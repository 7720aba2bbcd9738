"""Five wrong passwords for one username from one address lock that pair out for 30 minutes
(django-axes, configured in inspection/settings.py), with a page that says so."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

RIGHT = "correct horse battery staple"  # tests/factories.py gives every user this password
LOCKED_OUT = 429
OFFICE, ELSEWHERE = "192.0.2.10", "198.51.100.7"


@pytest.fixture
def sign_in(client):
    """Post the sign-in form as a browser at `address` would; returns the response."""

    def post(username: str, password: str, address: str = OFFICE):
        return client.post(
            reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
        )

    return post


def fail(sign_in, times: int, username: str = "ivy", address: str = OFFICE):
    return [sign_in(username, "wrong", address) for _ in range(times)]


def signed_in(client) -> bool:
    return client.get(reverse("my-inspections")).status_code == 200


def test_four_wrong_passwords_still_show_the_sign_in_form(inspector, sign_in, client):
    responses = fail(sign_in, 4)
    assert [response.status_code for response in responses] == [200] * 4
    assert "There is a problem" in responses[-1].content.decode()
    assert sign_in("ivy", RIGHT).status_code == 302
    assert signed_in(client)


def test_the_fifth_wrong_password_locks_the_account_out_with_a_page_saying_when(inspector, sign_in):
    *_, fifth = fail(sign_in, 5)
    page = fifth.content.decode()
    assert fifth.status_code == LOCKED_OUT
    assert "You cannot sign in for now" in page
    assert "The password was wrong 5 times in a row for <strong>ivy</strong>" in page
    assert "You can try again in 30 minutes." in page
    assert "govuk-heading-l" in page  # the service's own layout, not axes' bare text


def test_after_five_wrong_passwords_even_the_right_one_is_refused(inspector, sign_in, client):
    fail(sign_in, 5)
    sixth = sign_in("ivy", RIGHT)
    assert sixth.status_code == LOCKED_OUT
    assert "You cannot sign in for now" in sixth.content.decode()
    assert not signed_in(client)


def test_the_lockout_page_carries_the_content_security_policy(inspector, sign_in):
    *_, fifth = fail(sign_in, 5)
    assert "default-src 'self'" in fifth.headers["Content-Security-Policy"]


def test_the_lockout_is_for_that_username_from_that_address_only(inspector, lead, sign_in):
    fail(sign_in, 5)
    assert sign_in("ivy", RIGHT, address=ELSEWHERE).status_code == 302
    assert sign_in("lena", RIGHT).status_code == 302


def test_the_right_password_works_again_after_30_minutes(inspector, sign_in, client):
    fail(sign_in, 5)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=31)
    )
    assert sign_in("ivy", RIGHT).status_code == 302
    assert signed_in(client)


def test_signing_in_clears_the_count_of_wrong_passwords(inspector, sign_in, client):
    fail(sign_in, 4)
    assert sign_in("ivy", RIGHT).status_code == 302
    client.logout()
    assert [response.status_code for response in fail(sign_in, 4)] == [200] * 4


def test_wrong_passwords_for_a_username_that_does_not_exist_are_locked_out_too(db, sign_in):
    *_, fifth = fail(sign_in, 5, username="nobody")
    assert fifth.status_code == LOCKED_OUT


def test_personas_still_sign_in_with_force_login(inspector, client):
    # force_login checks no password, so axes counts nothing, however often tests call it.
    for _ in range(6):
        client.force_login(inspector)
    assert signed_in(client)
