"""Posters as they leave the printer: headless Chromium prints the poster
to PDF (A4), pdftoppm rasterises it at 150 dpi as a modest printer would,
and zbarimg (Debian zbar-tools) must read the QR code back as the session's
address on PUBLIC_URL in the poster's language. The Print button works with
the Content Security Policy on (no inline script)."""
import shutil
import subprocess
from datetime import timedelta

import pytest

from tests.browser.conftest import STAFF_PASSWORD, log_in, soon, staff_account

pytestmark = pytest.mark.browser

PUBLIC = "https://instap.example"


@pytest.fixture
def public_url_set(live_server):
    before = live_server.app.config.get("PUBLIC_URL")
    live_server.app.config["PUBLIC_URL"] = PUBLIC
    yield PUBLIC
    live_server.app.config["PUBLIC_URL"] = before


@pytest.fixture
def poster_world(live_make, live_server):
    make = live_make
    n = make._next()
    organisation = make.organisation(slug=f"poster-org-{n}", name=f"Wijkpunt {n}")
    location = make.location(organisation=organisation, name=f"Wijkpunt Ledeberg {n}",
                             address="Bellevuestraat 10, 9050 Gent", city="Gent")
    room = make.room(location=location, name="Zaal 1", capacity=12)
    theme = make.theme_of("talk")
    starts = soon(30)
    session = make.session(room=room, theme=theme, starts_at=starts,
                           ends_at=starts + timedelta(hours=2), languages=["nl", "ar", "tr"])
    for hours in (54, 78):
        make.session(room=room, theme=make.theme_of("cv"), starts_at=soon(hours),
                     ends_at=soon(hours) + timedelta(hours=1))
    return {"email": staff_account(location), "session_id": session.id,
            "location_id": location.id, "week": starts.date().isoformat()}


def _decode_printed(pdf: bytes, tmp_path) -> list[str]:
    for tool in ("pdftoppm", "zbarimg", "pdfinfo"):
        assert shutil.which(tool), f"{tool} is missing: tests/run_all.sh installs it"
    (tmp_path / "poster.pdf").write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(tmp_path / "poster.pdf")], capture_output=True,
                          text=True, check=True).stdout
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "poster.pdf"),
                    str(tmp_path / "page")], check=True, timeout=60)
    images = sorted(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable",
                              *map(str, images)], capture_output=True, text=True, timeout=60)
    return pages, [line for line in decoded.stdout.splitlines() if line]


def test_session_poster_prints_on_one_a4_page_and_its_qr_scans(
        new_page, live_server, poster_world, public_url_set, tmp_path):
    page = new_page({"width": 1280, "height": 900}, locale="nl-BE")
    log_in(page, live_server, poster_world["email"], STAFF_PASSWORD)
    page.goto(live_server(f"/partner/sessions/{poster_world['session_id']}/poster?poster_lang=ar"))
    assert page.get_attribute("article.poster-page", "dir") == "rtl"
    assert "9050 Gent" in page.inner_text(".poster-where")
    assert "Gent Gent" not in page.inner_text(".poster-where").replace(",", "")
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    pages, codes = _decode_printed(pdf, tmp_path)
    assert pages == 1
    assert codes == [f"{PUBLIC}/sessions/{poster_world['session_id']}?lang=ar"]


def test_week_poster_prints_on_one_page_and_its_qr_lists_the_location(
        new_page, live_server, poster_world, public_url_set, tmp_path):
    page = new_page({"width": 1280, "height": 900}, locale="nl-BE")
    log_in(page, live_server, poster_world["email"], STAFF_PASSWORD)
    page.goto(live_server(f"/partner/locations/{poster_world['location_id']}/poster"
                          f"?week={poster_world['week']}"))
    assert page.locator(".poster-list li").count() >= 1
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    pages, codes = _decode_printed(pdf, tmp_path)
    assert pages == 1
    assert codes == [f"{PUBLIC}/?location={poster_world['location_id']}&lang=nl"]


@pytest.mark.parametrize("size", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_print_button_prints_under_the_csp(new_page, live_server, poster_world, size):
    page = new_page(size, locale="nl-BE")
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    log_in(page, live_server, poster_world["email"], STAFF_PASSWORD)
    response = page.goto(live_server(f"/partner/sessions/{poster_world['session_id']}/poster"))
    assert "script-src" in response.headers["content-security-policy"]
    page.get_by_role("button", name="Afdrukken").click()
    page.wait_for_function("() => window.__printed === 1")
    assert page.evaluate("() => window.__csp") == []


def test_a_busy_week_still_prints_on_one_page(new_page, live_server, live_make, public_url_set,
                                             tmp_path):
    make = live_make
    n = make._next()
    location = make.location(organisation=make.organisation(slug=f"busy-{n}"),
                             name=f"Drukke bib {n}", address="Kouter 1, 9000 Gent", city="Gent")
    rooms = [make.room(location=location, name=f"Zaal {i}", capacity=10) for i in range(4)]
    first = soon(24 * 8)
    monday = first - timedelta(days=first.astimezone().isoweekday() - 1)
    for i in range(30):  # 30 sessions: 20 listed, the rest behind the QR code
        starts = monday + timedelta(days=i % 5, hours=i // 5 % 2 * 3)
        make.session(room=rooms[i // 10], theme=make.theme_of("cv"), starts_at=starts,
                     ends_at=starts + timedelta(hours=2))
    email = staff_account(location)
    page = new_page({"width": 1280, "height": 900}, locale="nl-BE")
    log_in(page, live_server, email, STAFF_PASSWORD)
    page.goto(live_server(f"/partner/locations/{location.id}/poster"
                          f"?week={monday.date().isoformat()}"))
    assert page.locator(".poster-list li").count() == 20
    assert "En nog 10 sessies" in page.inner_text(".poster-page")
    pages, codes = _decode_printed(page.pdf(format="A4", prefer_css_page_size=True), tmp_path)
    assert pages == 1
    assert codes == [f"{PUBLIC}/?location={location.id}&lang=nl"]
