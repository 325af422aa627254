"""Print the README's settings table from booking/settings.py; with
--write put it into README.md between its settings-table markers; with
--check fail when README.md's table differs.

Each setting's description is the comment right above it (up to a blank
line) or beside it; a setting without one is an error, so the table never
has an empty row."""
import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "booking" / "settings.py"
README = ROOT / "README.md"
START, END = "<!-- settings-table:start -->", "<!-- settings-table:end -->"
SECTION = re.compile(r"^#\s.*-{3,}\s*$")


def settings(source: str) -> list[tuple[str, str, str]]:
    """(name, default, description) of every setting, in file order."""
    lines = source.splitlines()
    rows = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign):
            name, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            name, value = node.target, node.value
        else:
            continue
        if not (isinstance(name, ast.Name) and name.id.isupper()):
            continue
        rows.append((name.id, _default(value), _description(lines, node)))
    return rows


def _default(value: ast.expr) -> str:
    literal = ast.literal_eval(value) if not isinstance(value, ast.BinOp) else None
    if isinstance(literal, dict) and len(repr(literal)) > 80:
        return ", ".join(literal)  # LANGUAGES: the codes are what matters here
    if isinstance(value, ast.BinOp):
        return str(eval(compile(ast.Expression(value), "settings", "eval")))  # 1024 * 1024
    return repr(literal)


def _description(lines: list[str], node: ast.stmt) -> str:
    comments = []
    index = node.lineno - 2
    while index >= 0 and lines[index].startswith("#") and not SECTION.match(lines[index]):
        comments.insert(0, lines[index].lstrip("# ").rstrip())
        index -= 1
    inline = lines[node.end_lineno - 1].partition("  #")[2].strip()
    if inline:
        comments.append(inline)
    if not comments:
        raise SystemExit(f"booking/settings.py line {node.lineno}: a setting without a comment")
    return " ".join(comments)


def table(rows: list[tuple[str, str, str]]) -> str:
    out = ["| setting | default | what it does |", "|---|---|---|"]
    for name, default, description in rows:
        cell = description.replace("|", "\\|")
        out.append(f"| `{name}` | `{default}` | {cell} |")
    return "\n".join(out)


def current_table() -> str:
    return table(settings(SETTINGS.read_text(encoding="utf-8")))


def readme_table(readme: str) -> str:
    start, end = readme.index(START) + len(START), readme.index(END)
    return readme[start:end].strip()


def main(argv: list[str]) -> int:
    generated = current_table()
    if "--check" in argv:
        if readme_table(README.read_text(encoding="utf-8")) != generated:
            print("README.md's settings table is out of date: python scripts/settings_table.py --write")
            return 1
        return 0
    if "--write" not in argv:
        print(generated)
        return 0
    readme = README.read_text(encoding="utf-8")
    start, end = readme.index(START) + len(START), readme.index(END)
    README.write_text(readme[:start] + "\n" + generated + "\n" + readme[end:], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
