"""The queues at city scale, on PostgreSQL: 150 bodies, 500 staff, 1,000,000 cases, holder rows.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/zm_bench .venv/bin/python -m bench.queue_scale
    ... -m bench.queue_scale --reuse --rounds 50    # time again on the rows of an earlier run
    ... -m bench.queue_scale --reuse --parallel-workers 0   # without parallel query workers

One deployment serves a city: 10 counties of 15 bodies each (a commission, its dispatched groups,
townships and departments), 500 staff, a million cases filed over the last year. Cases and holder
rows are seeded in SQL (INSERT ... SELECT generate_series, dummy ciphertext: queues never decrypt),
the way the model keeps them: a body's intake officers hold every case of their body (reason
intake), an accepted case's assignee holds it (assigned) and a reviewer's supervisors too
(supervisor). States follow a case's age (a week-old case is mostly still submitted, a year-old
one closed) and every deadline is the one the engine would have set, so some are overdue and some
are due soon. Then VACUUM ANALYZE, as autovacuum would have done by the time anyone looks.

Timed, as the case list calls it, ``services.queues.page`` (the page plus every queue's count):

- a reviewer holding 2,000 of the 1,000,000 cases: "mine" and "all", first page and the middle
  page (reached by following cursors), sorted by filing and by deadline;
- an intake officer of the body with 50,000 cases: "new" and "all", the same pages and sorts.

Prints the median and p99 per query (ms) over --rounds runs, the EXPLAIN (ANALYZE, BUFFERS) of the
slowest statement of the slowest query, then the cost of ``intake.file_case`` for a body with 5
intake officers and the sealed boxes that filing writes (one per intake officer, one for the escrow
key). Figures only; asserts nothing. Drops and rebuilds the schema of the database it is given
(through the migrations), so give it a database of its own.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from flask_migrate import upgrade
from sqlalchemy import MetaData, event, text

from portal import create_app
from portal.domain.cases import Kind
from portal.extensions import db
from portal.models import Case, CaseKey, User
from portal.services import accounts, form_tokens, holdings, intake, queues

PASSWORD = "bench password 123"
COUNTIES = 10
BODIES_PER_COUNTY = 15
STAFF = 500
CASES = 1_000_000
BIG_BODY_CASES = 50_000
REVIEWER_CASES = 2_000
#: Bodies by id, as the seed numbers them (body 1 is each county's first: its commission).
BIG_BODY = 1  # the first county's commission: 50,000 cases, three intake officers
REVIEWER_BODY = 16  # the second county's commission: the reviewer of interest works there
FILING_BODY = 31  # the third county's commission: five intake officers and a real escrow key


def _sql(statement: str, **params) -> None:
    db.session.execute(text(statement), params)


def seed_bodies() -> None:
    """10 counties × 15 bodies: each county's commission first, then 14 bodies under it."""
    bodies = COUNTIES * BODIES_PER_COUNTY
    _sql(
        """
        INSERT INTO bodies (id, name, short_name, kind, level, parent_id, ranks, name_public, is_default, created_at)
        SELECT n,
               CASE WHEN k = 0 THEN '第' || c || '县纪委监委' ELSE '第' || c || '县第' || k || '机关' END,
               '纪' || n,
               CASE WHEN k = 0 THEN 'commission' WHEN k % 3 = 1 THEN 'dispatched'
                    WHEN k % 3 = 2 THEN 'township' ELSE 'department' END,
               CASE WHEN k % 3 = 2 THEN 'township' ELSE 'county' END,
               CASE WHEN k = 0 THEN NULL ELSE (c - 1) * :per + 1 END,
               CASE WHEN k = 0 THEN 'general,section' ELSE 'general' END,
               true, n = 1, date_trunc('hour', (now() AT TIME ZONE 'UTC') - interval '2 years')
        FROM (SELECT n, (n - 1) / :per + 1 AS c, (n - 1) % :per AS k FROM generate_series(1, :bodies) n) s
        """,
        per=BODIES_PER_COUNTY,
        bodies=bodies,
    )
    _sql("SELECT setval(pg_get_serial_sequence('bodies', 'id'), :n)", n=bodies)
    db.session.commit()


def seed_staff() -> dict[str, int]:
    """500 staff: the accounts the bench signs in as get real keys, the rest dummy ones.

    Every body has one intake officer and one supervisor; the big body has three intake
    officers, the filing body five; reviewers fill the rest, round the bodies.
    """
    real = {
        "reviewer": accounts.create_user(
            "bench.reviewer", "reviewer", PASSWORD, body_id=REVIEWER_BODY, confirmed=True
        ).user_id,
        "intake": accounts.create_user("bench.intake", "intake", PASSWORD, body_id=BIG_BODY, confirmed=True).user_id,
    }
    for i in range(5):
        accounts.create_user(f"bench.filing{i}", "intake", PASSWORD, body_id=FILING_BODY, confirmed=True)
    accounts.create_escrow("bench escrow passphrase", FILING_BODY)
    bodies = COUNTIES * BODIES_PER_COUNTY
    # (body, role) of the dummy accounts: intake and supervisor of each body (the real ones above
    # already fill the filing body's intake desk and one of the big body's), then reviewers.
    _sql(
        """
        CREATE TEMP TABLE bench_staff ON COMMIT DROP AS
        SELECT b AS body_id, 'intake' AS role FROM generate_series(1, :bodies) b WHERE b <> :filing
        UNION ALL SELECT :big, 'intake'
        UNION ALL SELECT b, 'supervisor' FROM generate_series(1, :bodies) b
        """,
        bodies=bodies,
        filing=FILING_BODY,
        big=BIG_BODY,
    )
    placed = db.session.scalar(text("SELECT count(*) FROM bench_staff")) + len(real) + 5
    _sql(
        "INSERT INTO bench_staff SELECT (n - 1) % :bodies + 1, 'reviewer' FROM generate_series(1, :n) n",
        bodies=bodies,
        n=STAFF - placed,
    )
    _sql(
        """
        INSERT INTO users (username, role, body_id, credential, totp_secret, public_key, wrapped_private_key,
                           totp_enrolled, totp_last_step, session_epoch, disabled, keys_confirmed, created_at)
        SELECT 'staff.' || row_number() OVER (), role, body_id, '\\x00'::bytea, '\\x00'::bytea,
               decode(repeat('11', 33), 'hex'), decode(repeat('22', 60), 'hex'),
               true, 0, 0, false, true, date_trunc('hour', (now() AT TIME ZONE 'UTC') - interval '1 year')
        FROM bench_staff ORDER BY body_id, role
        """
    )
    db.session.commit()
    return real


def seed_cases() -> None:
    """A million cases over the last year, 50,000 of them at the big body, the rest spread evenly.

    A case's state follows its age; its deadlines are the engine's (accept within 7 working
    days, about 9 calendar days; answer within 90 days of acceptance; carry out within 5
    working days of a plan's approval), and ``due_on`` is the one its state runs against.
    """
    bodies = COUNTIES * BODIES_PER_COUNTY
    # Who a body's accepted cases go to: its reviewers and supervisors, numbered per body.
    _sql(
        """
        CREATE TEMP TABLE bench_workers AS
        SELECT body_id, id AS user_id, row_number() OVER (PARTITION BY body_id ORDER BY id) - 1 AS idx,
               count(*) OVER (PARTITION BY body_id) AS n
        FROM users WHERE role IN ('reviewer', 'supervisor') AND id <> :reviewer
        """,
        reviewer=db.session.scalar(text("SELECT id FROM users WHERE username = 'bench.reviewer'")),
    )
    _sql("CREATE UNIQUE INDEX ON bench_workers (body_id, idx)")
    _sql("ANALYZE bench_workers")
    _sql("SELECT setseed(0.42)")
    _sql(
        """
        INSERT INTO cases (id, kind, state, category, created_at, updated_at, receipt_lookup, body_id,
                           submitter_wrapped_key, escrow_sealed_key, submission, assignee_id, proposer_id,
                           proposed_finding, paused_from, paused_on, accept_due, answer_due, carry_out_due,
                           answered_on, objected, flag, referred, correction_pending, refusal_reason, due_on,
                           origin, real_name, feedback_given)
        SELECT id, kind, state, category, created_at, created_at + interval '1 hour' * (age % 7), receipt_lookup,
               body_id, submitter_wrapped_key, escrow_sealed_key, submission,
               CASE WHEN state IN ('submitted', 'not_accepted') THEN NULL ELSE
                    (SELECT user_id FROM bench_workers w WHERE w.body_id = s.body_id AND w.idx = s.i % w.n) END,
               NULL, NULL,
               CASE WHEN state = 'awaiting_info' THEN paused_from END,
               CASE WHEN state = 'awaiting_info' THEN filed_on + 9 + (age - 9) / 2 END,
               filed_on + 9,
               CASE WHEN state NOT IN ('submitted', 'not_accepted') THEN filed_on + 5 + 90 END,
               CASE WHEN state IN ('plan_approved', 'carried_out') THEN filed_on + 60 + 7 END,
               CASE WHEN state IN ('answered', 'closed') THEN filed_on + 5 + least(age - 6, 30 + i % 55) END,
               false, 'none', false, false, NULL,
               CASE WHEN state = 'submitted' THEN filed_on + 9
                    WHEN state IN ('accepted', 'in_progress', 'verifying') THEN filed_on + 5 + 90
                    WHEN state = 'plan_approved' THEN filed_on + 60 + 7 END,
               'applied', false, false
        FROM (
            SELECT i, s.body_id, s.created_at, s.filed_on, s.age, s.kind,
                   md5('case' || i) AS id,
                   sha256(('receipt' || i)::bytea) AS receipt_lookup,
                   CASE WHEN s.kind = 'concern' THEN (ARRAY['identity_barrier', 'rotation', 'fault_tolerance',
                        'incentives', 'workload', 'authority', 'other'])[1 + i % 7] END AS category,
                   CASE WHEN s.kind = 'concern' THEN
                        CASE WHEN s.age < 9 THEN (CASE WHEN s.r < 0.8 THEN 'submitted' WHEN s.r < 0.95 THEN 'accepted'
                                                      ELSE 'not_accepted' END)
                             WHEN s.age < 95 THEN (CASE WHEN s.r < 0.02 THEN 'submitted' WHEN s.r < 0.10 THEN 'accepted'
                                                       WHEN s.r < 0.55 THEN 'in_progress'
                                                       WHEN s.r < 0.62 THEN 'awaiting_info'
                                                       WHEN s.r < 0.70 THEN 'not_accepted'
                                                       WHEN s.r < 0.85 THEN 'answered' ELSE 'closed' END)
                             ELSE (CASE WHEN s.r < 0.01 THEN 'in_progress' WHEN s.r < 0.08 THEN 'not_accepted'
                                        WHEN s.r < 0.10 THEN 'answered' ELSE 'closed' END) END
                   ELSE
                        CASE WHEN s.age < 9 THEN (CASE WHEN s.r < 0.8 THEN 'submitted' ELSE 'accepted' END)
                             WHEN s.age < 95 THEN (CASE WHEN s.r < 0.02 THEN 'submitted' WHEN s.r < 0.55 THEN 'verifying'
                                                       WHEN s.r < 0.65 THEN 'plan_approved'
                                                       WHEN s.r < 0.75 THEN 'not_accepted' ELSE 'carried_out' END)
                             ELSE (CASE WHEN s.r < 0.1 THEN 'not_accepted' WHEN s.r < 0.5 THEN 'substantiated'
                                        WHEN s.r < 0.8 THEN 'found_false' ELSE 'carried_out' END) END
                   END AS state,
                   CASE WHEN s.kind = 'concern' THEN 'in_progress' ELSE 'verifying' END AS paused_from,
                   decode(repeat('33', 60), 'hex') AS submitter_wrapped_key,
                   decode(repeat('44', 80), 'hex') AS escrow_sealed_key,
                   decode(repeat('55', 120), 'hex') AS submission
            FROM (
                SELECT i, body_id, created_at, (created_at + interval '8 hours')::date AS filed_on,
                       (current_date - (created_at + interval '8 hours')::date) AS age, kind, r
                FROM (
                    SELECT i,
                           CASE WHEN i <= :big_cases THEN :big ELSE 2 + (i - :big_cases - 1) % (:bodies - 1) END
                               AS body_id,
                           date_trunc('hour', (now() AT TIME ZONE 'UTC') - interval '365 days' * random())
                               AS created_at,
                           CASE WHEN random() < 0.85 THEN 'concern' ELSE 'clarification' END AS kind,
                           random() AS r
                    FROM generate_series(1, :cases) i
                ) g
            ) s
        ) s
        ORDER BY created_at  -- rows lie in the table in the order they were filed, as in production
        """,
        cases=CASES,
        big_cases=BIG_BODY_CASES,
        big=BIG_BODY,
        bodies=bodies,
    )
    # The reviewer of interest handles 2,000 of their body's accepted cases.
    _sql(
        """
        UPDATE cases SET assignee_id = (SELECT id FROM users WHERE username = 'bench.reviewer')
        WHERE id IN (SELECT id FROM cases WHERE body_id = :body AND assignee_id IS NOT NULL ORDER BY id LIMIT :n)
        """,
        body=REVIEWER_BODY,
        n=REVIEWER_CASES,
    )
    db.session.commit()


def seed_holders() -> None:
    """Holder rows as holdings writes them: intake officers hold their body's cases, assignees and
    (for a reviewer) the body's supervisors the cases assigned."""
    box = "decode(repeat('66', 80), 'hex')"
    _sql(
        f"""
        INSERT INTO case_keys (case_id, user_id, sealed_key, reason, case_filed_at)
        SELECT c.id, u.id, {box}, 'intake', c.created_at
        FROM cases c JOIN users u ON u.body_id = c.body_id AND u.role = 'intake'
        ORDER BY c.created_at
        """
    )
    _sql(
        f"""
        INSERT INTO case_keys (case_id, user_id, sealed_key, reason, case_filed_at)
        SELECT id, assignee_id, {box}, 'assigned', created_at FROM cases WHERE assignee_id IS NOT NULL
        ORDER BY created_at
        """
    )
    _sql(
        f"""
        INSERT INTO case_keys (case_id, user_id, sealed_key, reason, case_filed_at)
        SELECT c.id, s.id, {box}, 'supervisor', c.created_at
        FROM cases c JOIN users a ON a.id = c.assignee_id AND a.role = 'reviewer'
        JOIN users s ON s.body_id = a.body_id AND s.role = 'supervisor'
        ORDER BY c.created_at
        ON CONFLICT DO NOTHING
        """
    )
    db.session.commit()


def seed() -> dict[str, int]:
    t = time.perf_counter()
    seed_bodies()
    real = seed_staff()
    seed_cases()
    seed_holders()
    print(f"seeded in {time.perf_counter() - t:.0f} s; VACUUM ANALYZE ...", flush=True)
    t = time.perf_counter()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE in {time.perf_counter() - t:.0f} s")
    return real


def describe() -> None:
    def one(sql: str):
        return db.session.scalar(text(sql))

    size = "SELECT pg_size_pretty(pg_total_relation_size('%s'))"

    print(
        f"{one('SELECT count(*) FROM bodies')} bodies, {one('SELECT count(*) FROM users')} staff, "
        f"{one('SELECT count(*) FROM cases'):,} cases, {one('SELECT count(*) FROM case_keys'):,} holder rows "
        f"(cases {one(size % 'cases')}, holder rows {one(size % 'case_keys')})"
    )
    states = db.session.execute(text("SELECT state, count(*) FROM cases GROUP BY state ORDER BY count(*) DESC")).all()
    print("states: " + ", ".join(f"{s} {n:,}" for s, n in states))
    overdue = one("SELECT count(*) FROM cases WHERE due_on < current_date")
    soon = one("SELECT count(*) FROM cases WHERE due_on BETWEEN current_date AND current_date + 3")
    print(f"deadlines: {overdue:,} overdue, {soon:,} due within 3 days")


def samples_ms(fn, rounds: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def middle_cursor(name: str, user: User, sort: str, size: int) -> tuple[str | None, int]:
    """The cursor of the middle page, reached as a reader would: following next_cursor page by page."""
    total = db.session.scalar(
        db.select(db.func.count()).select_from(queues._queue(name, user, queues.case_state.today()).subquery())
    )
    pages = -(-total // size)
    cursor = None
    for _ in range(pages // 2):
        cursor = _next_cursor(name, user, cursor, size, sort)
    return cursor, pages


def _next_cursor(name: str, user: User, cursor: str | None, size: int, sort: str) -> str | None:
    """What ``page`` hands back as next_cursor, without its counts (same query, same order)."""
    query = queues._filtered(queues._queue(name, user, queues.case_state.today()), queues.QueueFilters())
    rows = queues._rows(query, user, cursor, sort, size + 1)
    return queues.encode_cursor(rows[size - 1], sort) if len(rows) > size else None


class Statements:
    """The statements one call runs, with their time, to explain the slowest."""

    def __init__(self) -> None:
        self.seen: list[tuple[float, str, object]] = []
        self._start = 0.0

    def before(self, conn, cursor, statement, parameters, context, executemany):
        self._start = time.perf_counter()

    def after(self, conn, cursor, statement, parameters, context, executemany):
        self.seen.append(((time.perf_counter() - self._start) * 1000, statement, parameters))


def explain_slowest(fn) -> None:
    log = Statements()
    event.listen(db.engine, "before_cursor_execute", log.before)
    event.listen(db.engine, "after_cursor_execute", log.after)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", log.before)
        event.remove(db.engine, "after_cursor_execute", log.after)
    print("statements of that call (ms): " + ", ".join(f"{ms:.1f}" for ms, _, _ in log.seen))
    ms, statement, parameters = max(log.seen, key=lambda seen: seen[0])
    print(f"EXPLAIN (ANALYZE, BUFFERS) of its slowest ({ms:.1f} ms):\n{statement}\n{parameters}")
    plan = db.session.connection().exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
    for (line,) in plan:
        print("  " + line)


def time_queues(real: dict[str, int], rounds: int, size: int) -> None:
    reviewer = db.session.get(User, real["reviewer"])
    officer = db.session.get(User, real["intake"])
    held = {
        who.username: db.session.scalar(db.select(db.func.count()).where(CaseKey.user_id == who.id))
        for who in (reviewer, officer)
    }
    print(f"{reviewer.username} holds {held[reviewer.username]:,} cases, {officer.username} {held[officer.username]:,}")
    shapes = []
    for who, names in ((reviewer, ("mine", "all")), (officer, ("new", "all"))):
        for name in names:
            for sort in queues.SORTS:
                cursor, pages = middle_cursor(name, who, sort, size)
                shapes.append((f"{who.role} {name}, by {sort}, first page", who, name, sort, None))
                shapes.append((f"{who.role} {name}, by {sort}, page {pages // 2 + 1}/{pages}", who, name, sort, cursor))
    print(f"{'queue page + its five counts, ' + str(rounds) + ' runs':<48}{'median ms':>10}{'p99 ms':>10}")
    slowest = (0.0, None)
    for label, who, name, sort, cursor in shapes:
        call = lambda who=who, name=name, sort=sort, cursor=cursor: queues.page(  # noqa: E731
            name, who, queues.QueueFilters(), cursor, size, sort
        )
        samples = samples_ms(call, rounds)
        med = statistics.median(samples)
        print(f"{label:<48}{med:>10.1f}{p99(samples):>10.1f}", flush=True)
        if med > slowest[0]:
            slowest = (med, (label, call))
    # The counts alone (what every page pays besides its rows).
    for who in (reviewer, officer):
        today = queues.case_state.today()
        counts = lambda who=who, today=today: [  # noqa: E731
            queues._capped_count(queues._filtered(queues._queue(q, who, today), queues.QueueFilters()))
            for q in queues.QUEUES
        ]
        samples = samples_ms(counts, rounds)
        print(f"{who.role + ': the five counts only':<48}{statistics.median(samples):>10.1f}{p99(samples):>10.1f}")
    label, call = slowest[1]
    print(f"\nslowest: {label}")
    explain_slowest(call)


def time_filing(rounds: int) -> None:
    """Filing a case for a body with 5 intake officers: its cost and the sealed boxes it writes."""
    seals = 0
    real_seal = holdings.seal

    def counting_seal(*args, **kwargs):
        nonlocal seals
        seals += 1
        return real_seal(*args, **kwargs)

    holdings.seal = counting_seal
    try:
        samples = []
        boxes = []
        for _ in range(rounds + 1):
            seals = 0
            known = set(db.session.scalars(db.select(Case.id).where(Case.body_id == FILING_BODY)))
            t = time.perf_counter()
            intake.file_case(
                Kind.CONCERN,
                "workload",
                {"subject": "测试", "description": "基准测试"},
                [],
                form_tokens.issue(),
                body_id=FILING_BODY,
            )
            samples.append((time.perf_counter() - t) * 1000)
            (new,) = set(db.session.scalars(db.select(Case.id).where(Case.body_id == FILING_BODY))) - known
            case = db.session.get(Case, new)
            rows = db.session.scalar(db.select(db.func.count()).where(CaseKey.case_id == case.id))
            boxes.append((seals, rows + (case.escrow_sealed_key is not None)))
        samples = samples[1:]
    finally:
        holdings.seal = real_seal
    desk = len(db.session.scalars(accounts.intake_desk(FILING_BODY)).all())
    print(
        f"\nfiling a case for a body with {desk} intake officers (testing Argon2 profile), {rounds} runs: "
        f"median {statistics.median(samples):.1f} ms, p99 {p99(samples):.1f} ms"
    )
    print(f"sealed boxes per filing (seal calls, holder rows + escrow box): {sorted(set(boxes))}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--filings", type=int, default=10)
    parser.add_argument("--reuse", action="store_true", help="keep the rows of an earlier run")
    parser.add_argument(
        "--parallel-workers",
        type=int,
        help="max_parallel_workers_per_gather for the bench's connections (default: the server's setting)",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        raise SystemExit("DATABASE_URL=postgresql+psycopg://... : this bench is about PostgreSQL")
    overrides: dict = {"SQLALCHEMY_DATABASE_URI": url}
    if args.parallel_workers is not None:
        options = f"-c max_parallel_workers_per_gather={args.parallel_workers}"
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, "connect_args": {"options": options}}
    app = create_app(overrides, config_name="testing")
    with app.app_context():
        if args.reuse:
            real = {
                "reviewer": db.session.scalar(db.select(User.id).where(User.username == "bench.reviewer")),
                "intake": db.session.scalar(db.select(User.id).where(User.username == "bench.intake")),
            }
        else:
            existing = MetaData()
            existing.reflect(db.engine)
            existing.drop_all(db.engine)
            upgrade()
            real = seed()
        describe()
        workers = db.session.scalar(text("SHOW max_parallel_workers_per_gather"))
        print(f"max_parallel_workers_per_gather = {workers}")
        time_queues(real, args.rounds, app.config["QUEUE_PAGE_SIZE"])
        time_filing(args.filings)
        db.session.rollback()
        db.engine.dispose()


if __name__ == "__main__":
    main()
