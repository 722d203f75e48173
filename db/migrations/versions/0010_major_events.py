"""major events: reception kitchens, their period and tighter limits; meal sign-offs

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 22:50:00

Issue 18 item 8 (重大活动保障). Two central-only tables: ``major_events`` (the reception
kitchens, the period, the tighter rule limits that apply during it) and ``event_signoffs`` (one
row per kitchen, day and meal: who signed, when, the verdict and a snapshot; unique per meal).
Nothing existing changes. Chained after main's 0009 (alarm clips); the lead re-chains the
other parts' 0006–0008.
"""

import sqlalchemy as sa
from alembic import op

import db.models

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('major_events',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('district_id', sa.String(length=32), nullable=True),
    sa.Column('business_ids', sa.JSON(), nullable=False),
    sa.Column('starts_at', db.models.UTCDateTime(), nullable=False),
    sa.Column('ends_at', db.models.UTCDateTime(), nullable=False),
    sa.Column('overrides', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', db.models.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_major_events_district_id'), 'major_events', ['district_id'],
                    unique=False)
    op.create_table('event_signoffs',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('event_id', sa.String(length=32), nullable=False),
    sa.Column('district_id', sa.String(length=32), nullable=False),
    sa.Column('business_id', sa.String(length=32), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('meal', sa.String(length=16), nullable=False),
    sa.Column('user', sa.String(length=64), nullable=False),
    sa.Column('ts', db.models.UTCDateTime(), nullable=False),
    sa.Column('verdict', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('snapshot_url', sa.String(length=512), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'business_id', 'day', 'meal')
    )
    op.create_index(op.f('ix_event_signoffs_event_id'), 'event_signoffs', ['event_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_event_signoffs_event_id'), table_name='event_signoffs')
    op.drop_table('event_signoffs')
    op.drop_index(op.f('ix_major_events_district_id'), table_name='major_events')
    op.drop_table('major_events')
