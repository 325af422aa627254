#!/usr/bin/env bash
# Regenerate requirements.lock from pyproject.toml (every extra, with hashes,
# for every platform) after a dependency was added or changed. The test
# command installs exactly this file; tests/test_packaging.py fails while the
# lock misses a dependency named in pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/uv ] || .venv/bin/python -m pip install -q uv
.venv/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
  --generate-hashes --quiet -o requirements.lock --custom-compile-command "bash scripts/lock.sh"
