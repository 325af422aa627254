import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("parse_ical.mjs")


@pytest.fixture
def ical_js(tmp_path):
    """Parse a feed with the npm package ical.js; returns its JSON view."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "ical.js").exists():
        pytest.skip("node and ical.js (npm install) are needed")

    def parse(body: bytes) -> dict:
        path = tmp_path / "feed.ics"
        path.write_bytes(body)
        done = subprocess.run([node, str(SCRIPT), str(path)], capture_output=True, text=True,
                              cwd=ROOT, timeout=60)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return parse
