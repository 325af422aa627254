"""The report pages: who may see them, the period form, CSV, print."""
import csv
import io
from datetime import date

import pytest

from booking.reports.forms import parse, today
from booking.services import charts
from tests.reports.conftest import login

PERIOD = "from=2025-03-01&to=2025-04-30"


@pytest.mark.parametrize("path", ["/reports/", f"/reports/print?{PERIOD}",
                                  f"/reports/theme.csv?{PERIOD}"])
def test_anonymous_is_sent_to_log_in(client, known, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["partner", "counsellor"])
@pytest.mark.parametrize("path", ["/reports/", f"/reports/print?{PERIOD}",
                                  f"/reports/theme.csv?{PERIOD}"])
def test_partner_staff_and_counsellors_are_refused(client, known, role, path):
    login(client, getattr(known.users, role))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_coordinator_and_admin_see_the_report(client, known, role):
    login(client, getattr(known.users, role))
    page = client.get(f"/reports/?{PERIOD}").get_data(as_text=True)
    assert "Maak je cv" in page and "Formulieren" in page
    assert page.count('<svg class="chart"') >= 8
    assert 'role="img"' in page and "<title id=\"chart-theme-title\">Bereik per thema</title>" in page  # nl by default
    assert 'href="/reports/theme.csv?from=2025-03-01&amp;to=2025-04-30"' in page
    assert "Name1" not in page and "+3247" not in page  # statistics only


def test_default_period_is_this_year_to_date(client, known):
    login(client, known.users.coordinator)
    page = client.get("/reports/").get_data(as_text=True)
    now = today()
    assert f'value="{date(now.year, 1, 1).isoformat()}"' in page
    assert f'value="{now.isoformat()}"' in page


def test_presets_and_bad_input():
    now = date(2027, 8, 15)
    assert (parse({"preset": "interim"}, now=now).start,
            parse({"preset": "interim"}, now=now).end) == (date(2027, 1, 1), date(2027, 6, 30))
    assert parse({"preset": "full"}, now=now).end == date(2027, 10, 31)
    form = parse({"from": "2027-05-01", "to": "2027-04-01"}, now=now)
    assert "to" in form.errors and (form.start, form.end) == (date(2027, 1, 1), now)
    form = parse({"from": "yesterday", "organisation": "x", "budget": "-5"}, now=now)
    assert set(form.errors) == {"from", "organisation", "budget"}
    form = parse({"from": "2025-03-01", "to": "2025-04-30", "organisation": "3"}, now=now)
    assert form.valid and form.query() == {"from": "2025-03-01", "to": "2025-04-30",
                                           "organisation": 3}


def test_bad_dates_show_a_message(client, known):
    login(client, known.users.coordinator)
    response = client.get("/reports/?from=2025-13-01")
    assert response.status_code == 200
    assert "Geef een datum als JJJJ-MM-DD." in response.get_data(as_text=True)


def read_csv(response):
    body = response.data.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_csv_of_a_table(client, known):
    login(client, known.users.coordinator)
    response = client.get(f"/reports/theme.csv?{PERIOD}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="instap-theme-2025-03-01-2025-04-30.csv"')
    assert b"\r\n" in response.data
    assert read_csv(response) == [
        ["Thema", "Inschrijvingen", "Aanwezig", "Niet gekomen", "Geannuleerd", "Wachtlijst",
         "Vrije inloop", "Vooraf ingeschreven", "Doorverwezen", "Aanwezigheidsgraad (%)"],
        ["Formulieren", "4", "2", "1", "0", "1", "2", "2", "0", "66.7"],
        ["Maak je cv", "9", "3", "1", "2", "0", "1", "6", "2", "75.0"],
        ["Totaal", "13", "5", "2", "2", "1", "3", "8", "2", "71.4"],
    ]


def test_csv_of_age_groups_and_summary(client, known):
    login(client, known.users.admin)
    rows = read_csv(client.get(f"/reports/age_group.csv?{PERIOD}"))
    assert [row[0] for row in rows] == ["Leeftijdsgroep", "00-24", "25-29", "30-39", "40-49",
                                        "50-54", "55-59", "60-64", "65+", "onbekend", "Totaal"]
    assert rows[1][9] == ""  # no attendance rate without anyone expected
    summary = read_csv(client.get(f"/reports/summary.csv?{PERIOD}&budget=1000"))
    assert summary[0] == ["Cijfer", "Waarde", "Eenheid"]
    assert ["Inschrijvingen", "13", ""] in summary and ["Budget", "1000", "EUR"] in summary


def test_every_table_exports(client, known):
    login(client, known.users.coordinator)
    page = client.get(f"/reports/?{PERIOD}").get_data(as_text=True)
    from booking.services import reports
    from tests.reports.conftest import END, NOW, START

    for key, table in reports.build(START, END, now=NOW).tables.items():
        assert f"/reports/{key}.csv?" in page
        rows = read_csv(client.get(f"/reports/{key}.csv?{PERIOD}"))
        assert len(rows) >= 1 + len(table.rows)
    assert client.get(f"/reports/nothing.csv?{PERIOD}").status_code == 404


def test_csv_never_runs_a_formula(client, known, make):
    make.session(theme=make.theme(id="evil", titles={"nl": "=HYPERLINK(\"x\")"}),
                 starts_at=known.sessions[0].starts_at)
    login(client, known.users.coordinator)
    rows = read_csv(client.get(f"/reports/sessions.csv?{PERIOD}"))
    assert "'=HYPERLINK(\"x\")" in [row[1] for row in rows]


def test_printable_report(client, known):
    login(client, known.users.coordinator)
    response = client.get(f"/reports/print?{PERIOD}&organisation={known.org_a.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "reports.css" in page and page.count('class="sheet') >= 10
    assert page.count('<svg class="chart"') >= 5
    assert "Library" in page and "Centre (Kortrijk)" not in page  # one organisation
    assert "Download as CSV" not in page


def test_print_css_is_a4_one_section_a_page(app):
    css = (app.static_folder + "/reports.css")
    with open(css) as f:
        text = f.read()
    assert "size: A4" in text and "break-after: page" in text


def test_chart_is_accessible_and_escapes_labels():
    svg = str(charts.horizontal_bars("t", "Reach <by> theme", "Bookings & attended",
                                     ["<script>", "Arabic العربية"],
                                     [("Bookings", [3, None]), ("Attended", [1, 0])]))
    assert svg.startswith('<svg class="chart"') and 'role="img"' in svg
    assert 'aria-labelledby="chart-t-title chart-t-desc"' in svg
    assert '<title id="chart-t-title">Reach &lt;by&gt; theme</title>' in svg
    assert '<desc id="chart-t-desc">Bookings &amp; attended</desc>' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert ">3</text>" in svg and ">–</text>" in svg
    months = str(charts.month_columns("m", "By month", "d", ["2025-03", "2025-04"],
                                      [("Spent", [250, 350])], unit="EUR"))
    assert ">Mar<" in months and ">€ 350</text>" in months
    empty = str(charts.horizontal_bars("e", "Empty", "Nothing", [], [("Bookings", [])]))
    assert "No data" in empty


def test_unmet_demand_from_the_planner_is_shown_and_exported(client, known, monkeypatch):
    from booking.services import planning

    monkeypatch.setattr(planning, "latest_unmet", lambda: [
        {"demand": "cv-gent-may", "missing": 2, "reason": "no trainer speaks Arabic"}],
        raising=False)
    login(client, known.users.coordinator)
    page = client.get(f"/reports/?{PERIOD}").get_data(as_text=True)
    assert "Onvervulde vraag (laatste planningsberekening)" in page and "no trainer speaks Arabic" in page
    rows = read_csv(client.get(f"/reports/unmet.csv?{PERIOD}"))
    assert rows == [["Vraag", "Ontbrekende sessies", "Waarom"],
                    ["cv-gent-may", "2", "no trainer speaks Arabic"]]


def test_report_page_in_a_right_to_left_language(client, known):
    login(client, known.users.coordinator)
    page = client.get(f"/reports/?{PERIOD}&lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page and 'direction="ltr"' in page  # charts keep their axes


def test_csv_with_semicolons_and_decimal_commas(client, known):
    login(client, known.users.coordinator)
    body = client.get(f"/reports/theme.csv?{PERIOD}&sep=semicolon").data.decode("utf-8")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[1] == ["Formulieren", "4", "2", "1", "0", "1", "2", "2", "0", "66,7"]


def test_month_chart_labels_stay_readable_over_long_periods():
    months = [f"{y}-{m:02d}" for y in (2025, 2026, 2027) for m in range(1, 13)]
    svg = str(charts.month_columns("m", "By month", "d", months, [("Bookings", [1] * 36)]))
    assert svg.count(">Jan<") == 3 and svg.count(">Feb<") == 0 and svg.count(">Apr<") == 3
    assert svg.count(">2025<") == svg.count(">2026<") == svg.count(">2027<") == 1
    from_february = str(charts.month_columns("f", "By month", "d", months[1:],
                                             [("Bookings", [1] * 35)]))
    assert ">2026<" in from_february and ">2027<" in from_february
