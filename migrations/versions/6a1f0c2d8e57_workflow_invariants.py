"""workflow invariants: a case's state implies its workflow columns, in the database too

Revision ID: 6a1f0c2d8e57
Revises: 5b7c1e2d9a40
Create Date: 2026-12-01 14:45:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '6a1f0c2d8e57'
down_revision = '5b7c1e2d9a40'
branch_labels = None
depends_on = None

_STATES = (
    "'submitted', 'accepted', 'not_accepted', 'in_progress', 'awaiting_info', 'answered', 'closed', "
    "'verifying', 'finding_proposed', 'found_false', 'substantiated', 'unverifiable', 'awaiting_consent', "
    "'plan_consented', 'plan_approved', 'carried_out'"
)

#: Frozen copies of portal.models.case.WORKFLOW_INVARIANTS as they were at this revision.
CONSTRAINTS = (
    ("proposed_finding", "proposed_finding IS NULL OR proposed_finding IN ('found_false', 'substantiated', 'unverifiable')"),
    ("finding_while_proposed", "(state = 'finding_proposed') = (proposed_finding IS NOT NULL)"),
    (
        "proposer_while_proposed",
        "(state IN ('finding_proposed', 'awaiting_consent', 'plan_consented')) = (proposer_id IS NOT NULL)",
    ),
    ("paused_from", f"paused_from IS NULL OR paused_from IN ({_STATES})"),
    ("paused_from_while_awaiting", "(state = 'awaiting_info') = (paused_from IS NOT NULL)"),
    ("paused_on_while_awaiting", "(state = 'awaiting_info') = (paused_on IS NOT NULL)"),
    (
        "accepted_cases_have_assignee_and_due",
        "state IN ('submitted', 'not_accepted') OR (assignee_id IS NOT NULL AND answer_due IS NOT NULL)",
    ),
    ("flag_only_for_clarifications", "kind = 'clarification' OR flag = 'none'"),
    ("referred_only_if_malicious", "NOT referred OR flag = 'suspected_malicious'"),
    ("correction_only_when_published", "NOT correction_pending OR state IN ('carried_out', 'plan_approved')"),
    (
        "refusal_reason_of_refused_clarification",
        "refusal_reason IS NULL OR (refusal_reason IN ('no_conclusion', 'not_ruled_out', 'no_harm', 'other')"
        " AND kind = 'clarification' AND state = 'not_accepted')",
    ),
)


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        for name, condition in CONSTRAINTS:
            batch_op.create_check_constraint(name, condition)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        for name, _condition in CONSTRAINTS:
            batch_op.drop_constraint(name, type_="check")  # the naming convention adds ck_cases_
