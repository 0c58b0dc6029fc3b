"""statistics milestones: the day each case was accepted, refused, concluded, carried out

Plain day columns, the working days each took and whether each met its deadline, for the
leadership statistics (h11s1). Backfilled from case_events (action and hour): the local day in
China of the first accept / refuse / concluding step / carry_out. The deadlines compared are
the ones the row holds now (the history does not keep earlier ones): an answer deadline moved
by a later objection is compared as it stands.

Revision ID: c11a00000001
Revises: c11d00000001
Create Date: 2026-12-01 22:00:00.000000

"""
import datetime as dt
from zoneinfo import ZoneInfo

import chinese_calendar
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c11a00000001'
down_revision = 'c11d00000001'
branch_labels = None
depends_on = None

_DATES = ('accepted_on', 'refused_on', 'concluded_on', 'carried_out_on')
_DAYS = ('days_to_accept', 'days_to_conclude', 'days_to_carry_out')
_MET = ('accept_met', 'conclude_met', 'carry_out_met')
_INDEXES = {
    'ix_cases_stats_accepted': 'accepted_on',
    'ix_cases_stats_refused': 'refused_on',
    'ix_cases_stats_concluded': 'concluded_on',
    'ix_cases_stats_carried_out': 'carried_out_on',
}
#: As portal.domain.milestones.CONCLUDING when this was written (a migration keeps its own copy).
_CONCLUDING = {'concern': 'answer', 'clarification': 'approve_finding', 'fault_tolerance': 'approve_decision'}
_ZONE = ZoneInfo('Asia/Shanghai')
_BATCH = 1000


def _working(d):
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        return d.weekday() < 5


def _between(start, end):
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += _working(day)
    return count


def _day(moment):
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(_ZONE).date()


def _met(day, due):
    return None if due is None else day <= due


def _milestones(kind, created_at, dues, events):
    """The columns of one case from its (action, created_at) events in order."""
    submitted = _day(created_at)
    m = {}
    for action, at in events:
        day = _day(at)
        if action in ('accept', 'refuse') and 'accepted_on' not in m and 'refused_on' not in m:
            m['accepted_on' if action == 'accept' else 'refused_on'] = day
            m['days_to_accept'] = _between(submitted, day)
            m['accept_met'] = _met(day, dues['accept_due'])
        elif action == _CONCLUDING.get(kind) and 'concluded_on' not in m:
            m['concluded_on'] = day
            m['days_to_conclude'] = _between(m.get('accepted_on', submitted), day)
            m['conclude_met'] = _met(day, dues['answer_due'])
        elif action == 'carry_out' and kind == 'clarification' and 'carried_out_on' not in m:
            m['carried_out_on'] = day
            m['days_to_carry_out'] = _between(m.get('concluded_on', m.get('accepted_on', submitted)), day)
            m['carry_out_met'] = _met(day, dues['carry_out_due'])
    return m


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        for name in _DATES:
            batch_op.add_column(sa.Column(name, sa.Date(), nullable=True))
        for name in _DAYS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
        for name in _MET:
            batch_op.add_column(sa.Column(name, sa.Boolean(), nullable=True))
        for index, column in _INDEXES.items():
            batch_op.create_index(index, [column, 'body_id', 'kind', 'category'], unique=False)

    connection = op.get_bind()
    cases = sa.table(
        'cases',
        sa.column('id', sa.String),
        sa.column('kind', sa.String),
        sa.column('created_at', sa.DateTime),
        sa.column('accept_due', sa.Date),
        sa.column('answer_due', sa.Date),
        sa.column('carry_out_due', sa.Date),
        *(sa.column(n, sa.Date) for n in _DATES),
        *(sa.column(n, sa.Integer) for n in _DAYS),
        *(sa.column(n, sa.Boolean) for n in _MET),
    )
    events = sa.table(
        'case_events',
        sa.column('case_id', sa.String),
        sa.column('position', sa.Integer),
        sa.column('action', sa.String),
        sa.column('created_at', sa.DateTime),
    )
    wanted = ('accept', 'refuse', 'carry_out', *_CONCLUDING.values())
    last = ''
    while True:
        rows = connection.execute(
            sa.select(cases.c.id, cases.c.kind, cases.c.created_at, cases.c.accept_due, cases.c.answer_due,
                      cases.c.carry_out_due)
            .where(cases.c.id > last).order_by(cases.c.id).limit(_BATCH)
        ).all()
        if not rows:
            break
        ids = [r.id for r in rows]
        steps = {}
        for case_id, action, at in connection.execute(
            sa.select(events.c.case_id, events.c.action, events.c.created_at)
            .where(events.c.case_id.in_(ids), events.c.action.in_(wanted))
            .order_by(events.c.case_id, events.c.position)
        ):
            steps.setdefault(case_id, []).append((action, at))
        for r in rows:
            if r.id not in steps:
                continue
            dues = {'accept_due': r.accept_due, 'answer_due': r.answer_due, 'carry_out_due': r.carry_out_due}
            values = _milestones(r.kind, r.created_at, dues, steps[r.id])
            if values:
                connection.execute(cases.update().where(cases.c.id == r.id).values(**values))
        last = ids[-1]


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        for index in _INDEXES:
            batch_op.drop_index(index)
        for name in (*_MET, *_DAYS, *_DATES):
            batch_op.drop_column(name)
