#!/usr/bin/env bash
# Run a command (the test suite, the benchmarks) with a PostgreSQL server: TEST_DATABASE_URL when it
# is set; otherwise a throwaway server started here when this machine can (Debian's postgresql
# package installed), stopped afterwards. Without one, PostgreSQL tests skip, unless
# BEDSIDE_REQUIRE_POSTGRES=1 (CI), which makes them fail.
set -uo pipefail
cd "$(dirname "$0")/.."
pgdir=""
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  pgdir=$(mktemp -d /tmp/bedside-pg.XXXXXX) && chmod 755 "$pgdir"
  if url=$(tests/postgres.sh start "$pgdir/pg"); then
    export TEST_DATABASE_URL="$url"
    echo "PostgreSQL for the tests: $url"
  else
    echo "no PostgreSQL server could be started here: its tests skip, its benchmarks are left out" >&2
  fi
fi
QT_QPA_PLATFORM=offscreen "$@"
rc=$?
if [ -n "$pgdir" ]; then
  tests/postgres.sh stop "$pgdir/pg"
  rm -rf "$pgdir"
fi
exit $rc
