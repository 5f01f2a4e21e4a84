#!/usr/bin/env bash
# `make run`: set up, migrate, load demo data (idempotent) and serve on the embedded default.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh
export QIHUB_DATA_DIR=${QIHUB_DATA_DIR:-$PWD/var}
.venv/bin/qihub migrate --noinput
.venv/bin/qihub seed-demo
exec .venv/bin/qihub serve --host "${QIHUB_HOST:-127.0.0.1}" --port "${QIHUB_PORT:-8000}"
