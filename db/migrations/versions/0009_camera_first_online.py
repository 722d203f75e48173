"""cameras.first_online_at: when a camera was first reported online

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 22:40:00

Issue 15 (onboarding progress). "Cameras ever online" counted every camera with any report,
so one whose only report was "offline" passed for connected. Central now stamps the first
online or playing report. Cameras healthy at the upgrade are stamped with the upgrade's time
(they were online at least then); the rest stay NULL until a report says otherwise.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import db.models

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cameras') as batch:
        batch.add_column(sa.Column('first_online_at', db.models.UTCDateTime(), nullable=True))
    cameras = sa.table('cameras', sa.column('health', sa.String),
                       sa.column('first_online_at', db.models.UTCDateTime()))
    op.execute(cameras.update().where(cameras.c.health.in_(('online', 'playing')))
               .values(first_online_at=datetime.now(UTC)))


def downgrade() -> None:
    with op.batch_alter_table('cameras') as batch:
        batch.drop_column('first_online_at')
