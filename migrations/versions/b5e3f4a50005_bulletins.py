"""bulletins: 典型案例通报, its staff-side draft under the case key and its public tables

A supervisor drafts an anonymised bulletin of a concluded 诬告陷害 case (encrypted under the
case key, one per case) and submits it to a leader; approval publishes it in plain text, with
its history of corrections and withdrawal, as notices are.

Revision ID: b5e3f4a50005
Revises: b2a1e4a10002
Create Date: 2026-12-01 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b5e3f4a50005'
down_revision = 'b2a1e4a10002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bulletins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(length=32), nullable=True),
    sa.Column('body_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('treatment', sa.Text(), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('withdrawn_reason', sa.Text(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.CheckConstraint("status IN ('published', 'withdrawn')", name=op.f('ck_bulletins_status')),
    sa.ForeignKeyConstraint(['body_id'], ['bodies.id'], name=op.f('fk_bulletins_body_id_bodies')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_bulletins_case_id_cases'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulletins')),
    sa.UniqueConstraint('case_id', name=op.f('uq_bulletins_case_id'))
    )
    with op.batch_alter_table('bulletins', schema=None) as batch_op:
        batch_op.create_index('ix_bulletins_published', ['published_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bulletins_updated_at'), ['updated_at'], unique=False)

    op.create_table('bulletin_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bulletin_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('changes', sa.Text(), nullable=True),
    sa.CheckConstraint("kind IN ('published', 'corrected', 'withdrawn')", name=op.f('ck_bulletin_revisions_kind')),
    sa.ForeignKeyConstraint(['bulletin_id'], ['bulletins.id'], name=op.f('fk_bulletin_revisions_bulletin_id_bulletins'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulletin_revisions'))
    )
    with op.batch_alter_table('bulletin_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bulletin_revisions_bulletin_id'), ['bulletin_id'], unique=False)

    op.create_table('bulletin_drafts',
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.Column('drafter_id', sa.Integer(), nullable=False),
    sa.Column('approver_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('return_reason', sa.LargeBinary(), nullable=True),
    sa.Column('bulletin_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('submitted', 'returned', 'published')", name=op.f('ck_bulletin_drafts_status')),
    sa.CheckConstraint('approver_id IS NULL OR approver_id <> drafter_id', name=op.f('ck_bulletin_drafts_four_eyes')),
    sa.ForeignKeyConstraint(['approver_id'], ['users.id'], name=op.f('fk_bulletin_drafts_approver_id_users')),
    sa.ForeignKeyConstraint(['bulletin_id'], ['bulletins.id'], name=op.f('fk_bulletin_drafts_bulletin_id_bulletins'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_bulletin_drafts_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['drafter_id'], ['users.id'], name=op.f('fk_bulletin_drafts_drafter_id_users')),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_bulletin_drafts'))
    )
    with op.batch_alter_table('bulletin_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bulletin_drafts_approver_id'), ['approver_id'], unique=False)


def downgrade():
    with op.batch_alter_table('bulletin_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bulletin_drafts_approver_id'))
    op.drop_table('bulletin_drafts')
    with op.batch_alter_table('bulletin_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bulletin_revisions_bulletin_id'))
    op.drop_table('bulletin_revisions')
    with op.batch_alter_table('bulletins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bulletins_updated_at'))
        batch_op.drop_index('ix_bulletins_published')
    op.drop_table('bulletins')
