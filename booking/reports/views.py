"""Report pages: parse the period, build the report (booking.services.reports),
draw its charts (booking.services.charts), render or export it."""
import csv
import io

from flask import Response, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from booking.auth.access import role_required
from booking.extensions import db
from booking.i18n import translated
from booking.messages import service_text
from booking.models import Location, Organisation
from booking.reports import bp
from booking.reports.forms import PRESETS, parse, today
from booking.services import charts, reports

REPORT_ROLES = ("coordinator", "admin")
# Order of the sections on the page and in the printed report.
SECTIONS = ("summary", "warnings", "month", "theme", "location", "language", "age_group",
            "kind", "fill_theme", "fill_location", "sessions", "feedback_theme",
            "feedback_location", "cost_month", "cost_theme", "dropin_topic", "dropin_location",
            "unmet")
UNITS = {"pct": "%", "eur": "EUR"}


@bp.before_request
@role_required(*REPORT_ROLES)
def _coordinators_only():
    return None


def _report():
    form = parse(request.args)
    report = reports.build(form.start, form.end, organisation_id=form.organisation_id,
                           location_id=form.location_id, budget=form.budget,
                           lang=str(get_locale()))
    tables = [report.tables[key] for key in SECTIONS if key in report.tables]
    return form, report, tables


def _scope_choices():
    organisations = list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
    locations = list(db.session.scalars(
        select(Location).join(Organisation).order_by(Organisation.name, Location.name)))
    return organisations, locations


@bp.get("/")
def index():
    form, report, tables = _report()
    organisations, locations = _scope_choices()
    return render_template("reports/index.html", form=form, report=report, tables=tables,
                           charts=report_charts(report), presets=PRESETS,
                           organisations=organisations, locations=locations)


@bp.get("/print")
def printable():
    form, report, tables = _report()
    return render_template("reports/print.html", form=form, report=report, tables=tables,
                           charts=report_charts(report), made_on=today())


@bp.get("/<key>.csv")
def export(key):
    form, report, _tables = _report()
    table = report.tables.get(key)
    if table is None:
        abort(404)
    text = table_csv(table, semicolons=request.args.get("sep") == "semicolon")
    filename = f"instap-{key}-{form.start.isoformat()}-{form.end.isoformat()}.csv"
    return Response(
        "\ufeff" + text,  # the BOM tells Excel the file is UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def table_csv(table, *, semicolons: bool = False) -> str:
    """RFC 4180 CSV; with `semicolons`, the flavour a spreadsheet set up for
    Belgium or the Netherlands opens in columns: ';' between fields and a
    decimal comma."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if semicolons else ",", lineterminator="\r\n")

    def cell(value, kind):
        value = _cell(value, kind)
        if semicolons and isinstance(value, float):
            return str(value).replace(".", ",")
        return value

    if table.key == "summary":
        writer.writerow([_("Figure"), _("Value"), _("Unit")])
        for row in table.rows:
            writer.writerow([cell(translated(row["label"]), "text"),
                             cell(row["value"], row["unit"]),
                             UNITS.get(row["unit"], "")])
        return out.getvalue()
    writer.writerow([_header(column) for column in table.columns])
    for row in table.rows + ([table.total] if table.total else []):
        writer.writerow([cell(service_text(translated(row.get(column.key))), column.kind)
                         for column in table.columns])
    return out.getvalue()


def _header(column) -> str:
    unit = UNITS.get(column.kind)
    label = translated(column.label)
    return f"{label} ({unit})" if unit else label


def _cell(value, kind):
    if value is None:
        return ""
    if kind == "text" and isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value  # a spreadsheet must not run a partner's text as a formula
    return value


def report_charts(report) -> dict:
    """{table key: SVG} for the tables a chart helps to read, in the page's language."""
    t = report.tables
    result = {}

    def bars(key, title, desc, columns, unit=""):
        table = t[key]
        if not table.rows:
            return
        labels = [str(translated(row["label"])) for row in table.rows]
        series = [(name, [row[column] for row in table.rows]) for column, name in columns]
        result[key] = charts.horizontal_bars(f"{key}", title, desc, labels, series, unit=unit)

    same = _("the table below has the same numbers.")
    reach = (("bookings", _("Bookings")), ("attended", _("Attended")))
    month = t["month"]
    result["month"] = charts.month_columns(
        "month", _("Reach by month"),
        _("Bookings, attended and no-shows per month of the period; %(same)s", same=same),
        [row["label"] for row in month.rows],
        [(name, [row[column] for row in month.rows])
         for column, name in (*reach, ("no_show", _("No-shows")))])
    for key, title, desc in (
        ("theme", _("Reach by theme"), _("Bookings and participants who attended, per theme.")),
        ("location", _("Reach by location"),
         _("Bookings and participants who attended, per location.")),
        ("language", _("Reach by language"),
         _("Bookings and participants who attended, per language.")),
        ("age_group", _("Reach by age group"),
         _("Bookings and participants who attended, per age group.")),
    ):
        bars(key, title, f"{desc} {same}", reach)
    bars("kind", _("Walk-in, pre-registered, referred"),
         _("Bookings and attendance by the way participants came in."), reach)
    filled = (("booked_fill", _("Booked")), ("attended_fill", _("Attended")))
    bars("fill_theme", _("Seats filled by theme"),
         _("Share of the seats of held sessions that were booked and that were attended, "
           "per theme, in per cent."), filled, unit="%")
    bars("fill_location", _("Seats filled by location"),
         _("Share of the seats of held sessions that were booked and that were attended, "
           "per location, in per cent."), filled, unit="%")
    smileys = (("happy", _("Good")), ("neutral", _("So-so")), ("sad", _("Not good")))
    bars("feedback_theme", _("Feedback by theme"),
         _("Smiley answers after sessions, per theme."), smileys)
    bars("feedback_location", _("Feedback by location"),
         _("Smiley answers after sessions, per location."), smileys)
    cost = t["cost_month"]
    result["cost_month"] = charts.month_columns(
        "cost_month", _("Staff cost by month"),
        _("Staff cost spent on held sessions and planned for upcoming ones, per month, in euro."),
        [row["label"] for row in cost.rows],
        [(_("Spent"), [row["spent"] for row in cost.rows]),
         (_("Planned"), [row["planned"] for row in cost.rows])], unit="EUR")
    s = report.summary
    result["summary"] = charts.horizontal_bars(
        "budget", _("Cost against budget"),
        _("Spent %(spent)s euro and planned %(planned)s euro against a budget of "
          "%(budget)s euro.", spent=s["spent"], planned=s["planned"], budget=s["budget"]),
        [_("Spent"), _("Spent and planned"), _("Budget")],
        [("EUR", [s["spent"], s["spent"] + s["planned"], s["budget"]])], unit="EUR")
    bars("dropin_location", _("Drop-in help by location"), _("Numbers taken and people helped."),
         (("tickets", _("Numbers taken")), ("helped", _("Helped"))))
    return result


@bp.app_template_filter("report_value")
def report_value(value, kind="int"):
    """A figure as the page shows it: '80 %', '€ 1 250', '–' for none."""
    if value is None:
        return "–"
    if kind == "pct":
        return f"{value:g} %"
    if kind == "eur":
        text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
        return "€ " + text.replace(",", "\u202f")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", "\u202f")
    return value
