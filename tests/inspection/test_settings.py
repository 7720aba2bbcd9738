"""Production settings pass Django's deployment checklist; the defaults suit development."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    # `check` opens the database (the JSON field check asks it what it supports): an empty one
    # in memory, so the checks never create or open the developer's db.sqlite3 or DATABASE_URL.
    environment = {**os.environ, "DATABASE_URL": "sqlite://:memory:", **env}
    for test_only in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(test_only, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "qi.example.org",
}


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="qi.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
