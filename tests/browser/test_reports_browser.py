"""The report page and the printed report in headless Chromium: no axe-core
WCAG 2.x A/AA violation, no sideways scrolling at 320 px, and the print
gives an A4 PDF with a page per section."""
import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from booking.extensions import db
from booking.models import Booking, Feedback, StaffAssignment
from booking.services import accounts
from tests.browser.conftest import axe_violations, horizontal_overflow, too_wide
from tests.browser.conftest import log_in as browser_log_in

pytestmark = pytest.mark.browser
PASSWORD = "browser report password"


@pytest.fixture
def report_world(live_make):
    make = live_make
    n = make._next()
    organisation = make.organisation(slug=f"report-org-{n}", name=f"Rapport organisatie {n}")
    location = make.location(organisation=organisation, name=f"Bib Rapport {n}", city="Gent")
    room = make.room(location=location, capacity=8)
    theme = make.theme(id=f"report-theme-{n}", titles={"nl": f"Rapportthema {n}"})
    person = make.person(name=f"Rapport Trainer {n}", cost_per_session=250)
    start = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    for days, statuses in ((20, ["attended", "attended", "no_show"]), (8, ["attended"])):
        session = make.session(room=room, theme=theme, starts_at=start - timedelta(days=days))
        db.session.add(StaffAssignment(session=session, person=person, role="trainer"))
        for i, status in enumerate(statuses):
            db.session.add(Booking(session=session, ticket=f"R{n}{days}{i}", kind="walk_in",
                                   status=status, language=["nl", "ar", "tr"][i],
                                   age_group="30-39", created_at=session.starts_at))
        db.session.add(Feedback(session=session, score=3, created_at=session.ends_at))
    db.session.commit()
    from flask import current_app

    current_app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    email = f"coordinator{n}@report.test"
    accounts.create_user(email, role="coordinator", password=PASSWORD)
    return {"email": email, "from": (start - timedelta(days=40)).date().isoformat(),
            "to": start.date().isoformat(), "organisation": organisation.id}


def log_in(page, live_server, email):
    browser_log_in(page, live_server, email, PASSWORD, lang="nl")


def test_report_page_and_print_are_accessible(new_page, live_server, report_world):
    # bypass_csp: axe-core is injected as an inline script, which the CSP forbids.
    page = new_page({"width": 1280, "height": 900}, locale="nl-BE", bypass_csp=True)
    page.set_default_timeout(20_000)
    log_in(page, live_server, report_world["email"])
    query = (f"from={report_world['from']}&to={report_world['to']}"
             f"&organisation={report_world['organisation']}")
    page.goto(live_server(f"/reports/?{query}"))
    assert page.locator("svg.chart").count() >= 8
    assert page.locator("#section-summary td.num").first.inner_text() == "2"  # sessions held
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)
    assert horizontal_overflow(page, 320) <= 0, too_wide(page)

    with page.expect_download() as download:
        page.locator("#section-theme a[download]").first.click()
    assert download.value.suggested_filename.startswith("instap-theme-")

    page.goto(live_server(f"/reports/print?{query}"))
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    sections = page.locator("section.sheet").count()
    assert pages >= sections >= 15


def test_report_pages_need_nothing_the_csp_forbids(new_page, live_server, report_world):
    page = new_page({"width": 1280, "height": 900}, locale="nl-BE")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    log_in(page, live_server, report_world["email"])
    query = f"from={report_world['from']}&to={report_world['to']}"
    for path in (f"/reports/?{query}", f"/reports/print?{query}"):
        response = page.goto(live_server(path))
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
    assert errors == []
