"""central's sessions, login throttle and media index under Alembic; who is signed in

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 19:20:00

Central created four tables of its own at every start (``metadata.create_all`` in
``central.sessions``, ``central.throttle`` and ``central.media_index``) and four look-up
indexes on the media columns, outside the migrations. ``kitchenwatch-central init`` must make
the whole schema, and start-up must not create tables, so they move here. As with the rule
memory in 0002, a database where an older central made them keeps them and their rows (open
sessions stay valid across the upgrade); the columns are those the start-up code created.

The sessions gain what "who is signed in now" shows: when the session started, when it was
last used and from which address (nullable: sessions from before this revision do not know).
"""

import sqlalchemy as sa
from alembic import op

import db.models

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

SESSIONS = 'central_sessions'
SEEN_COLUMNS = ('started_at', 'last_seen_at', 'address')
# (table, column) of every media reference (central.media_index.REFERENCES)
MEDIA_REFERENCES = (('alarms', 'evidence_url'), ('tasks', 'evidence_url'),
                    ('task_events', 'attachment_url'), ('patrol_records', 'snapshot_url'))


def _seen_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [sa.Column('started_at', db.models.UTCDateTime(), nullable=True),
            sa.Column('last_seen_at', db.models.UTCDateTime(), nullable=True),
            sa.Column('address', sa.String(length=64), nullable=True)]


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if inspector.has_table(SESSIONS):  # made by an older central at start-up: adopt it
        present = {c['name'] for c in inspector.get_columns(SESSIONS)}
        with op.batch_alter_table(SESSIONS) as batch:
            for column in _seen_columns():
                if column.name not in present:
                    batch.add_column(column)
    else:
        op.create_table(SESSIONS,
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.String(length=32), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('district_id', sa.String(length=32), nullable=True),
        sa.Column('password_fp', sa.String(length=32), nullable=False),
        sa.Column('expires_at', db.models.UTCDateTime(), nullable=False),
        sa.Column('ended', sa.String(length=32), nullable=True),
        *_seen_columns(),
        sa.PrimaryKeyConstraint('token_hash')
        )
        op.create_index('ix_central_sessions_user_id', SESSIONS, ['user_id'], unique=False)
    if not inspector.has_table('central_login_throttle'):
        op.create_table('central_login_throttle',
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('blocked_until', db.models.UTCDateTime(), nullable=True),
        sa.Column('last_at', db.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key')
        )
    if not inspector.has_table('central_login_known'):
        op.create_table('central_login_known',
        sa.Column('account', sa.String(length=64), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('last_success', db.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('account', 'address')
        )
    if not inspector.has_table('central_media'):
        op.create_table('central_media',
        sa.Column('name', sa.String(length=72), nullable=False),
        sa.Column('uploaded_by', sa.String(length=32), nullable=False),
        sa.Column('uploader_district', sa.String(length=32), nullable=True),
        sa.Column('bytes', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('name', 'uploaded_by')
        )
    for table, url_column in MEDIA_REFERENCES:
        # IF NOT EXISTS: an older central made them at start-up (SQLite and PostgreSQL both)
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_central_{table}_{url_column} "
                   f"ON {table} ({url_column}, district_id)")


def downgrade() -> None:
    for table, column in MEDIA_REFERENCES:
        op.execute(f"DROP INDEX IF EXISTS ix_central_{table}_{column}")
    op.drop_table('central_media')
    op.drop_table('central_login_known')
    op.drop_table('central_login_throttle')
    op.drop_table(SESSIONS)
