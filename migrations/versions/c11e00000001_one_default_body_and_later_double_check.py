"""one default body, enforced; who recorded a 一信双查

The deployment's default body can now be changed by an admin: a partial unique index makes
"at most one body is the default" the database's rule too (the service keeps "at least one").
一信双查 may be recorded after the referral, so the referral keeps who recorded it.

Revision ID: c11e00000001
Revises: b5e3f4a50005
Create Date: 2026-12-01 22:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c11e00000001"
down_revision = "b5e3f4a50005"
branch_labels = None
depends_on = None

_ONE_DEFAULT = sa.text("is_default")


def upgrade():
    # Keep the first default if a hand-edited database has more than one, before the index forbids it.
    op.execute(
        "UPDATE bodies SET is_default = false WHERE is_default AND id <> (SELECT min(id) FROM bodies WHERE is_default)"
    )
    op.create_index(
        "ix_bodies_one_default",
        "bodies",
        ["is_default"],
        unique=True,
        postgresql_where=_ONE_DEFAULT,
        sqlite_where=_ONE_DEFAULT,
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checked_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_referrals_checked_by_id_users"), "users", ["checked_by_id"], ["id"])
    # A check ticked at the referral was recorded by whoever referred.
    op.execute("UPDATE referrals SET checked_by_id = actor_id WHERE double_check")


def downgrade():
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_referrals_checked_by_id_users"), type_="foreignkey")
        batch_op.drop_column("checked_by_id")
    op.drop_index("ix_bodies_one_default", table_name="bodies")
