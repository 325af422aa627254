"""Planner pages: parse, check the coordinator's access, call the planning
services, render."""
import json
from collections import defaultdict
from datetime import date, datetime, timedelta

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from booking.audit import current_actor
from booking.auth.access import role_required
from booking.auth.forms import ActionForm
from booking.extensions import db
from booking.messages import status_name
from booking.models import Demand, Location, Person, Theme
from booking.planner import bp
from booking.planner.forms import AbsenceForm, DemandForm, ImportForm, PersonForm, PlanForm
from booking.services import areas as area_service
from booking.services import people as people_service
from booking.services import planning_publish, planning_runs, staff_absence
from booking.services.errors import ServiceError
from booking.services.planning import build_problem
from booking.times import local, zone

COORDINATORS = ("coordinator", "admin")


@bp.get("/")
@role_required(*COORDINATORS)
def index():
    today = local(datetime.now(zone())).date()
    form = PlanForm(start=today + timedelta(days=7), end=today + timedelta(days=34))
    return render_template("planner/index.html", form=form, runs=planning_runs.recent_runs(),
                           import_form=ImportForm())


@bp.post("/runs")
@role_required(*COORDINATORS)
def new_run():
    form = PlanForm()
    if not form.validate_on_submit():
        return render_template("planner/index.html", form=form, import_form=ImportForm(),
                               runs=planning_runs.recent_runs()), 400
    try:
        run = planning_runs.create_run(
            form.start.data, form.end.data, time_limit=form.time_limit.data,
            budget=form.budget.data, repair=form.repair.data, user_id=current_user.id,
            purpose=_("Repair") if form.repair.data else _("Season plan"),
        )
        planning_runs.start_run(run.id)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("planner.index"))
    return redirect(url_for("planner.run", run_id=run.id))


@bp.post("/import")
@role_required(*COORDINATORS)
def import_problem():
    form = ImportForm()
    if not form.validate_on_submit():
        flash(_("Choose a JSON file with a planning problem."), "error")
        return redirect(url_for("planner.index"))
    try:
        problem = json.loads(form.problem.data.read().decode("utf-8"))
        run = planning_runs.import_run(problem, time_limit=form.time_limit.data,
                                       user_id=current_user.id)
        planning_runs.start_run(run.id)
    except (UnicodeDecodeError, json.JSONDecodeError):
        flash(_("This file is not JSON."), "error")
        return redirect(url_for("planner.index"))
    except ServiceError as error:
        return render_template("planner/import_errors.html", error=error), 400
    return redirect(url_for("planner.run", run_id=run.id))


@bp.get("/problem.json")
@role_required(*COORDINATORS)
def export_problem():
    try:
        start = date.fromisoformat(request.args["from"])
        end = date.fromisoformat(request.args["to"])
    except (KeyError, ValueError):
        abort(400, _("Give the period as ?from=YYYY-MM-DD&to=YYYY-MM-DD."))
    problem = build_problem(start, end, timezone=zone().key, repair="repair" in request.args)
    return _download(problem, f"instap-problem-{start}-{end}.json")


@bp.get("/runs/<int:run_id>")
@role_required(*COORDINATORS)
def run(run_id):
    planning_run = _run_or_404(run_id)
    changes = planning_publish.review(planning_run, _language()) if not planning_run.imported else []
    return render_template(
        "planner/run.html", run=planning_run, changes=changes,
        grids=_grids(planning_run) if planning_run.plan else None,
        names=_names(planning_run.problem), budget=planning_run.problem.get("budget"),
        waiting=planning_runs.waiting_note(planning_run),
    )


@bp.get("/runs/<int:run_id>/progress")
@role_required(*COORDINATORS)
def progress(run_id):
    planning_run = _run_or_404(run_id)
    return jsonify(status=planning_run.status, status_label=status_name(planning_run.status),
                   time_limit=planning_run.time_limit,
                   **planning_run.progress)


@bp.get("/runs/<int:run_id>/plan.json")
@role_required(*COORDINATORS)
def plan_json(run_id):
    planning_run = _run_or_404(run_id)
    if not planning_run.plan:
        abort(404)
    return _download(planning_run.plan, f"instap-plan-{run_id}.json")


@bp.post("/runs/<int:run_id>/cancel")
@role_required(*COORDINATORS)
def cancel(run_id):
    try:
        planning_runs.cancel_run(run_id)
        flash(_("The run is stopped."), "success")
    except ServiceError as error:
        flash(error.message, "error")
    return redirect(url_for("planner.run", run_id=run_id))


@bp.post("/runs/<int:run_id>/publish")
@role_required(*COORDINATORS)
def publish(run_id):
    _run_or_404(run_id)
    selected = set(request.form.getlist("change"))
    if not selected:
        flash(_("Tick at least one change to publish."), "error")
        return redirect(url_for("planner.run", run_id=run_id))
    try:
        result = planning_publish.publish(run_id, selected, actor=current_actor())
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("planner.run", run_id=run_id))
    flash(_("Published: %(new)d new, %(moved)d moved, %(restaffed)d with new staff, "
            "%(cancelled)d cancelled.", new=result.count("new"), moved=result.count("moved"),
            restaffed=result.count("restaffed"),
            cancelled=result.count("cancelled") + result.count("dropped")), "success")
    for problem in result.problems:
        flash(_("Not published: %(problem)s", problem=problem), "error")
    return redirect(url_for("planner.run", run_id=run_id))


@bp.route("/demand", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def demand():
    form = DemandForm()
    themes = db.session.scalars(select(Theme).order_by(Theme.id)).all()
    locations = db.session.scalars(select(Location).order_by(Location.city, Location.name)).all()
    from booking.partner.forms import options

    form.theme.choices = options([(t.id, t.title(_language())) for t in themes])
    form.locations.choices = options([(loc.id, f"{loc.name} ({loc.city})") for loc in locations])
    areas = area_service.all_areas()
    form.areas.choices = options([(area.id, area.label) for area in areas])
    if form.validate_on_submit():
        db.session.add(Demand(
            theme_id=form.theme.data, sessions=form.sessions.data, per_week=form.per_week.data,
            same_slot_each_week=form.same_slot_each_week.data,
            location_ids=form.locations.data or None,
            areas=form.areas.data or None,
            language=form.language.data or None, priority=form.priority.data,
            window_start=form.window_start.data, window_end=form.window_end.data,
        ))
        db.session.commit()
        flash(_("Demand added."), "success")
        return redirect(url_for("planner.demand"))
    demands = db.session.scalars(select(Demand).order_by(Demand.window_start, Demand.id)).all()
    return render_template("planner/demand.html", form=form, demands=demands,
                           locations={loc.id: loc for loc in locations},
                           areas={area.id: area for area in areas}), 400 if form.errors else 200


@bp.route("/demand/<int:demand_id>/delete", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def delete_demand(demand_id):
    """GET asks first (the next plan will not place these sessions); POST removes."""
    demand = db.get_or_404(Demand, demand_id)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        db.session.delete(demand)
        db.session.commit()
        flash(_("Demand removed."), "success")
        return redirect(url_for("planner.demand"))
    what = _("%(count)d × %(title)s, %(start)s – %(end)s", count=demand.sessions,
             title=demand.theme.title(str(get_locale() or "nl")),
             start=demand.window_start or "", end=demand.window_end or "")
    return render_template(
        "staff/confirm.html", title=_("Remove this demand?"), what=what,
        consequence=_("The next plan no longer places these sessions. Sessions already "
                      "published stay as they are."),
        action=url_for("planner.delete_demand", demand_id=demand.id),
        confirm=_("Yes, remove the demand"), back=url_for("planner.demand"), form=form)


@bp.route("/people", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def people():
    everyone = db.session.scalars(select(Person).order_by(Person.name)).all()
    form = AbsenceForm()
    from booking.partner.forms import options

    form.person.choices = options([(p.id, p.name) for p in everyone])
    if form.validate_on_submit():
        person = staff_absence.mark_absent(form.person.data, form.first_day.data,
                                           form.last_day.data)
        flash(_("%(name)s is marked absent. Plan the repair below to see what must change.",
                name=person.name), "success")
        return redirect(url_for("planner.people", repair_from=form.first_day.data.isoformat(),
                                repair_to=form.last_day.data.isoformat()))
    repair_form = None
    if request.args.get("repair_from"):
        repair_form = PlanForm(
            start=max(date.fromisoformat(request.args["repair_from"]), local(datetime.now(zone())).date()),
            end=date.fromisoformat(request.args["repair_to"]), repair=True, time_limit=20)
    return render_template("planner/people.html", people=everyone, form=form,
                           repair_form=repair_form), 400 if form.errors else 200


@bp.route("/people/new", methods=["GET", "POST"])
@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def person(person_id=None):
    from booking.partner.forms import format_opening_hours, options, parse_opening_hours

    existing = db.get_or_404(Person, person_id) if person_id else None
    form = PersonForm(obj=existing) if request.method == "GET" and existing else PersonForm()
    form.themes.choices = options([(t.id, t.title(_language()))
                                   for t in db.session.scalars(select(Theme).order_by(Theme.id))])
    form.locations.choices = options([
        (loc.id, f"{loc.name} ({loc.city})")
        for loc in db.session.scalars(select(Location).order_by(Location.city, Location.name))])
    if request.method == "GET" and existing:
        form.themes.data = existing.themes or []
        form.languages.data = ", ".join(existing.languages)
        form.locations.data = existing.location_ids or []
        form.availability.data = format_opening_hours(existing.availability or [])
    if form.validate_on_submit():
        try:
            saved = people_service.save_person(
                existing, name=form.name.data, roles=form.roles.data, themes=form.themes.data,
                languages=[c.strip() for c in form.languages.data.split(",") if c.strip()],
                cost_per_session=form.cost_per_session.data, max_sessions=form.max_sessions.data,
                location_ids=form.locations.data, availability=parse_opening_hours(form.availability.data),
            )
        except ServiceError as error:
            for name, message in error.fields.items():
                getattr(form, name).errors = [*getattr(form, name).errors, message]
        else:
            flash(_("%(name)s is saved.", name=saved.name), "success")
            return redirect(url_for("planner.people"))
    return render_template("planner/person.html", form=form, person=existing), (
        400 if form.errors else 200)


def _language():
    from flask_babel import get_locale

    return str(get_locale())


def _run_or_404(run_id):
    return db.get_or_404(planning_runs.PlanningRun, run_id)


def _download(data, filename):
    return Response(json.dumps(data, indent=1, ensure_ascii=False), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _names(problem) -> dict:
    """Plan ids to names a coordinator recognises."""
    names = {}
    for group in ("locations", "people"):
        names |= {item["id"]: item.get("name", item["id"]) for item in problem.get(group, [])}
    names |= {t["id"]: t.get("title", t["id"]) for t in problem.get("themes", [])}
    rooms = {r["id"]: r for r in problem.get("rooms", [])}
    names |= {rid: f"{names.get(r['location'], r['location'])} · {rid}" for rid, r in rooms.items()}
    return names


def _grids(run) -> list[dict]:
    """The plan as week grids: one per ISO week, rows per location and per person."""
    weeks = defaultdict(lambda: {"locations": defaultdict(lambda: defaultdict(list)),
                                 "people": defaultdict(lambda: defaultdict(list))})
    for entry in run.plan["sessions"]:
        start = datetime.fromisoformat(entry["start"])
        year, week, weekday = start.isocalendar()
        grid = weeks[(year, week)]
        grid["locations"][entry["location"]][weekday].append(entry)
        for people in entry["staff"].values():
            for person in people:
                grid["people"][person][weekday].append(entry)
    return [
        {"year": year, "week": week,
         "monday": date.fromisocalendar(year, week, 1),
         "locations": dict(sorted(grid["locations"].items())),
         "people": dict(sorted(grid["people"].items()))}
        for (year, week), grid in sorted(weeks.items())
    ]
