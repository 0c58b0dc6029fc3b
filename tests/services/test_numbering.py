"""Document numbers: a yearly sequence per body and kind that never repeats and never skips,
serially on any database and under concurrent issuing (threads and processes) on PostgreSQL."""

from __future__ import annotations

import multiprocessing
import re
import threading

import pytest

from portal.domain.documents import DocumentKind
from portal.extensions import db
from portal.models import Document, DocumentSequence
from portal.services import bodies, case_state, documents, form_tokens, numbering
from tests.conftest import make_app
from tests.factories import gen_case

N = 10  # with the rolled-back ones, within the connection pool (5 + 10 overflow)


def _n(number: str) -> int:
    found = re.fullmatch(r"测纪(\D+)〔(\d{4})〕(\d+)号", number)
    assert found, number
    assert int(found.group(2)) == case_state.today().year
    return int(found.group(3))


def test_numbers_count_per_body_and_kind_and_a_rolled_back_one_is_not_skipped(app):
    with app.app_context():
        body = bodies.default().id
        first = numbering.allocate(body, DocumentKind.ACCEPTANCE)
        db.session.commit()
        assert first == f"测纪受〔{case_state.today().year}〕1号"
        assert _n(numbering.allocate(body, DocumentKind.ACCEPTANCE)) == 2
        db.session.rollback()  # an issue that failed after drawing its number
        assert _n(numbering.allocate(body, DocumentKind.ACCEPTANCE)) == 2
        assert _n(numbering.allocate(body, DocumentKind.REPLY)) == 1  # each kind its own sequence
        db.session.commit()
        other = bodies.create("另一县纪委监委", "另纪", "commission", "county", ("general",))
        assert numbering.allocate(other, DocumentKind.ACCEPTANCE).startswith("另纪受〔")
        assert numbering.allocate(other, DocumentKind.ACCEPTANCE).endswith("〕2号")
        db.session.commit()


def _skip_unless_postgresql() -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one transaction at a time: nothing to race")


def _issue_one(app, user_id: int, key: bytes, case_id: str, start: threading.Barrier, out: list) -> None:
    from portal.models import User

    with app.app_context():
        user, token = db.session.get(User, user_id), form_tokens.issue()
        start.wait(30)
        out.append(documents.issue(user, key, case_id, "acceptance", "反映人", "你反映的问题已受理。", token))


def _rolled_back(app, start: threading.Barrier) -> None:
    with app.app_context():
        body = bodies.default().id
        start.wait(30)
        numbering.allocate(body, DocumentKind.ACCEPTANCE)
        db.session.rollback()


def test_concurrent_issues_in_threads_number_exactly_one_to_n(app):
    with app.app_context():
        _skip_unless_postgresql()
        made = gen_case("concern", "accepted")
        worker = made.reviewer
    rollbacks = 3
    start = threading.Barrier(N + rollbacks)
    issued: list[str] = []
    threads = [
        threading.Thread(target=_issue_one, args=(app, worker.user_id, worker.private_key, made.case_id, start, issued))
        for _ in range(N)
    ] + [threading.Thread(target=_rolled_back, args=(app, start)) for _ in range(rollbacks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(issued) == N
    with app.app_context():
        numbers = list(db.session.scalars(db.select(Document.number).where(Document.case_id == made.case_id)))
        assert sorted(_n(n) for n in numbers) == list(range(1, N + 1))
        last = db.session.scalar(db.select(DocumentSequence.last).where(DocumentSequence.kind == "acceptance"))
        assert last == N


def _issue_in_process(url: str, user_id: int, key: bytes, case_id: str, start, out) -> None:
    """A separate process, its own app and connection pool, as a second gunicorn worker would be."""
    from portal.models import User

    app = make_app(url)
    with app.app_context():
        user, token = db.session.get(User, user_id), form_tokens.issue()
        start.wait(120)
        out.put(documents.issue(user, key, case_id, "acceptance", "反映人", "你反映的问题已受理。", token))
        db.engine.dispose()


def test_concurrent_issues_in_processes_number_exactly_one_to_n(app, schema):
    with app.app_context():
        _skip_unless_postgresql()
        made = gen_case("concern", "accepted")
        worker = made.reviewer
    processes = 6
    context = multiprocessing.get_context("spawn")
    start, out = context.Barrier(processes), context.Queue()
    workers = [
        context.Process(
            target=_issue_in_process, args=(schema, worker.user_id, worker.private_key, made.case_id, start, out)
        )
        for _ in range(processes)
    ]
    for p in workers:
        p.start()
    ids = [out.get(timeout=180) for _ in range(processes)]
    for p in workers:
        p.join(60)
        assert p.exitcode == 0
    with app.app_context():
        numbers = list(db.session.scalars(db.select(Document.number).where(Document.id.in_(ids))))
        assert sorted(_n(n) for n in numbers) == list(range(1, processes + 1))
