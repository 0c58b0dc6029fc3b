"""fault tolerance: the 容错纠错 application, a third kind of case (issue 10)

Adds the kind and its three states (decision proposed, collectively decided, decided), the
plain outcome codes (proposed and approved) and the leader a collective decision is submitted
to, and the table of the decision's encrypted content (reasons, 纠错 measures, 集体研究 record).
Rewrites the check constraints that list kinds and states (kind, state, paused_from) and the
proposer invariant (a pending decision has a proposer), and adds the decision's invariants.

Revision ID: b1f7c0de1001
Revises: b3c0d1e20003
Create Date: 2026-12-01 19:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1f7c0de1001'
down_revision = 'b3c0d1e20003'
branch_labels = None
depends_on = None

_OLD_STATES = (
    "'submitted', 'accepted', 'not_accepted', 'in_progress', 'awaiting_info', 'answered', 'closed', "
    "'verifying', 'finding_proposed', 'found_false', 'substantiated', 'unverifiable', 'awaiting_consent', "
    "'plan_consented', 'plan_approved', 'carried_out'"
)
_NEW_STATES = _OLD_STATES + ", 'decision_proposed', 'collectively_decided', 'decided'"
_TOLERANCES = "'exempt', 'reduced', 'refused'"

#: (name, old condition, new condition) of each constraint rewritten.
REWRITTEN = (
    ("kind", "kind IN ('concern', 'clarification')", "kind IN ('concern', 'clarification', 'fault_tolerance')"),
    ("state", f"state IN ({_OLD_STATES})", f"state IN ({_NEW_STATES})"),
    (
        "paused_from",
        f"paused_from IS NULL OR paused_from IN ({_OLD_STATES})",
        f"paused_from IS NULL OR paused_from IN ({_NEW_STATES})",
    ),
    (
        "proposer_while_proposed",
        "(state IN ('finding_proposed', 'awaiting_consent', 'plan_consented')) = (proposer_id IS NOT NULL)",
        "(state IN ('finding_proposed', 'awaiting_consent', 'plan_consented', 'decision_proposed',"
        " 'collectively_decided')) = (proposer_id IS NOT NULL)",
    ),
)

#: Frozen copies of the fault-tolerance invariants of portal.models.case at this revision.
ADDED = (
    ("proposed_tolerance", f"proposed_tolerance IS NULL OR proposed_tolerance IN ({_TOLERANCES})"),
    (
        "tolerance_while_proposed",
        "(state IN ('decision_proposed', 'collectively_decided')) = (proposed_tolerance IS NOT NULL)",
    ),
    ("approver_while_collective", "(state = 'collectively_decided') = (approver_id IS NOT NULL)"),
    (
        "tolerance_outcome",
        f"tolerance_outcome IS NULL OR (tolerance_outcome IN ({_TOLERANCES}) AND kind = 'fault_tolerance')",
    ),
)


def upgrade():
    op.create_table(
        'tolerance_decisions',
        sa.Column('case_id', sa.String(length=32), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ['case_id'], ['cases.id'], name=op.f('fk_tolerance_decisions_case_id_cases'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('case_id', name=op.f('pk_tolerance_decisions')),
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposed_tolerance', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('tolerance_outcome', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('approver_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_cases_approver_id_users'), 'users', ['approver_id'], ['id'])
        for name, _old, new in REWRITTEN:
            batch_op.drop_constraint(name, type_='check')  # the naming convention adds ck_cases_
            batch_op.create_check_constraint(name, new)
        for name, condition in ADDED:
            batch_op.create_check_constraint(name, condition)


def downgrade():
    # The older schema knows no fault-tolerance case: they go, with everything they own.
    op.drop_table('tolerance_decisions')
    op.execute(
        "DELETE FROM case_keys WHERE case_id IN (SELECT id FROM cases WHERE kind = 'fault_tolerance')"
    )
    for table in ('attachments', 'messages', 'notes', 'case_events', 'clarification_plans', 'pending_corrections',
                  'transfers'):
        op.execute(f"DELETE FROM {table} WHERE case_id IN (SELECT id FROM cases WHERE kind = 'fault_tolerance')")
    op.execute("DELETE FROM cases WHERE kind = 'fault_tolerance'")
    with op.batch_alter_table('cases', schema=None) as batch_op:
        for name, _condition in ADDED:
            batch_op.drop_constraint(name, type_='check')
        for name, old, _new in REWRITTEN:
            batch_op.drop_constraint(name, type_='check')
            batch_op.create_check_constraint(name, old)
        batch_op.drop_constraint(batch_op.f('fk_cases_approver_id_users'), type_='foreignkey')
        batch_op.drop_column('approver_id')
        batch_op.drop_column('tolerance_outcome')
        batch_op.drop_column('proposed_tolerance')
