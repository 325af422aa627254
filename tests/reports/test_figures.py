"""Report figures against the hand-counted world of conftest.py."""
from datetime import date

import pytest

from booking.models import AGE_GROUPS
from booking.services import reports
from tests.reports.conftest import END, NOW, START

COUNTS = ("bookings", "attended", "no_show", "cancelled", "waitlisted",
          "walk_in", "pre_registered", "referred", "attendance_rate")


def figures(table):
    return {row["key"]: tuple(row[c] for c in COUNTS) for row in table.rows}


@pytest.fixture
def report(known):
    return reports.build(START, END, budget=1000, now=NOW)


def test_summary(report):
    assert report.summary == {
        "sessions_held": 2, "sessions_upcoming": 1, "sessions_cancelled": 1,
        "participants_reached": 5, "bookings": 13, "attended": 5, "no_show": 2,
        "cancelled": 2, "waitlisted": 1, "walk_in": 3, "pre_registered": 8, "referred": 2,
        "attendance_rate": 71.4, "average_attended_fill": 50.0, "dropin_helped": 2,
        "spent": 600, "planned": 100, "budget": 1000, "remaining": 300, "budget_used": 70.0,
        "warnings": 2,
    }


def test_by_theme(report, known):
    table = report.tables["theme"]
    assert [row["label"] for row in table.rows] == ["Formulieren", "Maak je cv"]
    assert figures(table) == {
        "cv": (9, 3, 1, 2, 0, 1, 6, 2, 75.0),
        "forms": (4, 2, 1, 0, 1, 2, 2, 0, 66.7),
    }
    assert tuple(table.total[c] for c in COUNTS) == (13, 5, 2, 2, 1, 3, 8, 2, 71.4)


def test_by_location(report, known):
    table = report.tables["location"]
    assert [row["label"] for row in table.rows] == ["Centre (Kortrijk)", "Library (Gent)"]
    assert figures(table) == {
        str(known.library.id): (6, 3, 1, 2, 0, 1, 4, 1, 75.0),
        str(known.centre.id): (7, 2, 1, 0, 1, 2, 4, 1, 66.7),
    }


def test_by_month_uses_local_time(report):
    # S2 starts 31 March 22:30 UTC, which is 1 April 00:30 in Brussels.
    table = report.tables["month"]
    assert [row["key"] for row in table.rows] == ["2025-03", "2025-04"]
    assert figures(table) == {
        "2025-03": (6, 3, 1, 2, 0, 1, 4, 1, 75.0),
        "2025-04": (7, 2, 1, 0, 1, 2, 4, 1, 66.7),
    }


def test_by_language(report):
    table = report.tables["language"]
    assert figures(table) == {
        "nl": (6, 2, 0, 2, 1, 1, 5, 0, 100.0),
        "ar": (2, 1, 0, 0, 0, 0, 1, 1, 100.0),
        "tr": (2, 0, 1, 0, 0, 0, 1, 1, 0.0),
        "fr": (2, 1, 1, 0, 0, 2, 0, 0, 50.0),
        "unknown": (1, 1, 0, 0, 0, 0, 1, 0, 100.0),
    }
    labels = {row["key"]: row["label"] for row in table.rows}
    assert labels["nl"] == "Nederlands" and labels["ar"] == "العربية"


def test_by_age_group_lists_every_group_of_the_seeds(report):
    table = report.tables["age_group"]
    assert [row["key"] for row in table.rows] == [*AGE_GROUPS, "unknown"]
    assert figures(table) == {
        "00-24": (2, 0, 0, 2, 0, 0, 2, 0, None),
        "25-29": (2, 1, 0, 0, 0, 0, 2, 0, 100.0),
        "30-39": (2, 2, 0, 0, 0, 1, 1, 0, 100.0),
        "40-49": (2, 1, 1, 0, 0, 2, 0, 0, 50.0),
        "50-54": (1, 0, 0, 0, 1, 0, 1, 0, None),
        "55-59": (1, 0, 0, 0, 0, 0, 1, 0, None),
        "60-64": (1, 0, 0, 0, 0, 0, 0, 1, None),
        "65+": (1, 0, 1, 0, 0, 0, 0, 1, 0.0),
        "unknown": (1, 1, 0, 0, 0, 0, 1, 0, 100.0),
    }


def test_by_kind(report):
    rows = {row["key"]: row for row in report.tables["kind"].rows}
    assert list(rows) == ["walk_in", "pre_registered", "referred"]
    keys = ("bookings", "attended", "no_show", "cancelled", "waitlisted", "attendance_rate")
    assert {k: tuple(r[c] for c in keys) for k, r in rows.items()} == {
        "walk_in": (3, 2, 1, 0, 0, 66.7),
        "pre_registered": (8, 3, 0, 2, 1, 100.0),
        "referred": (2, 0, 1, 0, 0, 0.0),
    }


def test_fill_rate_per_session(report, known):
    s1, s2, s3 = known.sessions[:3]
    rows = report.tables["sessions"].rows
    keys = ("key", "when", "state", "capacity", "booked", "attended", "no_show",
            "booked_fill", "attended_fill", "languages", "age_groups", "cost")
    assert [tuple(row[k] for k in keys) for row in rows] == [
        (str(s1.id), "2025-03-10 10:00", "held", 5, 4, 3, 1, 80.0, 60.0, 2, 2, 250),
        (str(s2.id), "2025-04-01 00:30", "held", 5, 3, 2, 1, 60.0, 40.0, 1, 1, 350),
        (str(s3.id), "2025-04-25 10:00", "upcoming", 5, 3, None, None, 60.0, None, 3, 3, 100),
    ]


def test_early_warnings(report, known):
    s2, s3 = known.sessions[1:3]
    assert [(row["key"], row["risk"], row["detail"])
            for row in report.tables["warnings"].rows] == [
        (str(s2.id), "too few participants", "2 of 5 seats attended (40 %)"),
        (str(s3.id), "groups too mixed", "3 languages (ar, nl, tr)"),
    ]


def test_warning_thresholds_are_arguments(known):
    report = reports.build(START, END, now=NOW, min_fill=0.7, mixed_languages=4,
                           mixed_age_groups=2)
    s1, s2, s3 = known.sessions[:3]
    risks = [(row["key"], row["risk"]) for row in report.tables["warnings"].rows]
    assert risks == [
        (str(s1.id), "too few participants"),  # 3 of 5 < 70 %
        (str(s1.id), "groups too mixed"),  # 2 age groups
        (str(s2.id), "too few participants"),  # 2 of 5
        (str(s3.id), "too few participants"),  # 3 of 5 booked, 5 days ahead
        (str(s3.id), "groups too mixed"),
    ]


def test_feedback(report, known):
    keys = ("happy", "neutral", "sad", "total", "happy_share")
    by_theme = {r["key"]: tuple(r[k] for k in keys) for r in report.tables["feedback_theme"].rows}
    assert by_theme == {"cv": (2, 1, 0, 3, 66.7), "forms": (0, 0, 1, 1, 0.0)}
    by_location = {r["key"]: tuple(r[k] for k in keys)
                   for r in report.tables["feedback_location"].rows}
    assert by_location == {str(known.library.id): (2, 1, 0, 3, 66.7),
                           str(known.centre.id): (0, 0, 1, 1, 0.0)}
    assert report.tables["feedback_theme"].total["happy_share"] == 50.0


def test_cost_against_budget(report):
    keys = ("held", "spent", "attended", "per_participant", "upcoming", "planned")
    by_theme = report.tables["cost_theme"]
    assert {r["key"]: tuple(r[k] for k in keys) for r in by_theme.rows} == {
        "cv": (1, 250, 3, 83.33, 1, 100),
        "forms": (1, 350, 2, 175.0, 0, 0),
    }
    assert tuple(by_theme.total[k] for k in keys) == (2, 600, 5, 120.0, 1, 100)
    by_month = report.tables["cost_month"]
    assert {r["key"]: tuple(r[k] for k in keys) for r in by_month.rows} == {
        "2025-03": (1, 250, 3, 83.33, 0, 0),  # the cancelled S4 costs nothing
        "2025-04": (1, 350, 2, 175.0, 1, 100),
    }


def test_budget_defaults_to_the_configured_yearly_budget(app, known):
    assert reports.build(START, END, now=NOW).summary["budget"] == 5000
    app.config["PLANNING_BUDGET"] = 800
    summary = reports.build(START, END, now=NOW).summary
    assert (summary["budget"], summary["remaining"], summary["budget_used"]) == (800, 100, 87.5)


def test_dropin_help(report, known):
    keys = ("tickets", "helped", "left", "waiting")
    topics = {r["key"]: tuple(r[k] for k in keys) for r in report.tables["dropin_topic"].rows}
    assert topics == {"cv": (1, 0, 1, 0), "email": (2, 2, 0, 0)}
    places = {r["key"]: tuple(r[k] for k in keys)
              for r in report.tables["dropin_location"].rows}
    assert places == {str(known.library.id): (2, 1, 1, 0), str(known.centre.id): (1, 1, 0, 0)}


def test_one_organisation_or_location(known):
    for_b = reports.build(START, END, organisation_id=known.org_b.id, now=NOW)
    assert (for_b.summary["bookings"], for_b.summary["attended"]) == (7, 2)
    assert for_b.organisation == "Centre org"
    assert [r["key"] for r in for_b.tables["location"].rows] == [str(known.centre.id)]
    assert for_b.summary["dropin_helped"] == 1
    for_library = reports.build(START, END, location_id=known.library.id, now=NOW)
    assert (for_library.summary["bookings"], for_library.summary["spent"]) == (6, 250)
    assert for_library.location == "Library"


def test_period_bounds_are_local_days(known):
    # 1 April (local) alone holds S2 only, though S2 starts on 31 March in UTC.
    report = reports.build(date(2025, 4, 1), date(2025, 4, 1), now=NOW)
    assert [r["key"] for r in report.tables["sessions"].rows] == [str(known.sessions[1].id)]
    assert reports.build(date(2025, 3, 31), date(2025, 3, 31), now=NOW).summary["bookings"] == 0


def test_empty_period(known):
    report = reports.build(date(2020, 1, 1), date(2020, 2, 29), now=NOW)
    assert report.summary["bookings"] == 0 and report.summary["attendance_rate"] is None
    assert [r["key"] for r in report.tables["month"].rows] == ["2020-01", "2020-02"]
    assert report.tables["sessions"].rows == [] and report.tables["theme"].total is None


def test_titles_in_the_requested_language(known):
    report = reports.build(START, END, now=NOW, lang="en")
    assert [r["label"] for r in report.tables["theme"].rows] == ["Forms", "Make your CV"]


def test_presets():
    today = date(2027, 8, 15)
    assert reports.year_to_date(today) == (date(2027, 1, 1), today)
    assert reports.interim(today) == (date(2027, 1, 1), date(2027, 6, 30))
    assert reports.full(today) == (date(2027, 1, 1), date(2027, 10, 31))
    assert reports.months(date(2026, 11, 3), date(2027, 2, 1)) == [
        "2026-11", "2026-12", "2027-01", "2027-02"]


def test_unmet_demand_section_follows_the_planner(report):
    from booking.services import planning

    assert report.unmet_available == hasattr(planning, "latest_unmet")
    assert ("unmet" in report.tables) == report.unmet_available


def test_seats_filled_by_theme_and_location(report, known):
    keys = ("held", "seats", "booked", "attended", "booked_fill", "attended_fill", "too_few")
    by_theme = report.tables["fill_theme"]
    assert {r["key"]: tuple(r[k] for k in keys) for r in by_theme.rows} == {
        "cv": (1, 5, 4, 3, 80.0, 60.0, 0),  # the upcoming S3 is not held yet
        "forms": (1, 5, 3, 2, 60.0, 40.0, 1),
    }
    assert tuple(by_theme.total[k] for k in keys) == (2, 10, 7, 5, 70.0, 50.0, 1)
    by_location = report.tables["fill_location"]
    assert {r["key"]: tuple(r[k] for k in keys) for r in by_location.rows} == {
        str(known.library.id): (1, 5, 4, 3, 80.0, 60.0, 0),
        str(known.centre.id): (1, 5, 3, 2, 60.0, 40.0, 1),
    }


def test_unmet_demand_shapes(known, monkeypatch):
    from booking.services import planning

    unmet = [{"demand": "cv-may", "missing": 1, "reason": "no room", "weeks": [18, 19]}]
    for answer in (unmet, {"run": 7, "unmet": unmet}):
        monkeypatch.setattr(planning, "latest_unmet", lambda answer=answer: answer,
                            raising=False)
        table = reports.build(START, END, now=NOW).tables["unmet"]
        assert [c.label for c in table.columns] == ["Demand", "Sessions missing", "Why", "Weeks"]
        assert table.rows == [{"demand": "cv-may", "missing": 1, "reason": "no room",
                               "weeks": "18, 19"}]
    monkeypatch.setattr(planning, "latest_unmet", lambda: None, raising=False)
    assert reports.build(START, END, now=NOW).tables["unmet"].rows == []
