"""Queue order at any scale: every held case once, in the queue's order, whichever plan reads it.

A deadline-ordered queue is read two ways (queues.FEW_HELD): a viewer holding few cases has
their holder rows sorted, one holding many walks the deadline index. Both must page through
exactly the cases the viewer holds, soonest deadline first, those without one last, and none
of the cases they do not hold.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from portal.extensions import db
from portal.models import Case, CaseKey
from portal.services import accounts, queues
from tests.factories import gen_user


def _seed(viewer_id: int, other_id: int, n: int = 37) -> list[Case]:
    """Cases with and without a deadline, many sharing one, filed in random order; the viewer holds most."""
    rng = random.Random(9)
    body_id = accounts.escrow().body_id
    start = dt.datetime(2026, 1, 1)
    held = []
    for i in range(n):
        created = start + dt.timedelta(hours=rng.randrange(5000))
        due = None if i % 4 == 0 else dt.date(2026, 6, 1) + dt.timedelta(days=rng.randrange(4))
        case = Case(
            id=f"{rng.getrandbits(128):032x}",
            kind="concern",
            state="submitted",
            category="workload",
            created_at=created,
            updated_at=created,
            receipt_lookup=rng.getrandbits(256).to_bytes(32, "big"),
            body_id=body_id,
            submitter_wrapped_key=b"k",
            escrow_sealed_key=b"k",
            submission=b"c",
            accept_due=due,
            due_on=due,
        )
        db.session.add(case)
        holder = viewer_id if i % 5 else other_id
        db.session.add(
            CaseKey(case_id=case.id, user_id=holder, sealed_key=b"s", reason="intake", case_filed_at=created)
        )
        if holder == viewer_id:
            held.append(case)
    db.session.commit()
    return held


def _walk(name: str, viewer, sort: str) -> list[str]:
    seen, cursor = [], None
    while True:
        page = queues.page(name, viewer, queues.QueueFilters(), cursor, 4, sort)
        seen += [case.id for case in page.cases]
        cursor = page.next_cursor
        if cursor is None:
            return seen


@pytest.mark.parametrize("few_held", [10_000, 0], ids=["holder rows sorted", "deadline index walked"])
def test_the_deadline_order_pages_through_every_held_case_once_soonest_first(app, monkeypatch, few_held):
    monkeypatch.setattr(queues, "FEW_HELD", few_held)
    with app.app_context():
        user = gen_user("queue.viewer", "intake")
        other = gen_user("queue.other", "intake")
        held = _seed(user.id, other.id)
        expected = [c.id for c in sorted(held, key=lambda c: (c.due_on is None, c.due_on or dt.date.min, c.id))]
        assert _walk("all", user, "deadline") == expected
        assert _walk("new", user, "deadline") == expected
        by_filed = [c.id for c in sorted(held, key=lambda c: (c.created_at, c.id), reverse=True)]
        assert _walk("all", user, "filed") == by_filed
