"""approver hold: a leader a proposal is submitted to holds the case's key for that reason

The fault-tolerance decision and the 典型案例通报 are approved by a leader (分管领导), who must
read what they approve: the proposer submits it to one leader of the body, and the case's key
is sealed to that leader alone, for this reason.

Revision ID: a10b0c0d0e01
Revises: 9c4e1a7b3d52
Create Date: 2026-12-01 19:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a10b0c0d0e01'
down_revision = '9c4e1a7b3d52'
branch_labels = None
depends_on = None

_OLD = "reason IN ('intake', 'assigned', 'supervisor', 'grant', 'recovery', 'legacy')"
_NEW = "reason IN ('intake', 'assigned', 'supervisor', 'grant', 'recovery', 'legacy', 'approver')"


def upgrade():
    with op.batch_alter_table('case_keys', schema=None) as batch_op:
        batch_op.drop_constraint('hold_reason', type_='check')
        batch_op.create_check_constraint('hold_reason', _NEW)


def downgrade():
    op.execute("DELETE FROM case_keys WHERE reason = 'approver'")
    with op.batch_alter_table('case_keys', schema=None) as batch_op:
        batch_op.drop_constraint('hold_reason', type_='check')
        batch_op.create_check_constraint('hold_reason', _OLD)
