"""A person's calendar address is no longer stored: the column keeps a key
from which the address is derived with SECRET_KEY (models/person.py), so a
copy of the database opens no feed. Existing addresses change once:
subscribers take the new one from their account page.

Revision ID: f3a9c1e5b7d2
Revises: d7e1a2b3c4f5
Create Date: 2026-12-02 03:20:00
"""
from alembic import op

revision = 'f3a9c1e5b7d2'
down_revision = 'd7e1a2b3c4f5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('person') as batch:
        batch.drop_constraint(op.f('uq_person_feed_token'), type_='unique')
        batch.alter_column('feed_token', new_column_name='feed_key')


def downgrade():
    with op.batch_alter_table('person') as batch:
        batch.alter_column('feed_key', new_column_name='feed_token')
        batch.create_unique_constraint(op.f('uq_person_feed_token'), ['feed_token'])
