"""The package as a user installs it: the built wheel serves the site from
a directory that is not the checkout, and the lock file covers pyproject."""
import json
import os
import re
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from tests.ports import free_port

ROOT = Path(__file__).resolve().parent.parent


def _get(url: str, deadline: float) -> tuple[int, str]:
    """GET url, retrying while the server is still starting, until deadline."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")
        except (ConnectionError, urllib.error.URLError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Offline and from this checkout's environment: no index, no isolated build.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "-q", "-w", str(out), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    (built,) = out.glob("instap-*.whl")
    return built


def test_wheel_carries_templates_static_translations_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {name for name in names if name.startswith("booking/templates/")}
    assert "booking/templates/base.html" in templates
    assert any(name.startswith("booking/templates/kiosk/") for name in templates)
    assert "booking/static/instap.css" in names
    for lang in ("nl", "fr", "en", "ar", "tr"):
        assert f"booking/translations/{lang}/LC_MESSAGES/messages.mo" in names
    assert "booking/migrations/alembic.ini" in names
    assert any(re.match(r"booking/migrations/versions/\w+\.py$", name) for name in names)
    assert "scheduler/__init__.py" in names


@pytest.mark.slow
def test_installed_wheel_serves_pages_from_another_directory(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site_packages = Path(subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip())
    # The wheel goes into the fresh environment; its dependencies come from
    # this one through a path entry (a plain directory: the editable install of
    # the checkout there is not activated, since .pth files inside it are not read).
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
         "--target", str(site_packages), str(wheel)],
        check=True, capture_output=True, text=True,
    )
    (site_packages / "instap-test-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "FLASK_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'site.sqlite'}",
        "FLASK_RATELIMIT_ENABLED": "false",
    }
    where = subprocess.run(
        [python, "-c", "import booking; print(booking.__file__)"],
        cwd=elsewhere, env=env, check=True, capture_output=True, text=True).stdout
    assert where.startswith(str(site_packages)), where

    flask = [str(python), "-m", "flask", "--app", "booking"]
    subprocess.run(flask + ["init-db"], cwd=elsewhere, env=env, check=True,
                   capture_output=True, text=True, timeout=120)
    port = free_port()
    server = subprocess.Popen(flask + ["run", "--port", str(port)], cwd=elsewhere, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        status, home = _get(base + "/?lang=ar", deadline)
        assert status == 200, home
        assert 'dir="rtl"' in home and 'lang="ar"' in home
        status, css = _get(base + "/static/instap.css", deadline)
        assert status == 200 and css.strip()
        status, login = _get(base + "/login?lang=fr", deadline)
        assert status == 200 and 'lang="fr"' in login
        status, sessions = _get(base + "/api/v1/sessions", deadline)
        assert status == 200 and json.loads(sessions) == []  # a new, empty database
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()


def _locked_versions() -> dict[str, list[Version]]:
    locked: dict[str, list[Version]] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", line)
        if match:
            name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
            locked.setdefault(name, []).append(Version(match.group(2)))
    return locked


def test_lock_file_covers_every_dependency_of_pyproject():
    """Fails when a dependency was added to pyproject.toml without
    regenerating the lock: run `bash scripts/lock.sh`."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted += extra
    locked = _locked_versions()
    stale = []
    for text in wanted:
        requirement = Requirement(text)
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        if name == "instap":
            continue  # the project's own extras, listed above
        if not any(requirement.specifier.contains(v, prereleases=True) for v in locked.get(name, [])):
            stale.append(text)
    assert not stale, f"requirements.lock misses {stale}: run `bash scripts/lock.sh`"


def test_ortools_is_pinned_to_the_tested_release():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (ortools,) = [Requirement(d) for d in project["dependencies"] if d.startswith("ortools")]
    assert str(ortools.specifier).startswith("==")
    assert [Version(str(ortools.specifier)[2:])] == _locked_versions()["ortools"]


def test_the_site_runs_without_the_production_extra(tmp_path):
    """The README's demo installs no extra: no redis, rq or gunicorn."""
    code = (
        "import sys\n"
        "sys.modules.update(redis=None, rq=None, gunicorn=None)  # import fails, as if absent\n"
        "from booking import create_app\n"
        f"app = create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/site.db',"
        " 'SECRET_KEY': 'x'})\n"
        "from booking.extensions import db\n"
        "with app.app_context(): db.create_all()\n"
        "answer = app.test_client().get('/health')\n"
        "print(answer.status_code, answer.get_json()['redis'])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.split() == ["200", "not", "used"], done.stderr[-2000:]
