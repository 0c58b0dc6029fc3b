"""document voiding: an issued 公文 may be voided (作废) by the office that issued it (issue 11)

A voided document keeps its row and its number (numbers never repeat); it gains when and by whom
it was voided, to the minute, and the reason under the case key. Both or neither: a void always
has its reason.

Revision ID: c12d00000001
Revises: c12b00000001
Create Date: 2026-12-02 03:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c12d00000001"
down_revision = "c12b00000001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("voided_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("voided_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("void_reason", sa.LargeBinary(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_documents_voided_by_users"), "users", ["voided_by"], ["id"])
        batch_op.create_check_constraint("void_has_reason", "(voided_at IS NULL) = (void_reason IS NULL)")


def downgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint("void_has_reason", type_="check")
        batch_op.drop_constraint(op.f("fk_documents_voided_by_users"), type_="foreignkey")
        batch_op.drop_column("void_reason")
        batch_op.drop_column("voided_by")
        batch_op.drop_column("voided_at")
