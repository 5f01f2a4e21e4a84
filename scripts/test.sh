#!/usr/bin/env bash
# `make test`: install what the tests need, lint, run the suite on SQLite and on a real
# PostgreSQL cluster started here, then the browser tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
start=$(date +%s)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for pkg in chromium fonts-noto-cjk postgresql redis-server; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt-get install ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

bash scripts/venv.sh test
export PATH="$root/.venv/bin:$PATH"

echo "==> ruff"
ruff check .
ruff format --check .
echo "==> mypy (workcal, clocks, deadline workflow)"
mypy

artifacts="$root/test-artifacts"
mkdir -p "$artifacts"
rm -f "$artifacts"/junit-*.xml "$artifacts"/pytest-*.log
work=$(mktemp -d /tmp/qihub-test.XXXXXX)
chmod 755 "$work"
unset DATABASE_URL REDIS_URL QIHUB_PRODUCTION QIHUB_DATA_DIR

pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_dir="$work/pg"
stop_pg() {
  if [ -f "$pg_dir/data/postmaster.pid" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null || true
  fi
}
# PostgreSQL will not run as root; on CI (root) the cluster belongs to the postgres user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_redis() {
  if [ -S "$work/redis.sock" ]; then redis-cli -s "$work/redis.sock" shutdown nosave >/dev/null 2>&1 || true; fi
}
trap 'stop_pg; stop_redis; rm -rf "$work"' EXIT

# A real Redis for the scale-mode queue tests, on a private unix socket.
redis-server --port 0 --unixsocket "$work/redis.sock" --unixsocketperm 700 --save "" \
  --appendonly no --daemonize yes --pidfile "$work/redis.pid" --logfile "$work/redis.log"
for _ in $(seq 50); do [ -S "$work/redis.sock" ] && break; sleep 0.1; done

echo "==> PostgreSQL ($pg_bin)"
mkdir -p "$pg_dir"
[ "$(id -u)" = 0 ] && chown postgres: "$pg_dir"
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U qihub -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-c listen_addresses='' -k $pg_dir -c fsync=off -c full_page_writes=off" start >/dev/null
as_pg "$pg_bin/createdb" -h "$pg_dir" -U qihub qihub
socket=$(python -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$pg_dir")

# The SQLite and PostgreSQL passes run at the same time, each spread over
# QIHUB_TEST_WORKERS pytest-xdist workers (2: the cores of the machine and of CI). Each pass
# has its own data directory (conftest.py gives each worker its own below it), its own block
# of Redis databases and its own JUnit file, so neither sees the other's files or queue.
workers=${QIHUB_TEST_WORKERS:-2}
run_pass() {  # name, Redis database of its first worker, marker expression, extra environment...
  local name=$1 redis_db=$2 markers=$3
  shift 3
  mkdir -p "$work/data-$name"
  env QIHUB_DATA_DIR="$work/data-$name" QIHUB_TEST_REDIS_URL="unix://$work/redis.sock?db=$redis_db" "$@" \
    pytest -m "$markers" -p no:cacheprovider -n "$workers" \
    --junitxml="$artifacts/junit-$name.xml" -q >"$artifacts/pytest-$name.log" 2>&1
}
echo "==> pytest on SQLite and on PostgreSQL, side by side ($workers workers each)"
# Database-agnostic heavy suites (page/API parity, API fuzz: marker one_pass) run once, on
# PostgreSQL, the production database, which also enforces lengths and constraints.
run_pass sqlite 0 "not browser and not one_pass and not fault" &
sqlite_pass=$!
run_pass postgres 8 "not browser and not fault" DATABASE_URL="postgres://qihub@$socket/qihub" &
postgres_pass=$!
failed=0
wait "$sqlite_pass" || failed=1
wait "$postgres_pass" || failed=1
for name in sqlite postgres; do
  echo "==> pytest on $name (test-artifacts/pytest-$name.log)"
  cat "$artifacts/pytest-$name.log"
done
stop_pg
[ "$failed" = 0 ] || exit 1

export QIHUB_DATA_DIR="$work/data-browser"
echo "==> browser tests (Debian Chromium via Playwright)"
pytest -m browser -p no:cacheprovider --junitxml="$artifacts/junit-browser.xml" -q

echo "==> requirement matrix"
qihub trace
echo "==> make test finished in $(( $(date +%s) - start )) s"
# One closing line over the three runs (SQLite, PostgreSQL, browser).
python - "$artifacts" <<'PY'
import pathlib, sys, xml.etree.ElementTree as ET
cases = [c for f in pathlib.Path(sys.argv[1]).glob("junit-*.xml") for c in ET.parse(f).iter("testcase")]
failed = sum(1 for c in cases if c.find("failure") is not None or c.find("error") is not None)
skipped = sum(1 for c in cases if c.find("skipped") is not None)
print(f"total: {len(cases) - failed - skipped} passed, {failed} failed, {skipped} skipped")
PY
