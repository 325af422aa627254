#!/usr/bin/env bash
# The one command that runs Instap's whole test suite on a fresh machine:
# installs the Python package with its dev extras, Debian's chromium and the
# npm test tools, then runs every test on SQLite and the database tests
# again on PostgreSQL (and Redis for shared rate limits).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
POSTGRES=${INSTAP_TEST_POSTGRES_URI:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
REDIS=${INSTAP_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}

step() { printf '\n== %s\n' "$*"; }

step "Python environment (.venv) with dev extras"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev]'

step "Debian chromium for the browser tests"
if [ ! -x /usr/bin/chromium ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium
fi

step "Debian nginx-light and openssl for the production-shape tests (tests/hardening)"
if [ ! -x /usr/sbin/nginx ] || ! command -v openssl >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q nginx-light openssl
fi

step "Debian zbar-tools and poppler-utils for the poster test (QR decoded from the printed PDF)"
if ! command -v zbarimg >/dev/null || ! command -v pdftoppm >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q zbar-tools poppler-utils
fi

step "Debian espeak-ng, sox (with MP3) and lame for the speech tests"
if ! command -v espeak-ng >/dev/null || ! command -v lame >/dev/null || ! command -v sox >/dev/null \
   || ! sox -h 2>/dev/null | grep -qw mp3; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q espeak-ng sox libsox-fmt-mp3 lame
fi

step "npm test tools (axe-core, ical.js)"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

step "PostgreSQL at ${POSTGRES%%@*}@..."
if ! .venv/bin/python -c "import sys, sqlalchemy as sa; sa.create_engine(sys.argv[1]).connect().close()" "$POSTGRES" 2>/dev/null; then
  # The machine starts it before a session; start it again if it stopped.
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
  sleep 2
fi

step "Tests on SQLite (everything, browser tests included)"
.venv/bin/python -m pytest tests -q -p no:cacheprovider

step "Tests on PostgreSQL with Redis (everything that touches a database)"
INSTAP_TEST_POSTGRES_URI="$POSTGRES" INSTAP_TEST_REDIS_URL="$REDIS" \
  .venv/bin/python -m pytest tests -q -p no:cacheprovider \
  --ignore=tests/scheduler --ignore=tests/browser
