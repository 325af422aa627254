"""Time rules and statuses the database enforces: CHECK constraints on every
booking and session status and kind, the request digest of an idempotency
key, and when a session's no-shows were settled.

Revision ID: d1e5a7c3b9f2
Revises: c0f4a8937248
Create Date: 2026-12-02 01:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'd1e5a7c3b9f2'
down_revision = 'c0f4a8937248'
branch_labels = None
depends_on = None

CHECKS = {
    "booking": {
        "booking_kind": ("kind", ("walk_in", "pre_registered", "referred")),
        "booking_status": ("status", ("confirmed", "waitlisted", "cancelled", "attended",
                                      "no_show")),
    },
    "session": {
        "session_status": ("status", ("draft", "published", "cancelled")),
        "session_kind": ("kind", ("workshop", "drop_in", "conversation_group",
                                  "counsellor_event")),
    },
    "theme": {
        "theme_kind": ("kind", ("workshop", "drop_in", "conversation_group",
                                "counsellor_event")),
        "theme_audience": ("audience", ("participants", "counsellors")),
    },
}


def _condition(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade():
    with op.batch_alter_table('booking') as batch:
        batch.add_column(sa.Column('idempotency_fingerprint', sa.String(length=64), nullable=True))
    with op.batch_alter_table('session') as batch:
        batch.add_column(sa.Column('no_shows_settled_at', sa.DateTime(timezone=True),
                                   nullable=True))
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for name, (column, values) in checks.items():
                batch.create_check_constraint(name, _condition(column, values))


def downgrade():
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for name in checks:
                batch.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
    with op.batch_alter_table('session') as batch:
        batch.drop_column('no_shows_settled_at')
    with op.batch_alter_table('booking') as batch:
        batch.drop_column('idempotency_fingerprint')
