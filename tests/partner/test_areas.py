"""Areas as a vocabulary per city: the location form chooses one of its
city's areas or adds a new one, the planner's demand chooses areas by id,
and the planning problem keeps two cities' "Centrum" apart."""
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from booking.extensions import db
from booking.models import Area, Demand, Location
from booking.services import areas
from booking.services.errors import InvalidInput
from booking.services.planning import build_problem, key


@pytest.fixture
def partner(client, world, login_as):
    return login_as(world.users.partner)


def location_data(**fields):
    return {"name": "Wijkcentrum", "address": "Kerkstraat 1", "city": "Gent",
            "opening_hours": "1-5 09:00-17:00"} | fields


def test_an_area_is_one_per_city_up_to_case_and_spaces(app, make):
    gent = make.area("Gent", "Ledeberg")
    kortrijk = make.area("Kortrijk", "Centrum")
    assert areas.find("gent ", "  LEDEBERG") == gent
    assert areas.area_for("Gent", "Ledeberg") == gent
    with pytest.raises(InvalidInput) as refused:
        areas.add_area("Gent", "ledeberg ")
    assert refused.value.fields["new_area"] == "Gent already has the area “Ledeberg”: choose it in the list."
    assert areas.add_area("Gent", "Centrum").id not in (gent.id, kortrijk.id)
    assert kortrijk.label == "Centrum (Kortrijk)"


def test_the_location_form_chooses_an_area_of_the_city(partner, world, make):
    ledeberg = make.area("Gent", "Ledeberg")
    heule = make.area("Kortrijk", "Heule")
    page = partner.get("/partner/locations/new").get_data(as_text=True)
    assert '<optgroup label="Gent">' in page and '<optgroup label="Kortrijk">' in page
    response = partner.post("/partner/locations/new", data=location_data(area=str(ledeberg.id)))
    assert response.status_code == 302
    location = db.session.scalars(select(Location).where(Location.name == "Wijkcentrum")).one()
    assert location.area == ledeberg
    assert "Gent · Ledeberg" in partner.get("/partner/locations").get_data(as_text=True)
    # Heule lies in Kortrijk: refused for a location in Gent, what was typed stays.
    response = partner.post(f"/partner/locations/{location.id}/edit",
                            data=location_data(name="Wijkcentrum Oost", area=str(heule.id)))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Heule lies in Kortrijk: choose an area of this location&#39;s city, or add one." in page
    assert 'value="Wijkcentrum Oost"' in page
    db.session.expire_all()
    assert db.session.get(Location, location.id).area == ledeberg
    # The edit page shows the area chosen.
    page = partner.get(f"/partner/locations/{location.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{ledeberg.id}">Ledeberg</option>' in page


def test_a_new_area_is_added_to_the_city_unless_it_has_it_already(partner, world, make):
    make.area("Gent", "Ledeberg")
    # "ledeberg " is Ledeberg: refused, with the name typed kept.
    response = partner.post("/partner/locations/new",
                            data=location_data(new_area="  ledeberg "))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Gent already has the area “Ledeberg”: choose it in the list." in page
    assert 'value="  ledeberg "' in page and 'value="Kerkstraat 1"' in page
    assert db.session.scalar(select(func.count()).select_from(Location)
                             .where(Location.name == "Wijkcentrum")) == 0
    # A new one is added to the city and chosen.
    response = partner.post("/partner/locations/new", data=location_data(new_area="Brugse  Poort"))
    assert response.status_code == 302
    location = db.session.scalars(select(Location).where(Location.name == "Wijkcentrum")).one()
    assert (location.area.city, location.area.name) == ("Gent", "Brugse Poort")
    # Without a city an area has nowhere to go.
    response = partner.post("/partner/locations/new", data=location_data(city="", new_area="Noord"))
    assert response.status_code == 422
    assert "Fill in the city first: an area lies in a city." in response.get_data(as_text=True)
    # The typo of the issue cannot be chosen: only the city's areas are offered.
    page = partner.get("/partner/locations/new").get_data(as_text=True)
    assert "Ledeburg" not in page and ">Ledeberg</option>" in page


def test_two_cities_centrum_stay_apart_in_the_problem(app, make):
    gent = make.location(city="Gent", area="Centrum", name="De Krook")
    kortrijk = make.location(city="Kortrijk", area="Centrum", name="Hoofdbibliotheek")
    nowhere = make.location(city="Kortrijk", area="", name="Nowhere in particular")
    make.theme(id="cv")
    db.session.add(Demand(theme_id="cv", sessions=1, areas=[gent.area_id]))
    db.session.commit()
    assert gent.area_id != kortrijk.area_id
    problem = build_problem(date(2027, 3, 1), date(2027, 3, 7), timezone="Europe/Brussels",
                            now=datetime(2027, 2, 1, tzinfo=timezone.utc))
    area_of = {loc["id"]: loc["area"] for loc in problem["locations"]}
    assert area_of[key("loc", gent.id)] == "Centrum (Gent)"
    assert area_of[key("loc", kortrijk.id)] == "Centrum (Kortrijk)"
    assert area_of[key("loc", nowhere.id)] == "Kortrijk"
    assert problem["demand"][0]["areas"] == ["Centrum (Gent)"]


def _insert(connection, table_name, **values):
    """A row with `values`, every other required column filled with an empty
    value of its type (the table as the database has it at that revision)."""
    table = sa.Table(table_name, sa.MetaData(), autoload_with=connection)
    for column in table.columns:
        if column.name in values or column.nullable or column.server_default is not None \
                or column.primary_key:
            continue
        kind = column.type
        values[column.name] = (False if isinstance(kind, sa.Boolean) else
                               0 if isinstance(kind, sa.Integer) else
                               datetime(2026, 1, 1, tzinfo=timezone.utc) if isinstance(kind, sa.DateTime) else
                               {} if isinstance(kind, sa.JSON) else "")
    connection.execute(sa.insert(table).values(**values))


def test_the_migration_turns_text_areas_into_areas_per_city(app):
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(revision="b5d9f3a7c2e4")
    with db.engine.begin() as connection:
        _insert(connection, "organisation", id=1, slug="o", name="O", kind="library", city="Gent")
        for i, (city, area) in enumerate([("Gent", "Centrum"), ("Kortrijk", "Centrum"),
                                          ("Gent", "centrum "), ("Gent", "Ledeberg"),
                                          ("Gent", "")], start=1):
            _insert(connection, "location", id=i, organisation_id=1, name=f"L{i}", city=city,
                    area=area, opening_hours=[])
        _insert(connection, "theme", id="cv", kind="workshop", audience="participants")
        _insert(connection, "demand", id=1, theme_id="cv", sessions=1, priority=3,
                areas=["Centrum", "Noord"])
    upgrade()
    assert "area" not in {c["name"] for c in inspect(db.engine).get_columns("location")}
    rows = {(a.city, a.name): a.id for a in db.session.scalars(select(Area))}
    assert rows.keys() == {("Gent", "Centrum"), ("Kortrijk", "Centrum"), ("Gent", "Ledeberg"),
                           ("", "Noord")}
    located = {loc.id: loc.area_id for loc in db.session.scalars(select(Location))}
    assert located == {1: rows["Gent", "Centrum"], 2: rows["Kortrijk", "Centrum"],
                       3: rows["Gent", "Centrum"], 4: rows["Gent", "Ledeberg"], 5: None}
    # "Centrum" matched both cities before; it still does, and "Noord" still matches nothing.
    assert db.session.get(Demand, 1).areas == sorted(
        [rows["Gent", "Centrum"], rows["Kortrijk", "Centrum"]]) + [rows["", "Noord"]]
    db.session.remove()
    downgrade(revision="b5d9f3a7c2e4")
    with db.engine.connect() as connection:
        back = dict(connection.execute(text("SELECT id, area FROM location")).all())
        assert back == {1: "Centrum", 2: "Centrum", 3: "Centrum", 4: "Ledeberg", 5: ""}
    upgrade()
