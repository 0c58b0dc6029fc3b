"""notice grams: every character and character pair of each notice's search text, for search

Revision ID: 7d3a9c5e1f20
Revises: 6a1f0c2d8e57
Create Date: 2026-12-01 13:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d3a9c5e1f20'
down_revision = '6a1f0c2d8e57'
branch_labels = None
depends_on = None

_BATCH = 500


def _grams(text):
    """As portal.domain.notice_text.grams when this was written (a migration never imports the app)."""
    found = set()
    for word in (text or "").split():
        found.update(word)
        found.update(word[i : i + 2] for i in range(len(word) - 1))
    return found


def upgrade():
    grams = op.create_table(
        'notice_grams',
        sa.Column('gram', sa.String(length=2), nullable=False),
        sa.Column('notice_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['notice_id'], ['notices.id'], name=op.f('fk_notice_grams_notice_id_notices'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('gram', 'notice_id', name=op.f('pk_notice_grams')),
    )
    with op.batch_alter_table('notice_grams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_grams_notice_id'), ['notice_id'], unique=False)

    connection = op.get_bind()
    notices = sa.table('notices', sa.column('id', sa.Integer), sa.column('search_text', sa.Text))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(notices.c.id, notices.c.search_text).where(notices.c.id > last).order_by(notices.c.id).limit(_BATCH)
        ).all()
        if not rows:
            break
        values = [{'gram': gram, 'notice_id': notice_id} for notice_id, text in rows for gram in _grams(text)]
        if values:
            connection.execute(grams.insert(), values)
        last = rows[-1][0]


def downgrade():
    with op.batch_alter_table('notice_grams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_grams_notice_id'))
    op.drop_table('notice_grams')
