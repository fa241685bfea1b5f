#!/usr/bin/env bash
# `make test`: the whole suite. PostgreSQL tests use TEST_DATABASE_URL when it is set; otherwise a
# throwaway server is started here when this machine can (Debian's postgresql package installed).
# With BEDSIDE_REQUIRE_POSTGRES=1 (CI) a missing server is a failure, not a skip.
set -uo pipefail
cd "$(dirname "$0")/.."
pgdir=""
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  pgdir=$(mktemp -d /tmp/bedside-pg.XXXXXX) && chmod 755 "$pgdir"
  if url=$(tests/postgres.sh start "$pgdir/pg"); then
    export TEST_DATABASE_URL="$url"
    echo "PostgreSQL for the tests: $url"
  else
    echo "PostgreSQL tests will be skipped: no server could be started here" >&2
  fi
fi
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "$@"
rc=$?
if [ -n "$pgdir" ]; then
  tests/postgres.sh stop "$pgdir/pg"
  rm -rf "$pgdir"
fi
exit $rc
