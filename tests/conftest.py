"""Personas, as healthchecks has Alice, Bob and Charlie, and the guard that keeps every test
on the test database.

- inspector: Ivy, an inspector on the Northshire inspection, assigned its case NS-001
- other_inspector: Otto, an inspector on a different inspection only
- lead: Lena, the lead inspector of Northshire
- editor: Ed, the editor of Northshire
- admin: Ada, a staff administrator on no team
"""

import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db.backends.base.creation import TEST_DATABASE_PREFIX
from django.db.backends.signals import connection_created
from django.test import Client

from inspection.context_processors import navigation_remember
from inspection.middleware import REFRESHED_AT
from inspection.models import Role
from judgements.framework import forget_frameworks
from tests.factories import CaseFactory, InspectionFactory, MembershipFactory, UserFactory

# The database the settings name until pytest-django has created the test database.
NO_TEST_DATABASE_YET = "no-test-database-yet"


def pytest_configure(config):
    """Keep every test off the developer's own database (db.sqlite3 or DATABASE_URL).

    pytest-django creates the test database only when a collected test is marked `django_db`
    or asks for `db`; until then the settings name the developer's database, so a fixture that
    unblocks the database in a run with no such test (a module run alone) would use it. Here
    the settings name a database that cannot be used instead: for SQLite an empty one in
    memory, which `refuse_the_database_before_the_test_database` turns away, for PostgreSQL
    one that does not exist. The test database keeps the name it would have had.
    """
    for database in settings.DATABASES.values():
        test = database.setdefault("TEST", {})
        if database["ENGINE"] == "django.db.backends.sqlite3":
            # pytest-django's SQLite test database is in memory, whatever NAME says.
            database["NAME"] = f"file:{NO_TEST_DATABASE_YET}?mode=memory"
        else:
            test["NAME"] = test.get("NAME") or TEST_DATABASE_PREFIX + database["NAME"]
            database["NAME"] = NO_TEST_DATABASE_YET
    connection_created.connect(refuse_the_database_before_the_test_database)


def refuse_the_database_before_the_test_database(sender, connection, **kwargs):
    if NO_TEST_DATABASE_YET not in str(connection.settings_dict["NAME"]):
        return
    connection.connection.close()
    connection.connection = None  # so the next attempt is refused too, not run on nothing
    raise RuntimeError(
        "A test reached the database before pytest-django created the test database: "
        "mark the tests that use it with @pytest.mark.django_db (or ask for `db`)."
    )


def pytest_terminal_summary(terminalreporter, config):
    """Repeat the random order's seed at the end, beside any failure it helps reproduce."""
    seed = getattr(config.option, "randomly_seed", None)
    if isinstance(seed, int):
        terminalreporter.write_line(f"Tests ran in random order: --randomly-seed={seed} repeats it")


# A migrated test database kept in a file, for `make mutation` only: it runs the tests once
# per mutant (about a thousand runs), and migrating a new database (the qi-2016 framework is
# loaded by a data migration) was most of each run's seconds. The first run migrates as usual
# and saves the result here; every later run copies it into its own in-memory database, so
# runs side by side never share one and each starts from the migrated state. Unset otherwise.
DATABASE_TEMPLATE = os.environ.get("TEST_DATABASE_TEMPLATE")

if DATABASE_TEMPLATE:

    @pytest.fixture(scope="session")
    def django_db_setup(request, django_test_environment, django_db_blocker):
        from django.db import connection
        from django.test.utils import setup_databases, teardown_databases

        assert connection.vendor == "sqlite", "TEST_DATABASE_TEMPLATE is for SQLite only"
        template = Path(DATABASE_TEMPLATE)
        verbosity = request.config.option.verbose
        with django_db_blocker.unblock():
            if template.exists():
                old_name = connection.settings_dict["NAME"]
                test_name = connection.creation._get_test_db_name()
                settings.DATABASES[connection.alias]["NAME"] = test_name
                connection.settings_dict["NAME"] = test_name
                connection.ensure_connection()
                with closing(sqlite3.connect(template)) as source:
                    source.backup(connection.connection)
                databases = [(connection, old_name, True)]
            else:
                databases = setup_databases(
                    verbosity=verbosity, interactive=False, aliases={connection.alias}
                )
                # Written aside and renamed, so no run ever copies half a file.
                partial = template.with_name(f"{template.name}.{os.getpid()}")
                with closing(sqlite3.connect(partial)) as target:
                    connection.connection.backup(target)
                partial.replace(template)
        yield
        with django_db_blocker.unblock():
            teardown_databases(databases, verbosity=verbosity)


# Personas


@pytest.fixture
def inspection(db):
    return InspectionFactory(area_name="Northshire", slug="northshire")


@pytest.fixture
def other_inspection(db):
    return InspectionFactory(area_name="Southshire", slug="southshire")


def _member(inspection, username, role):
    return MembershipFactory(
        inspection=inspection, user=UserFactory(username=username), role=role
    ).user


@pytest.fixture
def inspector(inspection):
    return _member(inspection, "ivy", Role.INSPECTOR)


@pytest.fixture
def other_inspector(other_inspection):
    return _member(other_inspection, "otto", Role.INSPECTOR)


@pytest.fixture
def lead(inspection):
    return _member(inspection, "lena", Role.LEAD_INSPECTOR)


@pytest.fixture
def editor(inspection):
    return _member(inspection, "ed", Role.EDITOR)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada", is_staff=True, is_superuser=True)


@pytest.fixture
def case(inspection, inspector):
    return CaseFactory(inspection=inspection, case_ref="NS-001", assigned_inspector=inspector)


@pytest.fixture
def other_case(other_inspection):
    return CaseFactory(inspection=other_inspection, case_ref="SS-001")


@pytest.fixture
def as_persona(request):
    """A logged-in test client for a persona named by its fixture."""

    def login(name: str) -> Client:
        client = Client()
        client.force_login(request.getfixturevalue(name))
        # As if the sign-in page had just pushed the expiry back, as it does on a real sign in:
        # the next pages read the session without writing it (inspection/middleware.py), so a
        # page's queries are its own.
        session = client.session
        session[REFRESHED_AT] = int(time.time())
        navigation_remember(session, request.getfixturevalue(name))  # as the sign-in does
        session.save()
        return client

    return login


@pytest.fixture(autouse=True)
def empty_cache():
    """The findings and progress caches live in the process across tests, while each test's
    rows go and their ids come round again: nothing one test stores may reach the next (nor
    a framework one process keeps, judgements.framework)."""
    cache.clear()
    forget_frameworks()
    yield
    cache.clear()
    forget_frameworks()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's deliberate slowness protects real passwords; tests need none of it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
