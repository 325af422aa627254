"""session series and undoable cancellation

Revision ID: 5e41a7c9d2b0
Revises: e7b2c4d6f8a1
Create Date: 2026-12-02 01:50:00

"""
from alembic import op
import sqlalchemy as sa

import booking.models.base


# revision identifiers, used by Alembic.
revision = '5e41a7c9d2b0'
down_revision = 'e7b2c4d6f8a1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('series_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', booking.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('status_before_cancel', sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f('ix_session_series_id'), ['series_id'], unique=False)
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_before_cancel', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_column('status_before_cancel')
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_series_id'))
        batch_op.drop_column('status_before_cancel')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('series_id')
