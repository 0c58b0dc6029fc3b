"""statistics releases: each year's protected statistics, computed once per month and stored

The statistics page reads a stored release (a year through the end of its last complete month)
instead of counting live data: one number per month, the same for every worker.

Revision ID: c11f00000001
Revises: c11a00000001
Create Date: 2026-12-01 23:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c11f00000001"
down_revision = "c11a00000001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "statistics_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("through", sa.Date(), nullable=False),
        sa.Column("built_at", sa.DateTime(), nullable=False),
        sa.Column("lattices", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistics_releases")),
        sa.UniqueConstraint("year", "through", name="uq_statistics_releases_year_through"),
    )


def downgrade():
    op.drop_table("statistics_releases")
