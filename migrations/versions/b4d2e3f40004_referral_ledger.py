"""referral ledger: referrals of a suspected malicious accusation (移送), their outcomes, 一信双查, 提醒教育

A flag of 涉嫌诬告陷害 opens a referral record per receiving body: its kind, the dates, the
outcome the body reports (立案, 处理结果, 不予追究) and when to ask it for feedback, in plain
text; its name, reference, what was checked about the accuser and what was decided under the
case key. A 错告 records the 提醒教育 given to the accuser. No existing constraint changes.

Revision ID: b4d2e3f40004
Revises: a10b0c0d0e01
Create Date: 2026-12-01 19:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4d2e3f40004'
down_revision = 'a10b0c0d0e01'
branch_labels = None
depends_on = None

_OUTCOME = "COALESCE(outcome, '')"
_FINAL = f"({_OUTCOME} IN ('handled', 'not_pursued'))"


def upgrade():
    op.create_table(
        'referrals',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('case_id', sa.String(length=32), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('target', sa.String(length=16), nullable=False),
        sa.Column('referred_on', sa.Date(), nullable=False),
        sa.Column('outcome', sa.String(length=16), nullable=True),
        sa.Column('filed_on', sa.Date(), nullable=True),
        sa.Column('concluded_on', sa.Date(), nullable=True),
        sa.Column('feedback_due', sa.Date(), nullable=True),
        sa.Column('double_check', sa.Boolean(), nullable=False),
        sa.Column('checked_on', sa.Date(), nullable=True),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('body_name', sa.LargeBinary(), nullable=False),
        sa.Column('reference', sa.LargeBinary(), nullable=False),
        sa.Column('notes', sa.LargeBinary(), nullable=True),
        sa.Column('check_note', sa.LargeBinary(), nullable=True),
        sa.Column('filed_note', sa.LargeBinary(), nullable=True),
        sa.Column('result', sa.LargeBinary(), nullable=True),
        sa.CheckConstraint("target IN ('discipline', 'supervision', 'police', 'party')", name=op.f('ck_referrals_target')),
        sa.CheckConstraint("outcome IS NULL OR outcome IN ('filed', 'handled', 'not_pursued')", name=op.f('ck_referrals_outcome')),
        sa.CheckConstraint(
            f"(outcome IS NULL AND filed_on IS NULL) OR ({_OUTCOME} = 'filed' AND filed_on IS NOT NULL)"
            f" OR {_OUTCOME} IN ('handled', 'not_pursued')",
            name=op.f('ck_referrals_filed_dated'),
        ),
        sa.CheckConstraint(f"{_FINAL} = (concluded_on IS NOT NULL)", name=op.f('ck_referrals_concluded_dated')),
        sa.CheckConstraint(f"{_FINAL} = (feedback_due IS NULL)", name=op.f('ck_referrals_feedback_due')),
        sa.CheckConstraint(f"{_FINAL} = (result IS NOT NULL)", name=op.f('ck_referrals_result_when_final')),
        sa.CheckConstraint('double_check = (checked_on IS NOT NULL)', name=op.f('ck_referrals_double_check_dated')),
        sa.CheckConstraint('double_check = (check_note IS NOT NULL)', name=op.f('ck_referrals_double_check_recorded')),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_referrals_actor_id_users')),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_referrals_case_id_cases'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals')),
        sa.UniqueConstraint('case_id', 'position', name=op.f('uq_referrals_case_id')),
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referrals_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_referrals_feedback_due', ['feedback_due', 'id'], unique=False)

    op.create_table(
        'accuser_reminders',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('case_id', sa.String(length=32), nullable=False),
        sa.Column('given_on', sa.Date(), nullable=False),
        sa.Column('form', sa.String(length=16), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('note', sa.LargeBinary(), nullable=False),
        sa.CheckConstraint("form IN ('talk', 'written', 'criticism')", name=op.f('ck_accuser_reminders_reminder_form')),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_accuser_reminders_actor_id_users')),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_accuser_reminders_case_id_cases'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_accuser_reminders')),
    )
    with op.batch_alter_table('accuser_reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accuser_reminders_case_id'), ['case_id'], unique=False)


def downgrade():
    with op.batch_alter_table('accuser_reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accuser_reminders_case_id'))
    op.drop_table('accuser_reminders')
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index('ix_referrals_feedback_due')
        batch_op.drop_index(batch_op.f('ix_referrals_case_id'))
    op.drop_table('referrals')
