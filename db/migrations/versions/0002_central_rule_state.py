"""central_rule_state under Alembic

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 16:55:00

Central kept the rule evaluator's per-sensor memory in a table it created itself at start-up
(``metadata.create_all`` in ``central.rule_state``), outside the migrations. Databases of
installations that ran such a central already hold the table, with rows worth keeping (a
breach building for ten minutes), so this revision creates it only where it is missing and
leaves an existing one, and its rows, as they are. The columns are those the start-up code
created, so both roads end at the same table.
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

TABLE = 'central_rule_state'


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table(TABLE):
        return  # made by hand by a central from before this revision: adopt it as it is
    op.create_table(TABLE,
    sa.Column('sensor_id', sa.String(length=48), nullable=False),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('sensor_id')
    )


def downgrade() -> None:
    op.drop_table(TABLE)
