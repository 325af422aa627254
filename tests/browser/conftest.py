"""Shared fixtures for tests in real headless Chromium (Playwright, sync API).

- `live_server`: the app served on 127.0.0.1 at a free port from a thread,
  with its own SQLite file database (CSRF on, rate limits off).
- `live_make`: the tests/conftest.py Factory, writing to the live server's
  database (use it inside the test, the server sees the rows at once).
- `browser`: one Chromium for the whole test session.
- `kiosk_page` (1080x1920) and `phone_page` (390x844): one page each for the
  whole session, reused by the tests; cookies are cleared before each test.
- `new_page(width, height)`: a fresh context and page (e.g. for page.clock).
- helpers: `check_page(page, lang, direction)` runs every page-level check
  (lang/dir, axe-core WCAG 2.x A/AA, touch targets, no horizontal scroll at
  320 px); `axe_violations(page)`, `small_touch_targets(page)`,
  `horizontal_overflow(page, width)`, `screenshot(page, name)`.
"""
import itertools
import json
import logging
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from booking import create_app
from booking.extensions import db
from booking.models import Theme
from booking.services.demo_data import THEMES
from tests.conftest import Factory

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
KIOSK_SIZE = {"width": 1080, "height": 1920}
PHONE_SIZE = {"width": 390, "height": 844}
MIN_TARGET = 48


_FACTORY_OFFSETS = itertools.count(0, 1000)


class LiveServer:
    def __init__(self, app, server):
        self.app = app
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_port}"

    def __call__(self, path: str) -> str:
        return self.url + path


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "browser-tests",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.sqlite'}",
        "RATELIMIT_ENABLED": False,
        "SPEECH_FOLDER": str(folder / "speech"),
    })
    with app.app_context():
        db.create_all()
        for theme_id, spec in THEMES.items():
            pictogram, kind, minutes, needs, seats, staff, titles, descriptions = spec
            db.session.add(Theme(
                id=theme_id, pictogram=pictogram, kind=kind, duration_minutes=minutes,
                needs=needs, seats=seats, staff=staff, titles=titles, descriptions=descriptions,
                audience="counsellors" if kind == "counsellor_event" else "participants"))
        db.session.commit()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app, server)
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_make(live_server):
    """Rows in the live server's database; themes of the demo are there already."""
    with live_server.app.app_context():
        factory = Factory()
        # One database for the whole session: names and slugs must not repeat.
        factory.count = next(_FACTORY_OFFSETS)
        factory.theme_of = lambda theme_id: db.session.get(Theme, theme_id)
        yield factory
        db.session.remove()


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _record_speech(context):
    """Read-aloud goes through speechSynthesis: remember what was said. And
    remember anything the Content Security Policy blocked."""
    context.add_init_script("""
        window.__csp = [];
        document.addEventListener("securitypolicyviolation", (e) => {
          window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
        });
        window.__spoken = [];
        if (window.speechSynthesis) {
          window.speechSynthesis.speak = function (u) { window.__spoken.push({text: u.text, lang: u.lang}); };
        }
    """)


@pytest.fixture(scope="session")
def _kiosk_context(browser):
    context = browser.new_context(viewport=KIOSK_SIZE, locale="nl-BE")
    _record_speech(context)
    yield context
    context.close()


@pytest.fixture(scope="session")
def _phone_context(browser):
    context = browser.new_context(viewport=PHONE_SIZE, locale="nl-BE", is_mobile=True,
                                  has_touch=True)
    _record_speech(context)
    yield context
    context.close()


@pytest.fixture(scope="session")
def _kiosk_page(_kiosk_context):
    return _kiosk_context.new_page()


@pytest.fixture(scope="session")
def _phone_page(_phone_context):
    return _phone_context.new_page()


@pytest.fixture
def kiosk_page(_kiosk_page, _kiosk_context):
    _kiosk_context.clear_cookies()
    _kiosk_page.set_viewport_size(KIOSK_SIZE)
    _kiosk_page.set_default_timeout(10_000)
    return _kiosk_page


@pytest.fixture
def phone_page(_phone_page, _phone_context):
    _phone_context.clear_cookies()
    _phone_page.set_viewport_size(PHONE_SIZE)
    _phone_page.set_default_timeout(10_000)
    return _phone_page


@pytest.fixture
def new_page(browser):
    contexts = []

    def open_page(size=None, **options):
        context = browser.new_context(viewport=size or KIOSK_SIZE, **options)
        _record_speech(context)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


# Checks every page must pass.

_AXE_SOURCE = []


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.x A/AA violations. axe is evaluated through the
    DevTools protocol, which the pages' CSP (no inline script) does not block,
    so the tests keep the CSP on and catch any violation of it."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        if not _AXE_SOURCE:
            _AXE_SOURCE.append(AXE.read_text(encoding="utf-8"))
        page.evaluate("(source) => { (0, eval)(source); }", _AXE_SOURCE[0])
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


SMALL_TARGETS_JS = """
(min) => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])';
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || el.closest('[hidden]')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right <= 0 || r.bottom <= 0) continue;  // off-screen until focused (skip link)
    if (r.width < min - 0.5 || r.height < min - 0.5) {
      small.push(`${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''} "${(el.textContent || el.value || '').trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return small;
}
"""


def small_touch_targets(page) -> list[str]:
    return page.evaluate(SMALL_TARGETS_JS, MIN_TARGET)


def horizontal_overflow(page, width=320) -> int:
    """How many CSS px the page scrolls sideways at this width (0 is good)."""
    size = page.viewport_size
    page.set_viewport_size({"width": width, "height": size["height"]})
    try:
        return page.evaluate(
            "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
            " - document.documentElement.clientWidth"
        )
    finally:
        page.set_viewport_size(size)


def too_wide(page) -> list[str]:
    """The elements that stick out sideways, for the failure message."""
    return page.evaluate("""() => {
      const w = document.documentElement.clientWidth, out = [];
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > w + 0.5 || r.left < -0.5) {
          if (r.right <= 0) continue;
          out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
        }
      }
      return out.slice(0, 8);
    }""")


def check_page(page, lang: str, direction: str | None = None):
    """lang and dir right, no axe violation, big touch targets, no sideways
    scrolling at 320 px (with touch targets checked there too)."""
    direction = direction or ("rtl" if lang == "ar" else "ltr")
    where = page.url
    assert page.get_attribute("html", "lang") == lang, where
    assert page.get_attribute("html", "dir") == direction, where
    assert page.evaluate("() => window.__csp || []") == [], f"{where}: CSP blocked something"
    violations = axe_violations(page)
    assert violations == [], f"{where}: {json.dumps(violations, indent=1, ensure_ascii=False)}"
    assert small_touch_targets(page) == [], where
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": size["height"]})
    try:
        overflow = page.evaluate(
            "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
            " - document.documentElement.clientWidth")
        assert overflow <= 0, f"{where} scrolls {overflow}px sideways at 320 px: {too_wide(page)}"
        assert small_touch_targets(page) == [], f"{where} at 320 px"
    finally:
        page.set_viewport_size(size)


STAFF_PASSWORD = "browser staff password"


def staff_account(location) -> str:
    """A partner-staff account of the location's organisation, in the live
    database (call it inside `live_make`'s app context); returns the e-mail."""
    from flask import current_app

    from booking.services import accounts

    current_app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"  # fast, tests only
    email = f"staff-{location.id}-{next(_FACTORY_OFFSETS)}@browser.test"
    accounts.create_user(email, role="partner_staff", password=STAFF_PASSWORD,
                         organisation=location.organisation)
    return email


def log_in(page, live_server, email, password=STAFF_PASSWORD):
    page.goto(live_server("/login"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form [type=submit]")
    page.wait_for_load_state()


def screenshot(page, name: str, full_page=False):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def soon(hours=1.0) -> datetime:
    """A whole quarter hour about `hours` from now, in UTC."""
    moment = datetime.now(UTC) + timedelta(hours=hours)
    return moment.replace(minute=moment.minute // 15 * 15, second=0, microsecond=0)


@pytest.fixture
def server_clock():
    """The live server's clock (it runs in this process), frozen where a test
    puts it, so a test means the same at 09:00 and at 23:30."""
    from booking.models.base import CLOCK

    yield CLOCK
    CLOCK.set(None)
