"""queue numbers belong to one help hour

Revision ID: e7b2c4d6f8a1
Revises: d1e5a7c3b9f2
Create Date: 2026-12-02 01:50:00

A drop-in number is taken for the help hour (a published drop_in session)
running at the location, and numbers start again at 1 for each help hour
(before: per location and local day, whether or not a help hour ran).
Numbers taken before this change keep no help hour: they stay for reports.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7b2c4d6f8a1'
down_revision = 'd1e5a7c3b9f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('queue_ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_queue_ticket_session_id'), ['session_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_queue_ticket_session_id_session'), 'session',
                                    ['session_id'], ['id'])
        batch_op.drop_constraint('uq_queue_ticket_number', type_='unique')
        batch_op.create_unique_constraint('uq_queue_ticket_number', ['session_id', 'number'])


def downgrade():
    with op.batch_alter_table('queue_ticket', schema=None) as batch_op:
        batch_op.drop_constraint('uq_queue_ticket_number', type_='unique')
        batch_op.create_unique_constraint('uq_queue_ticket_number', ['location_id', 'day', 'number'])
        batch_op.drop_constraint(batch_op.f('fk_queue_ticket_session_id_session'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_queue_ticket_session_id'))
        batch_op.drop_column('session_id')
