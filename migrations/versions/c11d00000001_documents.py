"""documents: document numbers (发文字号) and the official documents a case produces

The case gains its 受理编号 when accepted; each issued document (受理告知书, 答复意见书, 移送函...)
draws its number from a yearly sequence per body and kind, and keeps its content under the case key.

Revision ID: c11d00000001
Revises: c11e00000001
Create Date: 2026-12-01 22:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c11d00000001'
down_revision = 'c11e00000001'
branch_labels = None
depends_on = None

_KINDS = "'case', 'acceptance', 'refusal', 'reply', 'clarification', 'tolerance', 'referral', 'notice'"


def upgrade():
    op.create_table('document_sequences',
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.CheckConstraint(f"kind IN ({_KINDS})", name=op.f('ck_document_sequences_kind')),
    sa.CheckConstraint('last >= 0', name=op.f('ck_document_sequences_last_not_negative')),
    sa.ForeignKeyConstraint(['body_id'], ['bodies.id'], name=op.f('fk_document_sequences_body_id_bodies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('body_id', 'year', 'kind', name=op.f('pk_document_sequences'))
    )
    op.create_table('documents',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by', sa.Integer(), nullable=True),
    sa.Column('for_cadre', sa.Boolean(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.CheckConstraint(f"kind IN ({_KINDS})", name=op.f('ck_documents_kind')),
    sa.ForeignKeyConstraint(['body_id'], ['bodies.id'], name=op.f('fk_documents_body_id_bodies')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_documents_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by'], ['users.id'], name=op.f('fk_documents_issued_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('body_id', 'number', name=op.f('uq_documents_body_id'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index('ix_documents_case_issued', ['case_id', 'issued_at'], unique=False)
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('number')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index('ix_documents_case_issued')
    op.drop_table('documents')
    op.drop_table('document_sequences')
