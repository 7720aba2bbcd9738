#!/usr/bin/env bash
# Runs the suite on SQLite, then on PostgreSQL. Called by `make test` (see the README).
#   POSTGRES_URL      where the PostgreSQL half runs (default: the local server, user postgres)
#   REQUIRE_POSTGRES  1 = a PostgreSQL server that does not answer is a failure (CI sets it)
#   REQUIRE_BROWSER   1 = a missing Chromium fails the browser tests instead of skipping them
#   REQUIRE_REFERENCE 1 = a missing ../shared/reference (or QI_REFERENCE_DIR) fails the Durham
#                     golden tests instead of skipping them (tests.helpers.reference_file)
#   TEST_SEED         the seed of the random test order (default: a new one each run); both
#                     halves use it, and it is printed first, so a failure can be repeated
#   TEST_WORKERS      how many processes run the tests side by side (pytest-xdist; default
#                     auto, one a CPU); each has its own test database. 0 runs them in this one.
# Each file's tests run in one worker (--dist loadfile), so a module's shared fixtures (the
# Durham demo, the rendered PDF) are built once; every worker uses the same seed, so the order
# of the files and of the tests in each is the seed's, with the browser's files first
# (tests/conftest.py) so that no long file is left to the end.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
POSTGRES_URL=${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/qi_inspections}
TEST_SEED=${TEST_SEED:-$(((RANDOM << 15) | RANDOM))}
TEST_WORKERS=${TEST_WORKERS:-auto}
PYTEST=("$PY" -m pytest -p randomly --randomly-seed="$TEST_SEED")
if [ "$TEST_WORKERS" != "0" ]; then
  PYTEST+=(-n "$TEST_WORKERS" --dist loadfile --no-loadscope-reorder)
fi

# Python keeps the project's compiled modules (in __pycache__, ignored by git) even where the
# machine says not to: each worker and each command a test runs would compile them again.
unset PYTHONDONTWRITEBYTECODE

started=$SECONDS
took() { local s=$((SECONDS - $1)); printf '%d min %02d s' $((s / 60)) $((s % 60)); }
# Printed however the run ends, so a failing run still says how long it took.
trap 'echo "== make test took $(took "$started") in all"' EXIT

echo "== Tests in random order: TEST_SEED=$TEST_SEED make test repeats it"
echo "== Test suite on SQLite ($TEST_WORKERS workers)"
half=$SECONDS
# The first worker migrates the test database and saves it here; the others copy it
# (TEST_DATABASE_TEMPLATE, tests/conftest.py). New each run, so never an old schema.
template=$(mktemp -d)
trap 'rm -rf "$template"; echo "== make test took $(took "$started") in all"' EXIT
env -u DATABASE_URL TEST_DATABASE_TEMPLATE="$template/test-database.sqlite3" "${PYTEST[@]}" "$@"
echo "== SQLite half took $(took "$half")"

if ! DATABASE_URL="$POSTGRES_URL" "$PY" scripts/postgres_answers.py; then
  if [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "PostgreSQL does not answer at $POSTGRES_URL and REQUIRE_POSTGRES=1: failing." >&2
    exit 1
  fi
  echo "PostgreSQL does not answer at $POSTGRES_URL: the PostgreSQL half is SKIPPED."
  echo "(Start it, e.g. 'pg_ctlcluster 15 main start', or set POSTGRES_URL, to run it.)"
  exit 0
fi
echo "== Test suite on PostgreSQL at $POSTGRES_URL ($TEST_WORKERS workers)"
half=$SECONDS
DATABASE_URL="$POSTGRES_URL" "${PYTEST[@]}" "$@"
echo "== PostgreSQL half took $(took "$half")"
