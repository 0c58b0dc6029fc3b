"""bulletin consent: a 典型案例通报 may name the cadre, with their consent (issue 10)

A draft says whether it names the cadre, where the cadre's answer stands (asked, given,
declined: plain, it is about the bulletin) and the keyed digest of the text they consented to;
the name itself stays in the encrypted draft until publication. A published bulletin keeps
whether it names the cadre, so a correction must take the name out.

Revision ID: c12b00000001
Revises: c11f00000001
Create Date: 2026-12-02 02:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c12b00000001"
down_revision = "c11f00000001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("bulletin_drafts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("names_cadre", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("consent", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("consented_digest", sa.LargeBinary(), nullable=True))
        batch_op.create_check_constraint("consent", "consent IS NULL OR consent IN ('asked', 'given', 'declined')")
        batch_op.create_check_constraint("consent_only_naming", "names_cadre OR consent IS NULL")
    with op.batch_alter_table("bulletins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("names_cadre", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("bulletins", schema=None) as batch_op:
        batch_op.drop_column("names_cadre")
    with op.batch_alter_table("bulletin_drafts", schema=None) as batch_op:
        batch_op.drop_constraint("consent_only_naming", type_="check")
        batch_op.drop_constraint("consent", type_="check")
        batch_op.drop_column("consented_digest")
        batch_op.drop_column("consent")
        batch_op.drop_column("names_cadre")
