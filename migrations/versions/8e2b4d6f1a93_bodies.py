"""bodies: a tree of bodies, staff and cases in one, an escrow key per body, holder rows with a reason

Existing data moves to one default body: every staff account becomes its member with the role
it has, the escrow key becomes the body's, and each case keeps exactly the holders it has
(their holder rows say "legacy"). Wrapped-key columns are renamed to say what they hold.

Revision ID: 8e2b4d6f1a93
Revises: 7d3a9c5e1f20
Create Date: 2026-12-01 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8e2b4d6f1a93'
down_revision = '7d3a9c5e1f20'
branch_labels = None
depends_on = None

_OLD_ROLES = "role IN ('reviewer', 'supervisor', 'admin')"
_NEW_ROLES = "role IN ('intake', 'reviewer', 'supervisor', 'leader', 'admin')"
_HOLDS = "reason IN ('intake', 'assigned', 'supervisor', 'grant', 'recovery', 'legacy')"
_CATEGORIES = (
    "category IN ('identity_barrier', 'rotation', 'fault_tolerance', 'incentives', 'workload', 'authority', 'other')"
)


def upgrade():
    op.create_table(
        'bodies',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('short_name', sa.String(length=20), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('level', sa.String(length=16), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.Column('ranks', sa.String(length=64), nullable=False),
        sa.Column('name_public', sa.Boolean(), nullable=False),
        sa.Column('is_default', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('commission', 'dispatched', 'township', 'department')", name=op.f('ck_bodies_body_kind')),
        sa.CheckConstraint("level IN ('province', 'city', 'county', 'township')", name=op.f('ck_bodies_body_level')),
        sa.ForeignKeyConstraint(['parent_id'], ['bodies.id'], name=op.f('fk_bodies_parent_id_bodies')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bodies')),
        sa.UniqueConstraint('name', name=op.f('uq_bodies_name')),
    )
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bodies_parent_id'), ['parent_id'], unique=False)
    op.create_table(
        'category_routes',
        sa.Column('category', sa.String(length=32), nullable=False),
        sa.Column('body_id', sa.Integer(), nullable=False),
        sa.CheckConstraint(_CATEGORIES, name=op.f('ck_category_routes_routed_category')),
        sa.ForeignKeyConstraint(['body_id'], ['bodies.id'], name=op.f('fk_category_routes_body_id_bodies'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('category', name=op.f('pk_category_routes')),
    )

    conn = op.get_bind()
    has_data = conn.execute(sa.text("SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM cases)"
                                    " + (SELECT count(*) FROM escrow_keys) + (SELECT count(*) FROM notices)")).scalar()
    if has_data:
        # The body today's deployment is: renamed by an admin afterwards.
        conn.execute(
            sa.text(
                "INSERT INTO bodies (id, name, short_name, kind, level, parent_id, ranks, name_public, is_default,"
                " created_at) VALUES (1, :name, :short, 'commission', 'county', NULL, 'general,section', :yes, :yes,"
                " CURRENT_TIMESTAMP)"
            ),
            {"name": "本级纪委监委", "short": "纪", "yes": True},
        )
        if conn.dialect.name == "postgresql":  # the id was given, not drawn: move the sequence past it
            conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('bodies', 'id'), 1)"))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('supervisor_id', sa.Integer(), nullable=True))
        batch_op.alter_column('private_key', new_column_name='wrapped_private_key')
        batch_op.drop_constraint('role', type_='check')
        batch_op.create_check_constraint('role', _NEW_ROLES)
    op.execute("UPDATE users SET body_id = 1")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('body_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_users_body_id'), ['body_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_users_body_id_bodies'), 'bodies', ['body_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_users_supervisor_id_users'), 'users', ['supervisor_id'], ['id'])

    with op.batch_alter_table('escrow_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_id', sa.Integer(), nullable=True))
        batch_op.alter_column('private_key', new_column_name='wrapped_private_key')
    op.execute("UPDATE escrow_keys SET body_id = 1")
    with op.batch_alter_table('escrow_keys', schema=None) as batch_op:
        batch_op.alter_column('body_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_escrow_keys_body_id'), ['body_id'])
        batch_op.create_foreign_key(
            batch_op.f('fk_escrow_keys_body_id_bodies'), 'bodies', ['body_id'], ['id'], ondelete='CASCADE'
        )

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_id', sa.Integer(), nullable=True))
        batch_op.alter_column('submitter_key', new_column_name='submitter_wrapped_key')
        batch_op.alter_column('escrow_key', new_column_name='escrow_sealed_key')
    op.execute("UPDATE cases SET body_id = 1")
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.alter_column('body_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_cases_body_id'), ['body_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_cases_body_id_bodies'), 'bodies', ['body_id'], ['id'])

    with op.batch_alter_table('case_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('case_filed_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE case_keys SET reason = 'legacy'")
    op.execute("UPDATE case_keys SET case_filed_at = (SELECT created_at FROM cases WHERE cases.id = case_keys.case_id)")
    with op.batch_alter_table('case_keys', schema=None) as batch_op:
        batch_op.alter_column('reason', existing_type=sa.String(length=16), nullable=False)
        batch_op.alter_column('case_filed_at', existing_type=sa.DateTime(), nullable=False)
        batch_op.create_check_constraint('hold_reason', _HOLDS)
        batch_op.create_index('ix_case_keys_holder_filed', ['user_id', 'case_filed_at', 'case_id'], unique=False)

    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_notices_body_id_bodies'), 'bodies', ['body_id'], ['id'])
    if has_data:
        op.execute("UPDATE notices SET body_id = 1")

    op.create_table(
        'transfers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.String(length=32), nullable=False),
        sa.Column('from_body_id', sa.Integer(), nullable=False),
        sa.Column('to_body_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=24), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_transfers_actor_id_users')),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_transfers_case_id_cases'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['from_body_id'], ['bodies.id'], name=op.f('fk_transfers_from_body_id_bodies')),
        sa.ForeignKeyConstraint(['to_body_id'], ['bodies.id'], name=op.f('fk_transfers_to_body_id_bodies')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_transfers')),
    )
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfers_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transfers_from_body_id'), ['from_body_id'], unique=False)


def downgrade():
    """Back to one deployment-wide body: only possible while the deployment has a single body."""
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT count(*) FROM bodies")).scalar() > 1:
        raise RuntimeError("more than one body: a downgrade would merge their cases' holders")
    if conn.execute(sa.text("SELECT count(*) FROM users WHERE role IN ('intake', 'leader')")).scalar():
        raise RuntimeError("intake officers or leaders exist: the older schema has no such role")
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfers_from_body_id'))
        batch_op.drop_index(batch_op.f('ix_transfers_case_id'))
    op.drop_table('transfers')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notices_body_id_bodies'), type_='foreignkey')
        batch_op.drop_column('body_id')
    with op.batch_alter_table('case_keys', schema=None) as batch_op:
        batch_op.drop_index('ix_case_keys_holder_filed')
        batch_op.drop_constraint('hold_reason', type_='check')
        batch_op.drop_column('case_filed_at')
        batch_op.drop_column('reason')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cases_body_id_bodies'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cases_body_id'))
        batch_op.drop_column('body_id')
        batch_op.alter_column('submitter_wrapped_key', new_column_name='submitter_key')
        batch_op.alter_column('escrow_sealed_key', new_column_name='escrow_key')
    with op.batch_alter_table('escrow_keys', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_escrow_keys_body_id_bodies'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_escrow_keys_body_id'), type_='unique')
        batch_op.drop_column('body_id')
        batch_op.alter_column('wrapped_private_key', new_column_name='private_key')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_supervisor_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_users_body_id_bodies'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_users_body_id'))
        batch_op.drop_constraint('role', type_='check')
        batch_op.create_check_constraint('role', _OLD_ROLES)
        batch_op.drop_column('supervisor_id')
        batch_op.drop_column('body_id')
        batch_op.alter_column('wrapped_private_key', new_column_name='private_key')
    op.drop_table('category_routes')
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bodies_parent_id'))
    op.drop_table('bodies')
