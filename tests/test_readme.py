"""The README stands for the code: booking/settings.py holds every default
and the README's table shows every one; every command is in the README."""
import importlib.util
import os
import re
from pathlib import Path

import booking.settings

ROOT = Path(__file__).resolve().parent.parent
# Settings that Flask and its extensions define themselves, read here as-is.
FRAMEWORK_SETTINGS = {"SECRET_KEY", "TESTING", "SERVER_NAME", "SQLALCHEMY_ENGINE_OPTIONS",
                      "BABEL_DEFAULT_TIMEZONE", "WTF_CSRF_ENABLED", "DEBUG", "PREFERRED_URL_SCHEME",
                      "APPLICATION_ROOT", "SESSION_COOKIE_NAME"}
READ = re.compile(r"""config(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]+)["']""")


# The briefing folder beside a developer's clone, which a user never has
# (spelled in two parts so this guard does not find itself).
OUTSIDE = "../" + "shared"

def _settings_table():
    spec = importlib.util.spec_from_file_location("settings_table", ROOT / "scripts" / "settings_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_table_lists_every_setting_with_its_default():
    table = _settings_table()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert table.readme_table(readme) == table.current_table(), (
        "README.md's settings table is out of date: python scripts/settings_table.py --write")
    for name in (n for n in dir(booking.settings) if n.isupper()):
        assert f"| `{name}` |" in readme


def test_every_setting_the_code_reads_has_its_default_in_settings_py():
    defined = {name for name in dir(booking.settings) if name.isupper()}
    missing = {}
    for path in (ROOT / "booking").rglob("*.py"):
        for name in READ.findall(path.read_text(encoding="utf-8")):
            if name not in defined and name not in FRAMEWORK_SETTINGS:
                missing.setdefault(name, path.relative_to(ROOT).as_posix())
    assert not missing, f"settings read without a default in booking/settings.py: {missing}"


def test_readme_names_every_flask_command(app):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in app.cli.commands if f"flask --app booking {name}" not in readme]
    assert not missing, f"commands missing from README.md: {missing}"


def test_readme_points_nowhere_outside_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../" not in readme
    for link in re.findall(r"\]\(([^)#]+)\)", readme):
        if not link.startswith(("http://", "https://")):
            assert (ROOT / link).exists(), link


def test_no_file_points_outside_the_repository():
    """The repository stands alone: no document, docstring or test refers to a
    folder beside the clone (scheduler/ and its tests are the planner's to fix)."""
    skipped_dirs = {".venv", "node_modules", "build", ".git", "test-artifacts", "instance", "__pycache__"}
    pointing = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in skipped_dirs]
        for name in files:
            path = Path(folder) / name
            relative = path.relative_to(ROOT).as_posix()
            if (path.suffix not in {".py", ".md", ".toml", ".sh", ".html", ".cfg", ".yaml"}
                    or relative.startswith(("scheduler/", "tests/scheduler/")) or name == "test_readme.py"):
                continue
            if OUTSIDE in path.read_text(encoding="utf-8", errors="replace"):
                pointing.append(relative)
    assert not pointing, f"files that point outside the repository: {pointing}"
