#!/usr/bin/env bash
# Create .venv with the system Python (≥ 3.11) and install qihub into it; `venv.sh test` adds
# the test tools. Re-running is cheap: it installs only when pyproject.toml changed or a part
# (base, test, bench) is asked for that is not installed yet.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
extras=${1:-}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "qihub 需要 Python 3.11 或更高版本（当前：$("$python" --version 2>&1)）" >&2
  exit 1
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x .venv/bin/python ]; then
  if ! "$python" -m venv .venv >/dev/null 2>&1; then
    # Debian ships venv/ensurepip in a separate package.
    rm -rf .venv
    echo "==> 安装 python3-venv" >&2
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    "$python" -m venv .venv
  fi
fi

# Reports are rendered to PDF by WeasyPrint (Pango) with Chinese fonts embedded (ORD-5).
missing=()
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> 安装 ${missing[*]}" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

spec=.
[ -n "$extras" ] && spec=".[$extras]"
# One stamp per installed part (base, test, bench) of this pyproject.toml. A plain `venv.sh`
# (make run) after `venv.sh test` finds everything already there: it used to replace the test
# stamp by its own, so the next `make test` or `make fault` reinstalled for minutes.
hash=$(sha256sum pyproject.toml | cut -c1-16)
listed=()
[ -n "$extras" ] && IFS=, read -ra listed <<<"$extras"
wanted=(base "${listed[@]}")
up_to_date=1
# Every install includes the base, so any stamp of this pyproject.toml covers it.
compgen -G ".venv/.installed-$hash-*" >/dev/null || up_to_date=""
for part in "${listed[@]}"; do
  [ -f ".venv/.installed-$hash-$part" ] || up_to_date=""
done
if [ -z "$up_to_date" ]; then
  echo "==> 安装依赖到 .venv（$spec）" >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e "$spec"
  # Stamps of an earlier pyproject.toml no longer say anything.
  find .venv -maxdepth 1 -name '.installed-*' ! -name ".installed-$hash-*" -delete
  for part in "${wanted[@]}"; do touch ".venv/.installed-$hash-$part"; done
fi
