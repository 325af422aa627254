"""Areas become a vocabulary per city: a location points at an `area` row
instead of typing its neighbourhood, so "Ledeburg" is no second Ledeberg and
Gent's "Centrum" is not Kortrijk's. Existing text areas become rows, one per
city and name (spellings that differ only in case or spaces are one area),
and a demand's area names become the ids of every area of that name, which
is what the names matched before.

Revision ID: b6d2f8a4c1e7
Revises: b5d9f3a7c2e4
Create Date: 2026-12-02 07:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'b6d2f8a4c1e7'
down_revision = 'b5d9f3a7c2e4'
branch_labels = None
depends_on = None

area = sa.table('area', sa.column('id', sa.Integer), sa.column('city', sa.String),
                sa.column('name', sa.String))
demand = sa.table('demand', sa.column('id', sa.Integer), sa.column('areas', sa.JSON))


def _tidy(text):
    return " ".join((text or "").split())


def upgrade():
    op.create_table(
        'area',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('city', sa.String(length=100), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_area')),
        sa.UniqueConstraint('city', 'name', name=op.f('uq_area_city')),
    )
    with op.batch_alter_table('location') as batch:
        batch.add_column(sa.Column('area_id', sa.Integer(), nullable=True))
        batch.create_index(batch.f('ix_location_area_id'), ['area_id'])
        batch.create_foreign_key(batch.f('fk_location_area_id_area'), 'area', ['area_id'], ['id'])

    connection = op.get_bind()
    location = sa.table('location', sa.column('id', sa.Integer), sa.column('city', sa.String),
                        sa.column('area', sa.String), sa.column('area_id', sa.Integer))
    ids = {}  # (city, casefolded name) -> area id
    rows = connection.execute(sa.select(location.c.id, location.c.city, location.c.area)
                              .order_by(location.c.id)).all()
    for location_id, city, name in rows:
        city, name = _tidy(city), _tidy(name)
        if not name:
            continue
        found = (city, name.casefold())
        if found not in ids:
            ids[found] = connection.execute(
                area.insert().values(city=city, name=name).returning(area.c.id)).scalar_one()
        connection.execute(location.update().where(location.c.id == location_id)
                           .values(area_id=ids[found]))

    for demand_id, names in connection.execute(sa.select(demand.c.id, demand.c.areas)).all():
        if not names:
            continue
        chosen = []
        for name in names:
            matching = [i for (_city, folded), i in ids.items() if folded == _tidy(name).casefold()]
            if not matching and _tidy(name):
                # A name no location had: kept, without a city, so the demand
                # still asks for it (and stays unmet) instead of going anywhere.
                found = ("", _tidy(name).casefold())
                if found not in ids:
                    ids[found] = connection.execute(
                        area.insert().values(city="", name=_tidy(name)).returning(area.c.id)).scalar_one()
                matching = [ids[found]]
            chosen += [i for i in sorted(matching) if i not in chosen]
        connection.execute(demand.update().where(demand.c.id == demand_id).values(areas=chosen))

    with op.batch_alter_table('location') as batch:
        batch.drop_column('area')


def downgrade():
    with op.batch_alter_table('location') as batch:
        batch.add_column(sa.Column('area', sa.String(length=100), nullable=False, server_default=''))

    connection = op.get_bind()
    names = dict(connection.execute(sa.select(area.c.id, area.c.name)).all())
    location = sa.table('location', sa.column('id', sa.Integer), sa.column('area', sa.String),
                        sa.column('area_id', sa.Integer))
    for location_id, area_id in connection.execute(
            sa.select(location.c.id, location.c.area_id).where(location.c.area_id.is_not(None))).all():
        connection.execute(location.update().where(location.c.id == location_id)
                           .values(area=names.get(area_id, "")))
    for demand_id, ids in connection.execute(sa.select(demand.c.id, demand.c.areas)).all():
        if ids:
            text = []
            for i in ids:
                if i in names and names[i] not in text:
                    text.append(names[i])
            connection.execute(demand.update().where(demand.c.id == demand_id).values(areas=text))

    with op.batch_alter_table('location') as batch:
        batch.drop_constraint(batch.f('fk_location_area_id_area'), type_='foreignkey')
        batch.drop_index(batch.f('ix_location_area_id'))
        batch.drop_column('area_id')
    op.drop_table('area')
