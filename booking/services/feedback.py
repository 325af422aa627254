""""How did it go?": three smileys after a session, counted for reports.
Anonymous by design: a score, the session and the language, nothing else."""
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import func, select

from booking.extensions import db
from booking.models import FEEDBACK_SCORES, Feedback, Room, Session, utcnow
from booking.services.errors import Conflict, InvalidInput, NotFound

# A session can be rated from its start until this long after its end.
FEEDBACK_WINDOW = timedelta(hours=6)


def sessions_to_rate(location_id: int, *, now: datetime | None = None) -> list[Session]:
    """Sessions at this location that have started and ended only recently,
    the most recent first."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(Session)
            .join(Room)
            .where(
                Room.location_id == location_id,
                Session.status == "published",
                Session.starts_at <= now,
                Session.ends_at >= now - FEEDBACK_WINDOW,
            )
            .order_by(Session.starts_at.desc())
        )
    )


def record(
    session_id: int, score, *, language: str | None = None, now: datetime | None = None
) -> Feedback:
    now = now or utcnow()
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = None
    if score not in FEEDBACK_SCORES:
        raise InvalidInput("Choose one of the three faces.", {"score": "must be 1, 2 or 3"})
    session = db.session.get(Session, session_id)
    if session is None or session.status != "published":
        raise NotFound("No published session has this id.")
    if now < session.starts_at:
        raise Conflict("This session has not started yet.")
    feedback = Feedback(session_id=session_id, score=score, language=language, created_at=now)
    db.session.add(feedback)
    db.session.commit()
    return feedback


def summary(session_ids) -> dict[int, Counter]:
    """{session id: Counter({score: count})} for the sessions given."""
    result = {session_id: Counter() for session_id in session_ids}
    if result:
        rows = db.session.execute(
            select(Feedback.session_id, Feedback.score, func.count())
            .where(Feedback.session_id.in_(result))
            .group_by(Feedback.session_id, Feedback.score)
        )
        for session_id, score, count in rows:
            result[session_id][score] = count
    return result
