"""alarm clips: an AI box's own clip of an event, kept on its alarm

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-07 22:45:00

Issue 16 item 2. ``alarms.evidence_clip_url`` holds ``/media/<sha256>.mp4`` or ``.ts`` when
the AI event brought a clip ("" otherwise), and, like the other media references (migration
0004), has an index with the district so that a district user's fetch of the clip is checked
against their scope with one index look-up.
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('alarms') as batch:
        batch.add_column(sa.Column('evidence_clip_url', sa.String(length=512), nullable=False,
                                   server_default=''))
    op.execute("CREATE INDEX IF NOT EXISTS ix_central_alarms_evidence_clip_url "
               "ON alarms (evidence_clip_url, district_id)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_central_alarms_evidence_clip_url")
    with op.batch_alter_table('alarms') as batch:
        batch.drop_column('evidence_clip_url')
