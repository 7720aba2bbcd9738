"""Personas, as healthchecks has Alice, Bob and Charlie, and the guard that keeps every test
on the test database.

- inspector: Ivy, an inspector on the Northshire inspection, assigned its case NS-001
- other_inspector: Otto, an inspector on a different inspection only
- lead: Lena, the lead inspector of Northshire
- editor: Ed, the editor of Northshire
- admin: Ada, a staff administrator on no team
"""

import fcntl
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
from hypothesis import settings as hypothesis_settings

from inspection.context_processors import navigation_remember
from inspection.middleware import REFRESHED_AT
from inspection.models import Role
from judgements.framework import forget_frameworks
from tests.database_snapshots import database_baseline_keep, database_baseline_restore
from tests.factories import CaseFactory, InspectionFactory, MembershipFactory, UserFactory

# Hypothesis fails an example that takes longer than its deadline (200 ms): on a machine shared
# by several workers that is the load, not the code. The properties keep their examples.
hypothesis_settings.register_profile("suite", deadline=None)
hypothesis_settings.load_profile("suite")

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
        if database["ENGINE"] in ("django.db.backends.sqlite3", settings.SQLITE_ENGINE):
            # pytest-django's SQLite test database is in memory, whatever NAME says; named
            # ":memory:" outright, as otherwise pytest-xdist would name each worker's after
            # this placeholder (our backend is not the sqlite3 engine it leaves alone).
            database["NAME"] = f"file:{NO_TEST_DATABASE_YET}?mode=memory"
            test["NAME"] = test.get("NAME") or ":memory:"
        else:
            test["NAME"] = test.get("NAME") or TEST_DATABASE_PREFIX + database["NAME"]
            database["NAME"] = NO_TEST_DATABASE_YET
            # A test database is thrown away: a commit need not wait for the disk (the
            # transactional tests commit every request).
            options = database.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()
            _flush_by_deleting()
    connection_created.connect(refuse_the_database_before_the_test_database)


def _flush_by_deleting() -> None:
    """Empty the PostgreSQL test database's tables with DELETE, not TRUNCATE, as a
    transactional test ends: TRUNCATE makes new files for every table and index (a quarter
    of a second for 57 nearly empty tables, against a fiftieth). The foreign keys are
    deferred, so one transaction deletes the tables in any order."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncating = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncating(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {self.quote_name(t)};" for t in tables]

    DatabaseOperations.sql_flush = sql_flush


def refuse_the_database_before_the_test_database(sender, connection, **kwargs):
    if NO_TEST_DATABASE_YET not in str(connection.settings_dict["NAME"]):
        return
    connection.connection.close()
    connection.connection = None  # so the next attempt is refused too, not run on nothing
    raise RuntimeError(
        "A test reached the database before pytest-django created the test database: "
        "mark the tests that use it with @pytest.mark.django_db (or ask for `db`)."
    )


def _flushes_the_database(item) -> bool:
    """Whether the test ran as a TransactionTestCase, which empties every table as it ends."""
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    fixtures = set(getattr(item, "fixturenames", ()))
    return transactional or bool(fixtures & {"transactional_db", "live_server"})


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put back what the data migrations put in (the Q&I 2016 framework) once a transactional
    test has flushed it. In one process pytest-django runs those tests last; a pytest-xdist
    worker runs the files in the order it is sent them, so a file's tests may follow a flush."""
    result = yield
    # After the last test the test database is gone with the session's fixtures.
    if _flushes_the_database(item) and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        from judgements.framework_loader import load_framework, read_framework_file
        from judgements.models import Framework

        with item.config.stash[blocking_manager_key].unblock():
            # The migrated rows as they were, ids and all (tests/database_snapshots.py), so a
            # demo loaded onto them is put back rather than loaded again.
            restored = database_baseline_restore()
            if not restored and not Framework.objects.filter(code="qi-2016").exists():
                load_framework(read_framework_file("qi-2016"))
            forget_frameworks()
    return result


@pytest.fixture(autouse=True)
def migrated_rows_kept(request):
    """Before the first test in a process that will flush the database, keep its migrated
    rows, to put back after each flush (pytest_runtest_teardown)."""
    if _flushes_the_database(request.node):
        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            database_baseline_keep()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The browser tests' files first, in their random order, then the others in theirs.

    pytest-xdist hands each worker a file at a time in this order (scripts/test.sh passes
    --no-loadscope-reorder, which would otherwise put the files with most tests first and the
    browser's few long tests last): a long file left to the end keeps one worker busy while
    the other waits."""
    items.sort(key=lambda item: "/browser/" not in item.nodeid.replace("\\", "/"))


def pytest_terminal_summary(terminalreporter, config):
    """Repeat the random order's seed at the end, beside any failure it helps reproduce."""
    seed = getattr(config.option, "randomly_seed", None)
    if isinstance(seed, int):
        terminalreporter.write_line(f"Tests ran in random order: --randomly-seed={seed} repeats it")


# A migrated test database kept in a file, for `make mutation` and `make test`: mutmut runs the
# tests once per mutant (about a thousand runs), and `make test` in a worker per CPU, and
# migrating a new database (the qi-2016 framework is loaded by a data migration) was most of
# each run's seconds. The first run migrates as usual and saves the result here, while the
# others wait for it (a lock beside the file); every later run copies it into its own
# in-memory database, so runs side by side never share one and each starts from the migrated
# state. scripts/test.sh names a new file for each `make test`, so it is never an old one.
# Unset otherwise.
DATABASE_TEMPLATE = os.environ.get("TEST_DATABASE_TEMPLATE")

if DATABASE_TEMPLATE:

    @pytest.fixture(scope="session")
    def django_db_setup(request, django_test_environment, django_db_blocker):
        from django.db import connection
        from django.test.utils import setup_databases, teardown_databases

        assert connection.vendor == "sqlite", "TEST_DATABASE_TEMPLATE is for SQLite only"
        template = Path(DATABASE_TEMPLATE)
        verbosity = request.config.option.verbose
        lock = template.with_name(f"{template.name}.lock").open("w")
        with django_db_blocker.unblock(), lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
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


@pytest.fixture(scope="session", autouse=True)
def static_files_read_once():
    """WhiteNoise reads the headers of every static file (about a thousand: GOV.UK Frontend's
    fonts and images) as each test client's first request loads the middleware, about a fifth
    of a second a client. Read once a process for each folder and way of serving it, and
    shared; what each request is sent is WhiteNoise's own, unchanged."""
    from whitenoise.base import WhiteNoise

    original = WhiteNoise.update_files_dictionary
    read: dict[tuple, dict] = {}

    def read_once(self, root, prefix):
        key = (
            type(self),
            root,
            prefix,
            os.stat(root).st_mtime_ns,
            self.max_age,
            self.allow_all_origins,
            self.charset,
            self.index_file,
            self.add_headers_function,
            self.__dict__.get("immutable_file_test"),
            repr(settings.STORAGES),
        )
        if key not in read:
            kept, self.files = self.files, {}
            try:
                original(self, root, prefix)
                read[key] = self.files
            finally:
                self.files = {**kept, **self.files}
            return
        self.files.update(read[key])

    WhiteNoise.update_files_dictionary = read_once
    yield
    WhiteNoise.update_files_dictionary = original


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's deliberate slowness protects real passwords; tests need none of it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def database_for_threads(transactional_db, tmp_path):
    """A database that threads can write to at once, as the requests of a server do.

    PostgreSQL's test database already is one. The SQLite test database is in memory, where a
    thread's own connection meets the others in SQLite's shared cache, whose table locks fail
    at once rather than wait: so on SQLite the test runs on a file copied from it (its own, in
    this worker's tmp_path), opened with the settings `make run` serves with, and the memory
    database comes back after. Ask for it before any fixture that writes rows (usefixtures),
    so that they are written to the file the threads read."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    memory, name = connection.connection, connection.settings_dict["NAME"]
    file = tmp_path / "threads.sqlite3"
    with closing(sqlite3.connect(file)) as copy:
        memory.backup(copy)
    # close() leaves an in-memory database open (closing it would lose it), so it is set
    # aside by hand and put back after.
    connection.connection = None
    connection.settings_dict["NAME"] = str(file)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory
