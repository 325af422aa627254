"""Closed days per location (works, a location's own holidays), which the
planner turns into room closures.

Revision ID: a4c8e2f6b1d3
Revises: f3a9c1e5b7d2
Create Date: 2026-12-02 06:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'a4c8e2f6b1d3'
down_revision = 'f3a9c1e5b7d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'location_closure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('location_id', sa.Integer(), nullable=False),
        sa.Column('first_day', sa.Date(), nullable=False),
        sa.Column('last_day', sa.Date(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.CheckConstraint('last_day >= first_day',
                           name=op.f('ck_location_closure_ends_after_it_starts')),
        sa.ForeignKeyConstraint(['location_id'], ['location.id'],
                                name=op.f('fk_location_closure_location_id_location')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_location_closure')),
    )
    op.create_index(op.f('ix_location_closure_location_id'), 'location_closure', ['location_id'])


def downgrade():
    op.drop_index(op.f('ix_location_closure_location_id'), table_name='location_closure')
    op.drop_table('location_closure')
