"""Every visible string in every language.

1. Every msgid Babel extracts from the code and the templates (with the
   project's babel.cfg, in memory) is in every .po file, translated, not
   fuzzy, with the same placeholders. Nothing is excluded but the header.
2. Every message a service raises is one booking/messages.py translates,
   so no English error reaches a staff page.
3. The reports page, on the demo data, shows no English in Dutch or Arabic,
   nor do the portal, counsellor, planner and account pages in Arabic.
"""
import ast
import itertools
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask_babel import force_locale
from sqlalchemy import select

from booking import LANGUAGES, messages
from booking.extensions import db
from booking.models import Organisation
from booking.services import accounts, demo
from tests.partner.conftest import PASSWORD as PARTNER_PASSWORD
from tests.partner.conftest import world  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "booking" / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%%")
# Babel's own keywords (_, gettext, ngettext, N_, ...) and Flask-Babel's lazy ones.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
SERVICE_ERRORS = {"ServiceError", "InvalidInput", "NotFound", "Forbidden", "Conflict", "Busy"}


def code_msgids() -> dict[str, str]:
    """{msgid: where it was found}, extracted as `pybabel extract -F babel.cfg` would."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def msgids():
    found = code_msgids()
    assert len(found) > 600  # the extraction did read the code and the templates
    return found


def catalog_of(code):
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale=code)


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_no_msgid_is_defined_twice(code):
    """Sessions append entries and branches merge as a union: the same text
    added on two branches must end up once (Babel would keep only one)."""
    text = (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    seen, twice = set(), []
    for entry in text.split("\n\n"):
        found = re.search(r'^(msgctxt ".*"\n)?msgid ((?:".*"\n?)+)', entry, re.M)
        if not found:
            continue
        key = (found.group(1), "".join(re.findall(r'"(.*)"', found.group(2))))
        if key[1] and key in seen:
            twice.append(key[1])
        seen.add(key)
    assert twice == []


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_every_entry_has_one_msgstr(code):
    """A union merge of two branches that both filled in one entry leaves two
    msgstr lines; Babel reads that silently, gettext's tools refuse it."""
    lines = (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").read_text(
        encoding="utf-8").splitlines()
    doubled = [number for number, (line, following) in enumerate(zip(lines, lines[1:]), 2)
               if line.startswith("msgstr ") and following.startswith("msgstr ")]
    assert doubled == []


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_every_msgid_is_translated(code, msgids):
    catalog = catalog_of(code)
    entries = {(m.id[0] if isinstance(m.id, tuple) else m.id): m for m in catalog if m.id}
    missing = sorted(f"{msgid}  ({where})" for msgid, where in msgids.items()
                     if msgid not in entries)
    assert missing == [], f"{len(missing)} msgids missing from {code}/messages.po"
    problems = []
    for msgid in msgids:
        message = entries[msgid]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(s.strip() for s in strings):
            problems.append(("empty or fuzzy", msgid))
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        names = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            used = set(PLACEHOLDER.findall(text))
            # A plural form may leave the number out ("one seat"), never add a name.
            if not used <= names or (names - {"num"}) - used:
                problems.append(("placeholders", msgid, text))
    assert problems == []


# Texts of several words that are the same as the English in that language.
# (One word alike, such as "Budget", "Feedback" or "Stop", is taken as a loanword.)
SAME_AS_ENGLISH = {
    "nl": {"Budget (EUR)", "per week"},
    "fr": {"Budget (EUR)"},
    "ar": set(),
    "tr": set(),
}


@pytest.mark.parametrize("code", sorted(SAME_AS_ENGLISH))
def test_no_text_is_left_in_english(code, msgids):
    """A translation of several words equal to its English msgid is a text
    someone forgot, unless it reads the same in that language (listed above)."""
    catalog = catalog_of(code)
    left = sorted(m.id for m in catalog
                  if isinstance(m.id, str) and m.id in msgids and m.string == m.id
                  and len(re.findall(r"[A-Za-z]{2,}", PLACEHOLDER.sub("", m.id))) > 1
                  and m.id not in SAME_AS_ENGLISH[code])
    assert left == []


def raised_service_messages():
    """(where, [English message]) of every `raise SomeError("...")` in booking/
    and its field messages; an f-string comes as a few samples, its values
    filled with a name, a number or a status, one of which must read right."""
    for path in sorted((ROOT / "booking").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in SERVICE_ERRORS and node.args):
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            first = node.args[0]
            fields = node.args[1] if len(node.args) > 1 else None
            texts = [first] + (list(fields.values) if isinstance(fields, ast.Dict) else [])
            for text in texts:
                if isinstance(text, ast.Constant) and isinstance(text.value, str):
                    yield where, [text.value]
                elif isinstance(text, ast.JoinedStr):
                    yield where, ["".join(part.value if isinstance(part, ast.Constant) else sample
                                          for part in text.values)
                                  for sample in ("Ann", "7", "done")]


def test_every_service_error_is_translated_for_staff_pages():
    found = list(raised_service_messages())
    assert len(found) > 60
    unknown = sorted((where, samples[0]) for where, samples in found
                     if not any(messages.known(text) for text in samples))
    assert unknown == []


def planner_reasons():
    """Every reason scheduler/explain.py gives for unmet demand, as samples:
    with and without a language, with and without room features."""
    tree = ast.parse((ROOT / "scheduler" / "explain.py").read_text())
    unmet = next(node for node in tree.body
                 if isinstance(node, ast.FunctionDef) and node.name == "explain_unmet")
    for node in ast.walk(unmet):
        if not (isinstance(node, ast.Return) and isinstance(node.value, ast.JoinedStr)):
            continue
        holes = [part for part in node.value.values if isinstance(part, ast.FormattedValue)]
        choices = []
        for hole in holes:
            source = ast.unparse(hole.value)
            choices.append(["", " speaking 'ar'"] if source.startswith("_lang(")
                           else ["", " with projector"] if source == "feats" else ["7"])
        for picked in itertools.product(*choices):
            values = iter(picked)
            yield node.lineno, "".join(part.value if isinstance(part, ast.Constant)
                                       else next(values) for part in node.value.values)


def test_every_planner_reason_is_translated():
    reasons = list(planner_reasons())
    assert len(reasons) >= 12
    assert [(line, text) for line, text in reasons if not messages.known(text)] == []


def test_service_texts_read_in_the_page_language(app):
    with app.test_request_context("/?lang=nl"):
        assert messages.service_text("Ann is already assigned.") == "Ann is al toegewezen."
        assert messages.service_text("at least 4") == "minstens 4"
        assert messages.service_text("Deze tekst is al Nederlands.") == (
            "Deze tekst is al Nederlands.")
        assert messages.role_name("steward") == "ICT-steward"
        assert messages.service_text("no trainer for theme 'cv' speaking 'ar' at any location") == (
            "geen Lesgever voor thema 'cv' die 'ar' spreekt op om het even welke locatie")
        # booking.services.booking words the check-in window itself
        assert messages.service_text("Check-in opens at 09:00 on 01/03/2027.") == (
            "Aanmelden kan vanaf 09:00 op 01/03/2027.")
    with app.test_request_context("/"), force_locale("ar"):
        assert messages.service_text("Unknown room.") == "قاعة غير معروفة."


# -- the reports page in Dutch and Arabic -------------------------------------------

# English words and phrases of the staff interface (report titles, columns,
# notes, warnings, chart texts, navigation) that no Dutch or Arabic page may show.
ENGLISH_UI_WORDS = [
    "Reports", "Period", "From", "To (included)", "Organisation", "All organisations",
    "All locations", "Show report", "Printable report", "Sessions from", "Sections",
    "Summary", "Figure", "Value", "Early warnings", "Why", "By month", "By theme",
    "By location", "By language", "By age group", "Month", "Theme", "Location", "Language",
    "Age group", "Bookings", "Attended", "No-shows", "Cancelled", "Waiting list", "Walk-in",
    "Pre-registered", "Referred", "Attendance rate", "Way in", "Seats filled", "Sessions held",
    "Sessions upcoming", "Seats", "Booked", "Booked fill", "Attended fill", "Fill rate",
    "Held or upcoming", "held", "upcoming", "Kind", "Languages", "Age groups", "Staff cost",
    "Feedback by", "Good", "So-so", "Not good", "Answers", "Good share", "Cost by", "Spent",
    "Planned", "Cost per participant", "Drop-in help", "Numbers taken", "Helped",
    "Left before their turn", "Still waiting", "Unmet demand", "Demand", "Sessions missing",
    "Total", "Reach by", "Cost against budget", "Budget left", "Budget used",
    "too few participants", "groups too mixed", "seats attended", "seats booked",
    "Nothing in this period", "Download as CSV", "CSV with semicolons", "No data",
    "Workshop", "Conversation group", "unknown", "the table below", "Log out", "Planner",
    "Sessions", "Staff", "Referrals", "Messages", "Language:", "Jan", "Feb", "Mar", "Apr",
    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "and", "the", "with", "by",
]
# The same word is Dutch too: allowed on the Dutch page.
ALSO_DUTCH = {"Workshop", "Planner"}


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes and the attributes read
    out (aria-label, title, alt, placeholder), without scripts and styles."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "title", "alt", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def demo_reports(app, client):
    today = date(2027, 3, 10)
    demo.seed(today=today)
    user = accounts.create_user("coordinator@demo.test", role="coordinator",
                                password="correct horse battery")
    response = client.post("/login", data={"email": user.email,
                                           "password": "correct horse battery"})
    assert response.status_code == 302
    start, end = today - timedelta(days=7), today + timedelta(days=21)
    return f"/reports/?from={start.isoformat()}&to={end.isoformat()}"


def choose_language(client, code, page):
    """Follow the staff page's language switch, as a coordinator would."""
    html = client.get(page).get_data(as_text=True)
    switch = re.search(r'<nav class="staff-languages".*?</nav>', html, re.S).group(0)
    link = re.search(rf'href="([^"]+)" lang="{code}"', switch).group(1).replace("&amp;", "&")
    response = client.get(link)
    assert response.status_code == 302
    return response.headers["Location"]


@pytest.mark.parametrize("code", ["nl", "ar"])
def test_reports_page_has_no_english(client, demo_reports, code):
    back = choose_language(client, code, demo_reports)
    response = client.get(back)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'lang="{code}"' in html
    text = visible_text(html)
    assert len(text) > 2000 and text.count("%") > 10  # the report has its figures
    english = sorted(
        word for word in ENGLISH_UI_WORDS
        if not (code == "nl" and word in ALSO_DUTCH)
        and re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)
    )
    assert english == [], f"English on the {code} reports page"


@pytest.mark.parametrize("code", ["nl", "ar"])
def test_report_csv_headers_are_translated(client, demo_reports, code):
    page = client.get(choose_language(client, code, demo_reports)).get_data(as_text=True)
    link = re.search(r'href="(/reports/sessions\.csv\?[^"]+)"', page).group(1)
    header = client.get(link.replace("&amp;", "&")).get_data(as_text=True).splitlines()[0]
    assert "When" not in header and "Theme" not in header and "Staff cost" not in header
    assert ("Wanneer" if code == "nl" else "متى") in header


# -- a service's refusal, flashed on a staff page ------------------------------------

@pytest.mark.parametrize(("code", "expected"), [
    ("nl", "Tina Trainer is al toegewezen."), ("ar", "تم تعيين Tina Trainer بالفعل.")])
def test_a_refusal_reads_in_the_staff_page_language(app, make, world, code, expected):  # noqa: F811
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = code
    response = client.post("/login", data={"email": world.users.partner.email,
                                           "password": PARTNER_PASSWORD})
    assert response.status_code == 302
    session, person = world.own_session, world.trainer_person
    for _twice in range(2):
        client.post(f"/partner/sessions/{session.id}/staff",
                    data={"person": person.id, "role": "trainer"})
    page = client.get(f"/partner/sessions/{session.id}").get_data(as_text=True)
    assert expected in page
    assert "already assigned" not in page
    assert ("(Lesgever)" if code == "nl" else "(المدرّب)") in page  # the role by its name


# -- other staff pages in Arabic -----------------------------------------------------

def english_texts(msgids) -> list[str]:
    """The interface's English texts of three words or more, without placeholders."""
    return sorted(msgid for msgid in msgids
                  if "%" not in msgid and len(re.findall(r"[A-Za-z]{2,}", msgid)) >= 3)


@pytest.mark.parametrize(("role", "paths"), [
    ("partner_staff", ["/partner/", "/partner/locations", "/partner/people", "/account"]),
    ("counsellor", ["/counsellor/", "/account"]),
    ("coordinator", ["/planner/", "/reports/", "/account"]),
])
def test_staff_pages_in_arabic_show_no_english_text(app, client, msgids, role, paths):
    demo.seed(today=date(2027, 3, 10))
    organisation = db.session.scalars(select(Organisation).order_by(Organisation.id)).first()
    accounts.create_user(f"{role}@demo.test", role=role, password="correct horse battery",
                         organisation=organisation if role == "partner_staff" else None)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ar"
    response = client.post("/login", data={"email": f"{role}@demo.test",
                                           "password": "correct horse battery"})
    assert response.status_code == 302
    english = english_texts(msgids)
    assert len(english) > 150
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert 'dir="rtl"' in html and 'class="staff-languages"' in html, path
        text = visible_text(html)
        assert [e for e in english if e in text] == [], path
