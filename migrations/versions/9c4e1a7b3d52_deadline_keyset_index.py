"""deadline keyset indexes: cases by (due_on, id) and by (state, due_on, id), for the deadline order and overdue count

The deadline order pages along (due_on, id), or (state, due_on, id) in a queue of one state
("new"), and the overdue queue's count finds the held cases past their deadline from the
index alone, without visiting a heap page per case (bench/queue_scale.py: an intake officer
holding 50,000 of 1,000,000 cases). ix_cases_due_id replaces ix_cases_due (due_on), which it covers.

Revision ID: 9c4e1a7b3d52
Revises: 8e2b4d6f1a93
Create Date: 2026-12-01 17:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '9c4e1a7b3d52'
down_revision = '8e2b4d6f1a93'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_due_id', ['due_on', 'id'], unique=False)
        batch_op.create_index('ix_cases_state_due_id', ['state', 'due_on', 'id'], unique=False)
        batch_op.drop_index('ix_cases_due')


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_due', ['due_on'], unique=False)
        batch_op.drop_index('ix_cases_state_due_id')
        batch_op.drop_index('ix_cases_due_id')
