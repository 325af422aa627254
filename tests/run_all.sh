#!/usr/bin/env bash
# The one command that runs Instap's whole test suite on a fresh machine:
# installs the locked Python dependencies (requirements.lock) and the package,
# Debian's chromium and the npm test tools, runs the lint and type checks, then
# every test on SQLite and the database tests again on PostgreSQL (and Redis).
# Every pass runs even when an earlier one fails; the exit status is non-zero
# if any failed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
POSTGRES=${INSTAP_TEST_POSTGRES_URI:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
REDIS=${INSTAP_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}

step() { printf '\n== %s\n' "$*"; }

step "Python environment (.venv): the locked dependencies, then the package"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# Exactly the tested releases (hashes checked); regenerate: bash scripts/lock.sh
.venv/bin/python -m pip install -q --require-hashes -r requirements.lock
.venv/bin/python -m pip install -q --no-deps --no-build-isolation -e .

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
postgres_answers() {
  .venv/bin/python -c "import sys, sqlalchemy as sa; sa.create_engine(sys.argv[1]).connect().close()" "$POSTGRES" 2>/dev/null
}
if ! postgres_answers; then
  # The machine starts it before a session; start it again if it stopped,
  # then wait (up to 30 s) until it answers.
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
  for _ in $(seq 30); do postgres_answers && break; sleep 1; done
fi

failed=()
pass_() {  # pass_ NAME COMMAND...: run one pass, remember it if it fails
  local name=$1; shift
  step "$name"
  "$@" || failed+=("$name")
}

pass_ "Lint (ruff)" .venv/bin/ruff check .
pass_ "Types (mypy: scheduler/, booking/services/)" .venv/bin/mypy
pass_ "README settings table" .venv/bin/python scripts/settings_table.py --check
pass_ "Tests on SQLite (everything, browser tests included)" \
  .venv/bin/python -m pytest tests -q -p no:cacheprovider
pass_ "Tests on PostgreSQL with Redis (everything that touches a database)" \
  env INSTAP_TEST_POSTGRES_URI="$POSTGRES" INSTAP_TEST_REDIS_URL="$REDIS" \
  .venv/bin/python -m pytest tests -q -p no:cacheprovider \
  --ignore=tests/scheduler --ignore=tests/browser --ignore=tests/test_packaging.py

if [ ${#failed[@]} -gt 0 ]; then
  printf '\n== FAILED: %s\n' "${failed[@]}"
  exit 1
fi
printf '\n== All passes passed.\n'
