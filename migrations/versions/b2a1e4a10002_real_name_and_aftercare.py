"""real-name concerns and after clarification: the two clocks of a real-name concern and the 回访

A concern may be real-name (实名反映): a plain flag (the name itself is in the encrypted
submission) and the two clocks of the 工作规则, to tell the submitter whether the case is
accepted and, after 办结, its result. A carried-out clarification schedules a 回访 and takes the
applicant's one feedback on it. No existing constraint is rewritten; three are added.

Revision ID: b2a1e4a10002
Revises: b1f7c0de1001
Create Date: 2026-12-01 19:40:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b2a1e4a10002'
down_revision = 'b1f7c0de1001'
branch_labels = None
depends_on = None

_DATES = (
    'tell_accept_due',
    'told_accept_on',
    'tell_result_due',
    'told_result_on',
    'visit_due',
    'visited_on',
)
_CHECKS = (
    ("real_name_only_for_concerns", "kind = 'concern' OR NOT real_name"),
    ("tell_clocks_only_if_real_name", "real_name OR (tell_accept_due IS NULL AND tell_result_due IS NULL)"),
    ("visit_after_carry_out", "visit_due IS NULL OR state = 'carried_out'"),
)


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('real_name', sa.Boolean(), nullable=False, server_default=sa.false()))
        for name in _DATES:
            batch_op.add_column(sa.Column(name, sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('feedback_given', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        for name, condition in _CHECKS:
            batch_op.create_check_constraint(name, condition)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        for name, _condition in reversed(_CHECKS):
            batch_op.drop_constraint(name, type_='check')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('feedback_given')
        for name in reversed(_DATES):
            batch_op.drop_column(name)
        batch_op.drop_column('real_name')
