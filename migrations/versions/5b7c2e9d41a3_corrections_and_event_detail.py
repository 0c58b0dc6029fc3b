"""corrections wait for the cadre; timeline steps name the finding they proposed

Revision ID: 5b7c2e9d41a3
Revises: 5c0e7f3a9b21
Create Date: 2026-12-05 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b7c2e9d41a3'
down_revision = '5c0e7f3a9b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pending_corrections',
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('proposed_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_pending_corrections_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['notice_id'], ['notices.id'], name=op.f('fk_pending_corrections_notice_id_notices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by'], ['users.id'], name=op.f('fk_pending_corrections_proposed_by_users')),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_pending_corrections'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('correction_pending', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('detail', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_column('detail')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('correction_pending')
    op.drop_table('pending_corrections')
