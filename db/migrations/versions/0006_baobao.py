"""baobao: 包保 officials as accounts, versioned checklists, 包保 visits, view records

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 22:40:00

Issue 18 items 1, 2 and 9. ``businesses.official_user_id`` links a business to its 包保
official's account (the text columns official_name/official_phone stay for ledgers that name
an official without an account); ``users.grid_id`` is a community-level official's community.
Three central tables: ``checklists`` (one row per category and version, never changed),
``baobao_visits`` (a visit with a verdict per item, the version it used and its photos) and
``view_records`` (who watched which camera, when and for how long). Columns are only added,
so a console's store and central both take it.
"""

import sqlalchemy as sa
from alembic import op

import db.models

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('businesses') as batch:
        batch.add_column(sa.Column('official_user_id', sa.String(length=32), nullable=True))
        batch.create_index('ix_businesses_official_user_id', ['official_user_id'])
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('grid_id', sa.String(length=32), nullable=True))
    op.create_table('checklists',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', db.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('category', 'version', name='uq_checklists_version')
    )
    op.create_table('baobao_visits',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('district_id', sa.String(length=32), nullable=False),
    sa.Column('business_id', sa.String(length=32), nullable=False),
    sa.Column('user', sa.String(length=64), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('started_at', db.models.UTCDateTime(), nullable=False),
    sa.Column('ended_at', db.models.UTCDateTime(), nullable=True),
    sa.Column('verdict', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('checklist_version', sa.Integer(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('photos', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_baobao_visits_business_started', 'baobao_visits',
                    ['business_id', 'started_at'], unique=False)
    op.create_index(op.f('ix_baobao_visits_district_id'), 'baobao_visits', ['district_id'],
                    unique=False)
    op.create_index(op.f('ix_baobao_visits_user'), 'baobao_visits', ['user'], unique=False)
    op.create_table('view_records',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('district_id', sa.String(length=32), nullable=False),
    sa.Column('business_id', sa.String(length=32), nullable=False),
    sa.Column('camera_id', sa.String(length=48), nullable=False),
    sa.Column('user', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('started_at', db.models.UTCDateTime(), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_view_records_business_started', 'view_records',
                    ['business_id', 'started_at'], unique=False)
    op.create_index('ix_view_records_user_started', 'view_records', ['user', 'started_at'],
                    unique=False)
    op.create_index(op.f('ix_view_records_district_id'), 'view_records', ['district_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_view_records_district_id'), table_name='view_records')
    op.drop_index('ix_view_records_user_started', table_name='view_records')
    op.drop_index('ix_view_records_business_started', table_name='view_records')
    op.drop_table('view_records')
    op.drop_index(op.f('ix_baobao_visits_user'), table_name='baobao_visits')
    op.drop_index(op.f('ix_baobao_visits_district_id'), table_name='baobao_visits')
    op.drop_index('ix_baobao_visits_business_started', table_name='baobao_visits')
    op.drop_table('baobao_visits')
    op.drop_table('checklists')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('grid_id')
    with op.batch_alter_table('businesses') as batch:
        batch.drop_index('ix_businesses_official_user_id')
        batch.drop_column('official_user_id')
