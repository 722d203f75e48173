"""registry fields for real ledgers, streets, onboarding targets, account lifecycle

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 19:20:00

What a bureau's own registry needs beyond the demo city (issue 15):

- ``streets`` (街道/乡镇) between districts and communities (``grids`` gain ``street_id``;
  a business may name its street without a community);
- a business's 统一社会信用代码, coordinates and food-safety director; its licence number
  is indexed (both are natural keys of a ledger import);
- a camera's GB/T 28181 code (indexed, the camera's natural key), its platform's playback
  address and whether it may be shown to the public;
- accounts: a street scope, "must change the password at the next login" and when the
  password last changed;
- ``onboarding_targets``: how many kitchens a district or street is to connect.

Every new column has a server default or is nullable, so existing rows stay valid and a
database upgraded in place equals a fresh one.
"""

import sqlalchemy as sa
from alembic import op

import db.models

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('streets',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('district_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_streets_district_id'), 'streets', ['district_id'], unique=False)
    op.create_table('onboarding_targets',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('district_id', sa.String(length=32), nullable=False),
    sa.Column('street_id', sa.String(length=32), nullable=False),
    sa.Column('businesses', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('district_id', 'street_id', name='uq_onboarding_target_place')
    )
    op.create_index(op.f('ix_onboarding_targets_district_id'), 'onboarding_targets',
                    ['district_id'], unique=False)

    empty = sa.text("''")
    with op.batch_alter_table('grids') as batch:
        batch.add_column(sa.Column('street_id', sa.String(length=32), nullable=True))
        batch.create_index(batch.f('ix_grids_street_id'), ['street_id'], unique=False)
        batch.create_foreign_key('fk_grids_street_id_streets', 'streets', ['street_id'], ['id'])
    with op.batch_alter_table('businesses') as batch:
        batch.add_column(sa.Column('street_id', sa.String(length=32), nullable=True))
        for name, length in (('credit_code', 18), ('director_name', 32),
                             ('director_phone', 32)):
            batch.add_column(sa.Column(name, sa.String(length=length), nullable=False,
                                       server_default=empty))
        batch.add_column(sa.Column('latitude', sa.Float(), nullable=True))
        batch.add_column(sa.Column('longitude', sa.Float(), nullable=True))
        batch.create_index(batch.f('ix_businesses_street_id'), ['street_id'], unique=False)
        batch.create_index(batch.f('ix_businesses_credit_code'), ['credit_code'], unique=False)
        batch.create_index(batch.f('ix_businesses_licence_no'), ['licence_no'], unique=False)
        batch.create_foreign_key('fk_businesses_street_id_streets', 'streets', ['street_id'],
                                 ['id'])
    with op.batch_alter_table('cameras') as batch:
        batch.add_column(sa.Column('gb_code', sa.String(length=20), nullable=False,
                                   server_default=empty))
        batch.add_column(sa.Column('playback_url', sa.String(length=512), nullable=False,
                                   server_default=empty))
        batch.add_column(sa.Column('public', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.create_index(batch.f('ix_cameras_gb_code'), ['gb_code'], unique=False)
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('street_id', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column('password_changed_at', db.models.UTCDateTime(),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        for name in ('password_changed_at', 'must_change_password', 'street_id'):
            batch.drop_column(name)
    with op.batch_alter_table('cameras') as batch:
        batch.drop_index(batch.f('ix_cameras_gb_code'))
        for name in ('public', 'playback_url', 'gb_code'):
            batch.drop_column(name)
    with op.batch_alter_table('businesses') as batch:
        batch.drop_constraint('fk_businesses_street_id_streets', type_='foreignkey')
        for index in ('ix_businesses_licence_no', 'ix_businesses_credit_code',
                      'ix_businesses_street_id'):
            batch.drop_index(batch.f(index))
        for name in ('longitude', 'latitude', 'director_phone', 'director_name', 'credit_code',
                     'street_id'):
            batch.drop_column(name)
    with op.batch_alter_table('grids') as batch:
        batch.drop_constraint('fk_grids_street_id_streets', type_='foreignkey')
        batch.drop_index(batch.f('ix_grids_street_id'))
        batch.drop_column('street_id')
    op.drop_index(op.f('ix_onboarding_targets_district_id'), table_name='onboarding_targets')
    op.drop_table('onboarding_targets')
    op.drop_index(op.f('ix_streets_district_id'), table_name='streets')
    op.drop_table('streets')
