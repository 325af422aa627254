"""A planning run keeps its budget account: the budget given, what was
already spent and what published sessions outside the plan commit, and so
what the plan could use.

Revision ID: b5d9f3a7c2e4
Revises: a4c8e2f6b1d3
Create Date: 2026-12-02 07:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'b5d9f3a7c2e4'
down_revision = 'a4c8e2f6b1d3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('planning_run') as batch:
        batch.add_column(sa.Column('budget', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('planning_run') as batch:
        batch.drop_column('budget')
