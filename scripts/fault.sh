#!/usr/bin/env bash
# `make fault`: the process-level fault drills of reliability bar B9 (kill -9 of the web process
# and of the worker, a PostgreSQL restart, Redis down) against real servers. Starts its own
# PostgreSQL and Redis like scripts/test.sh and hands the tests the commands to stop and start
# them. Takes several minutes; `make test` runs only the quick outage tests (docs/operations.md).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# A fresh machine gets the servers the drills stop and start (as scripts/test.sh does).
missing=()
for pkg in postgresql redis-server; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt-get install ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# Installs only when pyproject.toml changed since the last install (a second or less otherwise).
bash scripts/venv.sh test
export PATH="$root/.venv/bin:$PATH"

work=$(mktemp -d /tmp/qihub-fault.XXXXXX)
chmod 755 "$work"
unset DATABASE_URL REDIS_URL QIHUB_PRODUCTION QIHUB_DATA_DIR
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_dir="$work/pg"
# PostgreSQL will not run as root; on CI (root) the cluster belongs to the postgres user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_prefix=""
[ "$(id -u)" = 0 ] && pg_prefix="runuser -u postgres -- "
pg_start="${pg_prefix}$pg_bin/pg_ctl -D $pg_dir/data -l $pg_dir/server.log -w -o \"-c listen_addresses='' -k $pg_dir -c fsync=off -c full_page_writes=off\" start"
pg_stop="${pg_prefix}$pg_bin/pg_ctl -D $pg_dir/data -m fast -w stop"
redis_start="redis-server --port 0 --unixsocket $work/redis.sock --unixsocketperm 700 --save '' --appendonly no --daemonize yes --pidfile $work/redis.pid --logfile $work/redis.log"
redis_stop="redis-cli -s $work/redis.sock shutdown nosave"
stop_all() {
  [ -f "$pg_dir/data/postmaster.pid" ] && bash -c "$pg_stop" >/dev/null 2>&1 || true
  [ -S "$work/redis.sock" ] && bash -c "$redis_stop" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop_all EXIT

bash -c "$redis_start"
for _ in $(seq 50); do [ -S "$work/redis.sock" ] && break; sleep 0.1; done
mkdir -p "$pg_dir"
[ "$(id -u)" = 0 ] && chown postgres: "$pg_dir"
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U qihub -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
bash -c "$pg_start" >/dev/null
as_pg "$pg_bin/createdb" -h "$pg_dir" -U qihub qihub
socket=$(python -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$pg_dir")

mkdir -p "$work/data"
export QIHUB_DATA_DIR="$work/data"
export QIHUB_TEST_REDIS_URL="unix://$work/redis.sock?db=0"
export QIHUB_FAULT_DATABASE_URL="postgres://qihub@$socket/qihub"
export QIHUB_FAULT_PG_START="$pg_start" QIHUB_FAULT_PG_STOP="$pg_stop"
export QIHUB_FAULT_REDIS_START="$redis_start" QIHUB_FAULT_REDIS_STOP="$redis_stop"
echo "==> fault drills (PostgreSQL $pg_bin, Redis on $work/redis.sock)"
pytest -m fault -p no:cacheprovider -p no:randomly -q "$@"
