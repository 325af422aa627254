"""Privacy: the purge removes names and phone numbers after RETENTION_DAYS
and leaves every report figure exactly as it was."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import Booking, OutboxMessage, Referral
from booking.services import reports
from booking.services.purge import purge
from tests.conftest import in_days
from tests.reports.conftest import END, NOW, START, utc


def every_figure(known):
    """The whole report in every scope the coordinator can choose."""
    scopes = [{}, {"organisation_id": known.org_a.id}, {"organisation_id": known.org_b.id},
              {"location_id": known.library.id}, {"location_id": known.centre.id}]
    periods = [(START, END), (START.replace(month=1), END.replace(month=12, day=31))]
    return [reports.build(start, end, now=NOW, budget=1000, **scope).data()
            for start, end in periods for scope in scopes]


def personal(booking_ids):
    db.session.expire_all()
    return {b.id: (b.name, b.phone) for b in db.session.scalars(
        select(Booking).where(Booking.id.in_(booking_ids)))}


def test_purge_removes_names_and_phones_and_keeps_every_figure(known):
    before = every_figure(known)
    ids = [b.id for b in known.bookings]
    # Cut-off 22 March 2025: S1 (10 March), the draft S5 and the cancelled S4 are old.
    result = purge(now=utc(2025, 6, 20), retention_days=90)
    assert result.cutoff == utc(2025, 3, 22)
    # The pending message about old S1 goes too: never sent, it still holds a phone (issue 12).
    assert (result.bookings, result.referrals, result.outbox_messages) == (7, 1, 3)
    old = {known.bookings[i].id for i in (0, 1, 2, 3, 4, 12, 13)}
    after_first = personal(ids)
    assert all(after_first[i] == (None, None) for i in old)
    assert all(name and phone for i, (name, phone) in after_first.items() if i not in old)
    assert every_figure(known) == before

    referral = db.session.get(Referral, known.referral.id)
    assert (referral.client_name, referral.phone, referral.need, referral.learned,
            referral.next_step) == ("", None, "", None, None)
    assert (referral.came, referral.language, referral.booking_id) == (
        False, "tr", known.bookings[3].id)
    left = db.session.execute(select(OutboxMessage.session_id, OutboxMessage.status)).all()
    assert left == [(known.sessions[2].id, "sent")]

    again = purge(now=utc(2025, 6, 20), retention_days=90)
    assert (again.bookings, again.referrals, again.outbox_messages) == (0, 0, 0)
    assert personal(ids) == after_first


def test_purge_command_daily(runner, known, make, app):
    before = every_figure(known)
    recent = make.session(theme=known.cv, starts_at=in_days(-10))
    db.session.add(Booking(session=recent, ticket="RECENT01", kind="walk_in",
                           status="attended", name="Recent", phone="+32470123456",
                           language="nl", age_group="30-39"))
    db.session.commit()

    output = runner.invoke(args=["purge"])
    assert output.exit_code == 0, output.output
    assert "names and phone numbers of 15 booking(s)" in output.output
    assert "1 referral(s)" in output.output and "4 message(s)" in output.output
    db.session.expire_all()
    names = dict(db.session.execute(select(Booking.ticket, Booking.name)).all())
    assert names.pop("RECENT01") == "Recent"  # 10 days ago: kept (RETENTION_DAYS is 90)
    assert set(names.values()) == {None}
    assert db.session.scalar(select(Booking.phone).where(Booking.phone.is_not(None))) == (
        "+32470123456")
    assert every_figure(known) == before

    second = runner.invoke(args=["purge"])
    assert "of 0 booking(s)" in second.output and "0 referral(s)" in second.output

    app.config["RETENTION_DAYS"] = 5
    assert "of 1 booking(s)" in runner.invoke(args=["purge"]).output
    assert "of 0 booking(s)" in runner.invoke(args=["purge", "--days", "0"]).output


def test_retention_is_measured_from_the_end_of_the_session(known):
    s1 = known.sessions[0]
    assert purge(now=s1.ends_at + timedelta(days=90), retention_days=90).bookings == 0
    assert purge(now=s1.ends_at + timedelta(days=90, seconds=1), retention_days=90).bookings == 5


def test_negative_retention_is_refused(app):
    with pytest.raises(ValueError):
        purge(retention_days=-1)
