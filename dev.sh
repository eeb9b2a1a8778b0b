#!/usr/bin/env bash
# The project's task runner. `./dev.sh start` sets up and opens the dashboard on the sample
# corpus; `./dev.sh test` (the default) sets up everything and runs lint and the whole suite.
# Both work on a fresh machine: every install step is here.
set -euo pipefail
cd "$(dirname "$0")"

VENV=${VENV:-.venv}
PY="$VENV/bin/python"
PORT=${PORT:-8501}

setup_python() {
  [ -x "$PY" ] || python3 -m venv "$VENV"
  # Reinstall only when the requirement files change.
  local stamp
  stamp="$VENV/.installed-$(cat requirements*.txt | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    "$PY" -m pip install -q --upgrade pip
    # torch first and pinned: this version is the CPU build; anything that pulls torch
    # unpinned would fetch a multi-GB CUDA build instead.
    "$PY" -m pip install -q torch==2.13.0
    "$PY" -m pip install -q -r requirements-dev.txt
    touch "$stamp"
  fi
}

setup_debian() {
  # Debian packages (packages.txt, also read by Streamlit Community Cloud): chromium for the
  # browser tests and for plotly's static image export.
  local missing=()
  while read -r pkg; do
    [ -n "$pkg" ] && ! dpkg -s "$pkg" >/dev/null 2>&1 && missing+=("$pkg")
  done < <(grep -v '^\s*#' packages.txt)
  if [ ${#missing[@]} -gt 0 ]; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

start() {
  setup_python
  setup_debian
  exec "$VENV/bin/streamlit" run dashboard.py --server.port "$PORT" --server.address 127.0.0.1 \
    --server.headless true --browser.gatherUsageStats false
}

test() {
  setup_python
  setup_debian
  "$VENV/bin/ruff" check .
  # Two workers (the machine's two cores), each taking whole modules: a module's fixtures (a
  # Streamlit server, a Ray cluster) are made once, in one worker.
  "$PY" -m pytest -n 2 --dist loadfile "$@"
}

cmd=${1:-test}
shift || true
case "$cmd" in
  start) start ;;
  test) test "$@" ;;
  setup) setup_python; setup_debian ;;
  *) echo "usage: ./dev.sh [start|test|setup]" >&2; exit 2 ;;
esac
