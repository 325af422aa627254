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

step "Debian packages the tests start or call"
# chromium: browser tests; zbar-tools, poppler-utils: the poster's QR read
# from the printed PDF; kannel, kannel-extras: a real SMS gateway and its
# fake SMSC; espeak-ng, sox, libsox-fmt-mp3, lame: server-side speech;
# nginx-light, openssl: the production shape (TLS) in front of gunicorn.
wanted="chromium zbar-tools poppler-utils kannel kannel-extras espeak-ng sox libsox-fmt-mp3 lame nginx-light openssl"
missing=""
for package in $wanted; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing="$missing $package"
done
if [ -n "$missing" ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  # shellcheck disable=SC2086  # one word per package
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
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
