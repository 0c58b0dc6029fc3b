"""Reviewer queue pages over many cases: first page, a deep page (by cursor) and the counts.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test .venv/bin/python -m bench.queue_pages --cases 1000000
    .venv/bin/python -m bench.queue_pages --cases 200000          # embedded default (a temp SQLite file)

Seeds plain-metadata rows with dummy ciphertext (queues never decrypt), then times
`services.queues.page` as the case list would call it. Prints figures; asserts nothing.
PostgreSQL runs drop and rebuild the schema of the database they are given.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import time
import uuid

from flask_migrate import upgrade
from sqlalchemy import MetaData, insert

from portal import create_app
from portal.domain.cases import Category, State
from portal.extensions import db
from portal.models import Case, User
from portal.services import accounts, queues

STATES = [State.SUBMITTED, State.ACCEPTED, State.IN_PROGRESS, State.ANSWERED, State.CLOSED]
ANSWERED = (State.ANSWERED, State.CLOSED)


def seed(n: int, reviewer_id: int, colleague_id: int) -> None:
    """Cases as the engine leaves them: once accepted, a case has an assignee and an answer deadline."""
    rng = random.Random(7)
    start = dt.datetime(2020, 1, 1)
    batch = []
    for i in range(n):
        created = start + dt.timedelta(hours=i // 3)
        state = rng.choice(STATES)
        batch.append(
            {
                "id": uuid.UUID(int=rng.getrandbits(128)).hex,
                "kind": "concern",
                "state": state.value,
                "category": rng.choice(list(Category)).value,
                "created_at": created,
                "updated_at": created,
                "receipt_lookup": rng.getrandbits(256).to_bytes(32, "big"),
                "submitter_wrapped_key": b"k",
                "escrow_sealed_key": b"k",
                "submission": b"c",
                "objected": False,
                "flag": "none",
                "referred": False,
                "assignee_id": reviewer_id
                if rng.random() < 0.05
                else (None if state is State.SUBMITTED else colleague_id),
                "answer_due": None if state is State.SUBMITTED else (created + dt.timedelta(days=90)).date(),
                "answered_on": (created + dt.timedelta(days=30)).date() if state in ANSWERED else None,
                "due_on": (created + dt.timedelta(days=10)).date() if state is not State.CLOSED else None,
            }
        )
        if len(batch) == 10_000:
            db.session.execute(insert(Case), batch)
            db.session.commit()
            batch.clear()
    if batch:
        db.session.execute(insert(Case), batch)
        db.session.commit()


def timed(fn, rounds: int = 20) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples), max(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--reuse", action="store_true", help="keep the cases of an earlier run")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{tmp}/queues.sqlite3"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url}, config_name="testing")
        with app.app_context():
            if not args.reuse:
                existing = MetaData()
                existing.reflect(db.engine)
                existing.drop_all(db.engine)
                upgrade()
                accounts.create_user("bench.rev", "reviewer", "bench password 123", confirmed=True)
                accounts.create_user("bench.colleague", "reviewer", "bench password 123", confirmed=True)
                ids = list(db.session.scalars(db.select(User.id).order_by(User.id)))
                t = time.perf_counter()
                seed(args.cases, ids[0], ids[1])
                print(f"{url.split(':')[0]}: seeded {args.cases:,} cases in {time.perf_counter() - t:.0f} s")
            user = db.session.scalar(db.select(User).order_by(User.id))
            total = db.session.scalar(db.select(db.func.count()).select_from(Case))
            print(f"{url.split(':')[0]}: {total:,} cases")
            size = app.config["QUEUE_PAGE_SIZE"]
            deep = db.session.scalar(
                db.select(Case).order_by(Case.created_at.desc(), Case.id.desc()).offset(args.cases // 2).limit(1)
            )
            cursor = queues.encode_cursor(deep)
            cases = {
                "all, first page": ("all", queues.QueueFilters(), None),
                "all, page at the middle (cursor)": ("all", queues.QueueFilters(), cursor),
                "new, first page": ("new", queues.QueueFilters(), None),
                "mine, first page": ("mine", queues.QueueFilters(), None),
                "overdue, first page": ("overdue", queues.QueueFilters(), None),
                "all, category filter, middle": ("all", queues.QueueFilters(category="workload"), cursor),
            }
            print(f"{'query (page + the five counts)':<40}{'median ms':>10}{'max ms':>10}")
            for label, (name, filters, after) in cases.items():
                med, worst = timed(
                    lambda name=name, filters=filters, after=after: queues.page(name, user, filters, after, size)
                )
                print(f"{label:<40}{med:>10.1f}{worst:>10.1f}")
            only_page = lambda: db.session.scalars(  # noqa: E731
                queues._filtered(queues._queue("all", user, dt.date.today()), queues.QueueFilters())
                .where(Case.created_at < deep.created_at)
                .order_by(Case.created_at.desc(), Case.id.desc())
                .limit(size + 1)
            ).all()
            med, worst = timed(only_page)
            print(f"{'page rows only, middle (no counts)':<40}{med:>10.1f}{worst:>10.1f}")
            db.engine.dispose()


if __name__ == "__main__":
    main()
