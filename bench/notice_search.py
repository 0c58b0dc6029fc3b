"""Public notice search: the gram index against the plain scan it replaced, per kind of term.

    .venv/bin/python -m bench.notice_search --notices 20000            # a temp SQLite file
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/zm_bench .venv/bin/python -m bench.notice_search

Seeds notices as bench.notices_load does (the PostgreSQL run rebuilds the schema of the database
it is given), then times `notices_public.list_page` (first page, 20 results) for each term with the
gram index and without it (the same query less the gram conditions: the search before). Printed,
never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from bench.notices_load import seed
from portal import create_app
from portal.extensions import db
from portal.services import notices_public
from portal.services.notices_public import NoticeFilters

TERMS = {
    "2 characters, no match (乙丙)": "乙丙",
    "2 characters, rare (欧阳)": "欧阳",
    "2 characters, a name (王伟)": "王伟",
    "1 character, common (王)": "王",
    "1 character, no match (乙)": "乙",
    "3+ characters, common (澄清公告)": "澄清公告",
    "3+ characters, no match (不存在的词)": "不存在的词",
}


def _time(app, term: str, runs: int) -> tuple[float, int]:
    times, found = [], 0
    with app.app_context():
        for _ in range(runs):
            started = time.perf_counter()
            page = notices_public.list_page(NoticeFilters(q=term), 20)
            times.append(time.perf_counter() - started)
            found = len(page.items)
            db.session.rollback()
    return statistics.median(times) * 1000, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or "sqlite:///" + os.path.join(tempfile.mkdtemp(), "search.sqlite3")
    seed(url, args.notices)
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "NOTICES_SEARCH_TIMEOUT_MS": 0, "NOTICES_VERSION_SECONDS": 0},
        config_name="testing",
    )
    with app.app_context():
        grams = db.session.scalar(db.text("SELECT count(*) FROM notice_grams"))
    print(
        f"{args.notices} notices ({grams} gram rows) on {url.split(':', 1)[0]}; median of {args.runs} runs, first page"
    )
    indexed = notices_public._with_grams  # noqa: SLF001
    for label, term in TERMS.items():
        with_index, found = _time(app, term, args.runs)
        notices_public._with_grams = lambda _term, _entity: []  # noqa: SLF001 - the search before the index
        try:
            plain, found_plain = _time(app, term, args.runs)
        finally:
            notices_public._with_grams = indexed  # noqa: SLF001
        same = "same" if found == found_plain else f"DIFFERENT ({found_plain})"
        print(f"  {label:<34} grams {with_index:8.1f} ms   scan {plain:8.1f} ms   {found} found, {same}")
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
