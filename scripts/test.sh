#!/usr/bin/env bash
# Runs the suite on SQLite, then on PostgreSQL. Called by `make test` (see the README).
#   POSTGRES_URL      where the PostgreSQL half runs (default: the local server, user postgres)
#   REQUIRE_POSTGRES  1 = a PostgreSQL server that does not answer is a failure (CI sets it)
#   REQUIRE_BROWSER   1 = a missing Chromium fails the browser tests instead of skipping them
#   TEST_SEED         the seed of the random test order (default: a new one each run); both
#                     halves use it, and it is printed first, so a failure can be repeated
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
POSTGRES_URL=${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/qi_inspections}
TEST_SEED=${TEST_SEED:-$(((RANDOM << 15) | RANDOM))}
PYTEST=("$PY" -m pytest -p randomly --randomly-seed="$TEST_SEED")

echo "== Tests in random order: TEST_SEED=$TEST_SEED make test repeats it"
echo "== Test suite on SQLite"
env -u DATABASE_URL "${PYTEST[@]}" "$@"

echo "== Test suite on PostgreSQL ($POSTGRES_URL)"
if ! DATABASE_URL="$POSTGRES_URL" "$PY" scripts/postgres_answers.py; then
  if [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "PostgreSQL does not answer at $POSTGRES_URL and REQUIRE_POSTGRES=1: failing." >&2
    exit 1
  fi
  echo "PostgreSQL does not answer at $POSTGRES_URL: the PostgreSQL half is SKIPPED."
  echo "(Start it, e.g. 'pg_ctlcluster 15 main start', or set POSTGRES_URL, to run it.)"
  exit 0
fi
DATABASE_URL="$POSTGRES_URL" "${PYTEST[@]}" "$@"
