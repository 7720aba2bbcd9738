"""Exit 0 if the PostgreSQL server in DATABASE_URL answers, 1 (with the reason) if not."""

import os
import sys

import dj_database_url
import psycopg2

config = dj_database_url.parse(os.environ["DATABASE_URL"])
try:
    psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
        connect_timeout=5,
    ).close()
except psycopg2.OperationalError as error:
    print(f"PostgreSQL: {str(error).strip()}", file=sys.stderr)
    sys.exit(1)
