"""The demand form chooses areas from the vocabulary, shown with their city."""
from sqlalchemy import select

from booking.extensions import db
from booking.models import Demand
from booking.services import accounts
from tests.conftest import FAST_PASSWORD_HASH
from tests.partner.conftest import PASSWORD, login


def test_the_demand_form_chooses_areas_by_id(app, client, city, make):
    app.config["PASSWORD_HASH_METHOD"] = FAST_PASSWORD_HASH
    login(client, accounts.create_user("coordinator@city.test", role="coordinator",
                                       password=PASSWORD))
    kortrijk = make.area("Kortrijk", "Centrum")
    page = client.get("/planner/demand").get_data(as_text=True)
    assert "Centrum (Gent)" in page and "Centrum (Kortrijk)" in page
    response = client.post("/planner/demand", data={
        "theme": "cv", "sessions": 1, "priority": 3, "language": "",
        "areas": [str(kortrijk.id)]})
    assert response.status_code == 302
    added = db.session.scalars(select(Demand).order_by(Demand.id.desc())).first()
    assert added.areas == [kortrijk.id]
    assert "Centrum (Kortrijk)" in client.get("/planner/demand").get_data(as_text=True)
    bad = client.post("/planner/demand", data={"theme": "cv", "sessions": 1, "priority": 3,
                                               "areas": ["Ledeburg"]})
    assert bad.status_code == 400
