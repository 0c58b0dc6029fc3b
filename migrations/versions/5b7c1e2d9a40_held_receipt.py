"""held receipt: a spent form token keeps its case's receipt, sealed for the filing browser

Revision ID: 5b7c1e2d9a40
Revises: 5b7c2e9d41a3
Create Date: 2026-12-01 10:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b7c1e2d9a40'
down_revision = '5b7c2e9d41a3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('spent_form_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receipt', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('spent_form_tokens', schema=None) as batch_op:
        batch_op.drop_column('receipt')
