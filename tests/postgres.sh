#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test run (Debian's postgresql package; root, as in CI).
#   tests/postgres.sh start DIR   → starts a cluster in DIR on a free loopback port, prints its URL
#   tests/postgres.sh restart DIR (mid-test: every client's connection dropped)
#   tests/postgres.sh stop DIR
# initdb refuses to run as root, so the cluster runs as the `postgres` user.
set -euo pipefail
cmd=${1:?start or stop}; dir=${2:?directory}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pgbin" ] || { echo "no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 3; }
# As root the server runs as `postgres`, from / (it may not be allowed into the current directory).
run() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
case "$cmd" in
  start)
    mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    run "$pgbin/initdb" -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
    # Every role is trusted, except the members of bedside_password_login: they sign in with their
    # password over TCP (scram-sha-256), as at a site, so a test can tell that a password reached libpq.
    hba="$dir/data/pg_hba.conf"
    run sh -c "{ echo 'host all +bedside_password_login 127.0.0.1/32 scram-sha-256'; cat '$hba'; } >'$hba.new' && mv '$hba.new' '$hba'"
    run "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-k $dir -c listen_addresses=127.0.0.1 -p $port -c fsync=off -c synchronous_commit=off -c max_connections=200" \
      start >/dev/null
    echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres" ;;
  restart)  # the same server, port and data: its clients see every connection dropped
    run "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -m fast -w restart >/dev/null ;;
  stop)
    [ -d "$dir/data" ] && run "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true ;;
esac
