#!/usr/bin/env bash
# One command for a fresh Debian machine: system packages (when missing), a virtual
# environment with the Python packages, then the whole site built from policies/.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3-venv)
if ((${#need[@]})); then
  echo "setup: installing Debian packages: ${need[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${need[@]}"
fi

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "setup: Python 3.11 or newer is required" >&2; exit 2; }
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# exact versions from constraints.txt: every machine installs the same packages
.venv/bin/python -m pip install -q -c constraints.txt -e '.[dev]'

.venv/bin/policykb build
echo
echo "setup: done. Browse the site with:  .venv/bin/policykb serve   →  http://127.0.0.1:8000/"
