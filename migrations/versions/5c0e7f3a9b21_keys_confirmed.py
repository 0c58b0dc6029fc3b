"""keys_confirmed: a new or reset case worker receives case keys only once a supervisor confirms it

Revision ID: 5c0e7f3a9b21
Revises: 100a6afc9399
Create Date: 2026-12-02 03:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c0e7f3a9b21'
down_revision = '100a6afc9399'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keys_confirmed', sa.Boolean(), nullable=False, server_default=sa.false()))
    # Case workers that exist already received every new case: they keep doing so.
    op.execute("UPDATE users SET keys_confirmed = (role <> 'admin')")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('keys_confirmed', server_default=None)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('keys_confirmed')
