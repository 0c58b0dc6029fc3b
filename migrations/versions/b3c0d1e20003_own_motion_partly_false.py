"""clarification on the body's own motion (主动澄清) and 部分失实

A clarification case remembers how it began (origin: applied or own_motion) and its approved
finding (失实 or 部分失实 both lead to found_false); a partly-false finding keeps the items found
false, encrypted, and the notice it leads to lists only those (clarified_items, public).

Existing cases began as applications; those past the finding step get the finding their state
implies (only 失实 led to found_false and what follows it before this revision).

Revision ID: b3c0d1e20003
Revises: b4d2e3f40004
Create Date: 2026-12-01 19:40:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b3c0d1e20003'
down_revision = 'b4d2e3f40004'
branch_labels = None
depends_on = None

_OLD_PROPOSED = "proposed_finding IS NULL OR proposed_finding IN ('found_false', 'substantiated', 'unverifiable')"
_FINDINGS = "'found_false', 'substantiated', 'unverifiable', 'partly_false'"
_NEW_PROPOSED = f"proposed_finding IS NULL OR proposed_finding IN ({_FINDINGS})"

#: New constraints, frozen as they are at this revision.
_ADDED = (
    ("finding", f"finding IS NULL OR finding IN ({_FINDINGS})"),
    (
        "false_items_of_partly_false",
        "(false_items IS NOT NULL) = (COALESCE(proposed_finding, '') = 'partly_false'"
        " OR COALESCE(finding, '') = 'partly_false')",
    ),
    ("origin", "origin IN ('applied', 'own_motion')"),
    ("origin_only_for_clarifications", "kind = 'clarification' OR origin = 'applied'"),
)

_CLEARED = "'found_false', 'awaiting_consent', 'plan_consented', 'plan_approved', 'carried_out'"


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('finding', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('false_items', sa.LargeBinary(), nullable=True))
    op.execute("UPDATE cases SET origin = 'applied'")
    op.execute(f"UPDATE cases SET finding = 'found_false' WHERE kind = 'clarification' AND state IN ({_CLEARED})")
    op.execute("UPDATE cases SET finding = state WHERE kind = 'clarification' AND state IN ('substantiated', 'unverifiable')")
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.alter_column('origin', existing_type=sa.String(length=16), nullable=False)
        batch_op.drop_constraint('proposed_finding', type_='check')  # the naming convention adds ck_cases_
        batch_op.create_check_constraint('proposed_finding', _NEW_PROPOSED)
        for name, condition in _ADDED:
            batch_op.create_check_constraint(name, condition)
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clarified_items', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_column('clarified_items')
    # A 部分失实 proposal cannot be stated in the older schema: it goes back to verification.
    op.execute(
        "UPDATE cases SET state = 'verifying', proposed_finding = NULL, proposer_id = NULL, due_on = answer_due"
        " WHERE proposed_finding = 'partly_false'"
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        for name, _condition in reversed(_ADDED):
            batch_op.drop_constraint(name, type_='check')
        batch_op.drop_constraint('proposed_finding', type_='check')
        batch_op.create_check_constraint('proposed_finding', _OLD_PROPOSED)
        batch_op.drop_column('false_items')
        batch_op.drop_column('finding')
        batch_op.drop_column('origin')
