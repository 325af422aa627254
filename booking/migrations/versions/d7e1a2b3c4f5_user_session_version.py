"""user session version: log-out and a password change end every session

Revision ID: d7e1a2b3c4f5
Revises: 5e1a7c3d9b20
Create Date: 2026-12-02 01:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7e1a2b3c4f5'
down_revision = '5e1a7c3d9b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('session_version')
