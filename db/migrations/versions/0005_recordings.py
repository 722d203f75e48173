"""recordings: the recorders' segment index, recording policies, evidence locks

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 19:30:00

Issue 16 (video evidence). Three central-only tables: ``recording_segments`` (one row per
finished segment file, found by camera and time and pruned by recorder and expiry or age),
``recording_policies`` (continuous, alarm pre/post roll or on-demand recording, each with its
retention) and ``recording_locks`` (time ranges no retention deletes). Nothing existing
changes, so the tables can be added to any database at 0003 or later.
"""

import sqlalchemy as sa
from alembic import op

import db.models

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('recording_policies',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('camera_id', sa.String(length=48), nullable=True),
    sa.Column('business_id', sa.String(length=32), nullable=True),
    sa.Column('district_id', sa.String(length=32), nullable=True),
    sa.Column('retention_days', sa.Integer(), nullable=False),
    sa.Column('pre_s', sa.Integer(), nullable=False),
    sa.Column('post_s', sa.Integer(), nullable=False),
    sa.Column('until', db.models.UTCDateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', db.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_recording_policies_camera_id'), 'recording_policies',
                    ['camera_id'], unique=False)
    op.create_table('recording_segments',
    sa.Column('id', sa.String(length=96), nullable=False),
    sa.Column('recorder', sa.String(length=64), nullable=False),
    sa.Column('camera_id', sa.String(length=48), nullable=False),
    sa.Column('district_id', sa.String(length=32), nullable=False),
    sa.Column('start', db.models.UTCDateTime(), nullable=False),
    sa.Column('end', db.models.UTCDateTime(), nullable=False),
    sa.Column('bytes', sa.Integer(), nullable=False),
    sa.Column('codec', sa.String(length=32), nullable=False),
    sa.Column('path', sa.String(length=256), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('expires_at', db.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_recording_segments_camera_start', 'recording_segments',
                    ['camera_id', 'start'], unique=False)
    op.create_index('ix_recording_segments_recorder_expires', 'recording_segments',
                    ['recorder', 'expires_at'], unique=False)
    op.create_index('ix_recording_segments_recorder_start', 'recording_segments',
                    ['recorder', 'start'], unique=False)
    op.create_table('recording_locks',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('camera_id', sa.String(length=48), nullable=False),
    sa.Column('district_id', sa.String(length=32), nullable=False),
    sa.Column('start', db.models.UTCDateTime(), nullable=False),
    sa.Column('end', db.models.UTCDateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', db.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_recording_locks_camera_id'), 'recording_locks', ['camera_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_recording_locks_camera_id'), table_name='recording_locks')
    op.drop_table('recording_locks')
    op.drop_index('ix_recording_segments_recorder_start', table_name='recording_segments')
    op.drop_index('ix_recording_segments_recorder_expires', table_name='recording_segments')
    op.drop_index('ix_recording_segments_camera_start', table_name='recording_segments')
    op.drop_table('recording_segments')
    op.drop_index(op.f('ix_recording_policies_camera_id'), table_name='recording_policies')
    op.drop_table('recording_policies')
