"""deadlines: task levels and 挂牌督办 deadlines, the disinfection ledger, bulletins

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 22:40:00

Issue 18 (items 4-7). ``tasks`` gains ``level`` (street → district → city, raised by central
when a task is overdue), ``supervision_deadline`` and ``escalated_at`` (the 挂牌督办 list's own
deadline) and ``origin_key`` (unique: a task a job creates by itself, such as a licence
reminder, exists once). Two central-only tables: ``disinfection_cycles`` (the 清洗消毒台账
written from the cabinet sensors) and ``bulletins`` (督查通报 drafts, approvals, publications).
Another part adds 0006 after 0005; the lead re-chains this one after it at merge.
"""

import sqlalchemy as sa
from alembic import op

import db.models

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tasks') as batch:
        batch.add_column(sa.Column('level', sa.String(length=16), nullable=False,
                                   server_default='street'))
        batch.add_column(sa.Column('supervision_deadline', db.models.UTCDateTime(),
                                   nullable=True))
        batch.add_column(sa.Column('escalated_at', db.models.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('origin_key', sa.String(length=96), nullable=True))
        batch.create_unique_constraint('uq_tasks_origin_key', ['origin_key'])
    op.create_table('disinfection_cycles',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('business_id', sa.String(length=32), nullable=False),
    sa.Column('district_id', sa.String(length=32), nullable=False),
    sa.Column('sensor_id', sa.String(length=48), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('meal', sa.String(length=16), nullable=False),
    sa.Column('started_at', db.models.UTCDateTime(), nullable=True),
    sa.Column('ended_at', db.models.UTCDateTime(), nullable=True),
    sa.Column('peak_c', sa.Float(), nullable=True),
    sa.Column('held_min', sa.Float(), nullable=True),
    sa.Column('valid', sa.Boolean(), nullable=False),
    sa.Column('missing', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sensor_id', 'day', 'meal', name='uq_disinfection_cycle_meal')
    )
    op.create_index(op.f('ix_disinfection_cycles_business_id'), 'disinfection_cycles',
                    ['business_id'], unique=False)
    op.create_table('bulletins',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('district_id', sa.String(length=32), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('created_at', db.models.UTCDateTime(), nullable=False),
    sa.Column('approved_by', sa.String(length=64), nullable=False),
    sa.Column('approved_at', db.models.UTCDateTime(), nullable=True),
    sa.Column('published_by', sa.String(length=64), nullable=False),
    sa.Column('published_at', db.models.UTCDateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('district_id', 'period', name='uq_bulletin_period')
    )
    op.create_index(op.f('ix_bulletins_district_id'), 'bulletins', ['district_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_bulletins_district_id'), table_name='bulletins')
    op.drop_table('bulletins')
    op.drop_index(op.f('ix_disinfection_cycles_business_id'), table_name='disinfection_cycles')
    op.drop_table('disinfection_cycles')
    with op.batch_alter_table('tasks') as batch:
        batch.drop_constraint('uq_tasks_origin_key', type_='unique')
        batch.drop_column('origin_key')
        batch.drop_column('escalated_at')
        batch.drop_column('supervision_deadline')
        batch.drop_column('level')
