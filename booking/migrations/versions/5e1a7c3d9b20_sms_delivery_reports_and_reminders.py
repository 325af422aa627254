"""SMS delivery: back-off, delivery reports, one reminder per booking

Revision ID: 5e1a7c3d9b20
Revises: 5e41a7c9d2b0
Create Date: 2026-12-02 02:00:00

"""
from alembic import op
import sqlalchemy as sa

import booking.models.base


# revision identifiers, used by Alembic.
revision = '5e1a7c3d9b20'
down_revision = '5e41a7c9d2b0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('booking_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('once_key', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', booking.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reported_at', booking.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_booking_id'), ['booking_id'], unique=False)
        batch_op.create_unique_constraint('uq_outbox_message_once_key', ['once_key'])


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint('uq_outbox_message_once_key', type_='unique')
        batch_op.drop_index(batch_op.f('ix_outbox_message_booking_id'))
        batch_op.drop_column('reported_at')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('once_key')
        batch_op.drop_column('booking_id')
