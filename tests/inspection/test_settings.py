"""Production settings pass Django's deployment checklist; the defaults are the safe ones.

Each test starts manage.py in a fresh process, as a server would start, from an environment
without DEBUG or SECRET_KEY (the suite itself runs with DEBUG=1, set in pyproject.toml).
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_INHERITED = ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "SECRET_KEY")


def manage(*args, **env):
    environment = {name: value for name, value in os.environ.items() if name not in NOT_INHERITED}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
    )


def setting(name: str, **env) -> str:
    """The value of a setting as a fresh process started with this environment sees it."""
    code = f"from django.conf import settings; print(repr(settings.{name}))"
    result = manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


SECRET = {"SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop"}
PRODUCTION = {**SECRET, "DEBUG": "0", "ALLOWED_HOSTS": "qi.example.org"}


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_when_the_variable_is_unset():
    assert setting("DEBUG", **SECRET) == "False"


def test_check_deploy_is_clean_without_saying_debug_at_all():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **SECRET, ALLOWED_HOSTS="qi.example.org"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="qi.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_an_unconfigured_server_refuses_to_start_rather_than_run_with_a_known_key():
    result = manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_development_says_debug_and_gets_the_development_key():
    assert setting("DEBUG", DEBUG="1") == "True"
    assert "development-only" in setting("SECRET_KEY", DEBUG="1")
