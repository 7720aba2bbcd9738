"""Production settings pass Django's deployment checklist; the defaults are the safe ones.

The settings are read afresh from an environment without DEBUG or SECRET_KEY, as a server
starts (the suite itself runs with DEBUG=1, from pyproject.toml): `manage.py check --deploy` in
a new process, single values by running the settings module again. The session tests drive
the running app.
"""

import json
import os
import runpy
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.contrib.staticfiles.finders import get_finders
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from inspection.checks import static_files_collected
from inspection.middleware import REFRESHED_AT

ROOT = Path(__file__).resolve().parents[2]
# What the suite's own environment sets (DATABASE_URL on the PostgreSQL run) and must not leak.
NOT_INHERITED = (
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "TASKS_BACKEND",
    "STATIC_ROOT",
)
SECRET = {"SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop"}


def manage(*args, **env):
    environment = {name: value for name, value in os.environ.items() if name not in NOT_INHERITED}
    # `check` opens the database (the JSON field check asks it what it supports): an empty one
    # in memory, so the checks never create or open the developer's db.sqlite3 or DATABASE_URL.
    environment["DATABASE_URL"] = "sqlite://:memory:"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
    )


@pytest.fixture
def settings_under(monkeypatch):
    """The settings module's values when read with this environment (and none of
    NOT_INHERITED unless given)."""

    def read(**env) -> dict:
        for name in NOT_INHERITED:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(ROOT / "inspection" / "settings.py"))

    return read


def collected(static_root: Path) -> Path:
    """A static folder as collectstatic leaves it, as far as the deploy check reads it: a
    manifest naming every file the finders offer (collecting for real takes a minute here)."""
    names = {
        f"{storage.prefix}/{path}" if getattr(storage, "prefix", None) else path
        for finder in get_finders()
        for path, storage in finder.list(["CVS", ".*", "*~"])
    }
    static_root.mkdir(exist_ok=True)
    manifest = {"version": "1.1", "hash": "", "paths": {name: name for name in names}}
    (static_root / "staticfiles.json").write_text(json.dumps(manifest))
    return static_root


def test_check_deploy_is_clean_with_only_a_secret_key_a_host_name_and_collected_files(tmp_path):
    # DEBUG unset is production: HTTPS redirects, HSTS, secure cookies, hashed static files.
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **SECRET,
        ALLOWED_HOSTS="qi.example.org",
        STATIC_ROOT=str(collected(tmp_path / "static")),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_names_collectstatic_when_the_static_files_were_never_collected(tmp_path):
    """Without the manifest every page is a 500 with DEBUG off; the check says what to run."""
    result = manage(
        "check", "--deploy", **SECRET, ALLOWED_HOSTS="qi.example.org", STATIC_ROOT=str(tmp_path)
    )
    assert result.returncode == 1
    assert "(inspection.E001) The static files have not been collected" in result.stderr
    assert "Run `manage.py collectstatic --noinput`" in result.stderr


@pytest.fixture
def production_static(settings, tmp_path):
    """The static files storage DEBUG off uses, over an empty folder."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    return tmp_path


def test_the_check_names_static_files_collected_before_they_existed(production_static):
    manifest = collected(production_static) / "staticfiles.json"
    stored = json.loads(manifest.read_text())
    del stored["paths"]["js/scoring.js"]
    manifest.write_text(json.dumps(stored))

    [problem] = static_files_collected(None)

    assert problem.id == "inspection.E003"
    assert "1 static file is not in" in problem.msg
    assert "js/scoring.js" in problem.msg
    assert "collectstatic" in problem.hint


def test_the_check_names_an_unreadable_manifest(production_static):
    (production_static / "staticfiles.json").write_text("{not json")

    [problem] = static_files_collected(None)

    assert problem.id == "inspection.E002"


def test_the_check_is_quiet_once_every_file_is_collected(production_static):
    collected(production_static)

    assert static_files_collected(None) == []


def test_the_check_is_quiet_when_files_are_served_as_they_are(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path  # nothing collected: with DEBUG on nothing needs to be
    assert static_files_collected(None) == []


def test_debug_is_off_when_the_variable_is_unset(settings_under):
    assert settings_under(**SECRET)["DEBUG"] is False


def test_production_refuses_to_start_without_a_secret_key(settings_under):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        settings_under(DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="qi.example.org")


def test_production_refuses_the_development_key(settings_under):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        settings_under(DEBUG="0", SECRET_KEY="development-only-secret-key-not-for-production")


def test_an_unconfigured_server_refuses_to_start_rather_than_use_a_known_key(settings_under):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        settings_under()


def test_development_says_debug_and_gets_the_development_key(settings_under):
    development = settings_under(DEBUG="1")
    assert development["DEBUG"] is True
    assert development["SECRET_KEY"].startswith("development-only")


# Database connections

POSTGRES = {"DEBUG": "1", "DATABASE_URL": "postgres://qi@db.example.org:5432/qi"}


def connection_reuse(settings: dict) -> tuple[int, bool]:
    database = settings["DATABASES"]["default"]
    return database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]


def test_postgresql_connections_are_kept_for_a_minute_and_checked_before_reuse(settings_under):
    assert connection_reuse(settings_under(**POSTGRES)) == (60, True)


def test_sqlite_connections_are_not_kept(settings_under):
    assert connection_reuse(settings_under(DEBUG="1")) == (0, True)


def test_connection_age_can_be_set(settings_under):
    settings = settings_under(**POSTGRES, DATABASE_CONN_MAX_AGE="0")
    assert connection_reuse(settings) == (0, True)


# Saves that meet wait for each other on SQLite (tests/judgements/test_saving_at_once_on_sqlite.py)


def test_sqlite_saves_take_the_write_lock_at_once_and_wait_for_it_in_turn(settings_under):
    database = settings_under(DEBUG="1")["DATABASES"]["default"]
    assert database["ENGINE"] == "inspection.sqlite_backend"
    options = database["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
    assert "PRAGMA journal_mode=WAL" in options["init_command"]


def test_a_sqlite_option_in_the_database_url_is_kept(settings_under):
    database_url = "sqlite:////var/lib/qi/db.sqlite3?timeout=5"
    options = settings_under(DEBUG="1", DATABASE_URL=database_url)["DATABASES"]["default"]
    assert options["OPTIONS"]["timeout"] == 5
    assert options["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgresql_is_given_none_of_the_sqlite_options(settings_under):
    database = settings_under(**POSTGRES)["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    # psycopg would refuse to connect with an option it does not know.
    assert "OPTIONS" not in database


# Background jobs: the report PDF's export


def test_jobs_wait_in_the_database_for_the_worker_unless_told_to_run_at_once(settings_under):
    backend = settings_under(DEBUG="1")["TASKS"]["default"]["BACKEND"]
    assert backend == "django_tasks_db.DatabaseBackend"
    immediate = settings_under(DEBUG="1", TASKS_BACKEND="immediate")["TASKS"]["default"]
    assert immediate["BACKEND"] == "django.tasks.backends.immediate.ImmediateBackend"


def test_an_unknown_tasks_backend_is_refused(settings_under):
    with pytest.raises(ImproperlyConfigured, match="TASKS_BACKEND must be one of"):
        settings_under(DEBUG="1", TASKS_BACKEND="celery")


# Sessions: a working day of inactivity signs you out

WORKING_DAY = 8 * 60 * 60


def stored_session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def idle_for(client, elapsed: timedelta) -> None:
    """As if the last request was `elapsed` ago: move the session's expiry that far back."""
    session = stored_session(client)
    session.expire_date -= elapsed
    session.save()


def test_every_page_pushes_the_session_expiry_a_working_day_ahead(inspector, client):
    client.force_login(inspector)
    idle_for(client, timedelta(hours=3))
    response = client.get(reverse("my-inspections"))
    assert response.cookies["sessionid"]["max-age"] == WORKING_DAY
    left = stored_session(client).expire_date - timezone.now()
    assert timedelta(hours=7, minutes=59) < left <= timedelta(hours=8)


def test_a_session_idle_for_just_under_a_working_day_is_still_signed_in(inspector, client):
    client.force_login(inspector)
    idle_for(client, timedelta(hours=7, minutes=59))
    assert client.get(reverse("my-inspections")).status_code == 200


def test_a_session_idle_for_a_working_day_must_sign_in_again(inspector, client):
    client.force_login(inspector)
    idle_for(client, timedelta(hours=8, seconds=1))
    response = client.get(reverse("my-inspections"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_expiry_is_pushed_back_at_most_every_five_minutes_not_on_every_page(inspector, client):
    """Each push is a database write: a page within five minutes of the last one writes none,
    and the next after five minutes pushes the expiry a working day ahead again."""
    client.force_login(inspector)
    client.get(reverse("my-inspections"))
    idle_for(client, timedelta(minutes=4))
    before = stored_session(client).expire_date
    client.get(reverse("my-inspections"))
    assert stored_session(client).expire_date == before

    session = client.session
    session[REFRESHED_AT] -= 5 * 60
    session.save()
    client.get(reverse("my-inspections"))
    left = stored_session(client).expire_date - timezone.now()
    assert timedelta(hours=7, minutes=59) < left <= timedelta(hours=8)
