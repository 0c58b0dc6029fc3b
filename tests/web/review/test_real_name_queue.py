"""Real-name concerns first for the intake desk (实名反映, 优先办理; issue 10): the "new" queue says how
many wait and offers a 实名 filter, which pages by keyset like every other filter and walks the
holder index rather than the cases table (checked with EXPLAIN QUERY PLAN on SQLite)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from portal.extensions import db
from portal.models import Case


def _ids(app) -> tuple[set[str], set[str]]:
    with app.app_context():
        cases = list(db.session.scalars(db.select(Case)))
        return {c.id[:8] for c in cases if not c.real_name}, {c.id[:8] for c in cases if c.real_name}


def _listed(page: str) -> set[str]:
    return set(re.findall(r'<td class="id"><a href="/review/cases/[^"]+">([0-9a-f]{8})</a>', page))


def test_the_new_queue_puts_real_name_concerns_forward_and_filters_them(app, cadre, intake):
    for i in range(2):
        cadre.file_concern(subject=f"Anonymous {i}")
    for i in range(3):
        cadre.file_concern(
            subject=f"Named {i}", identity="real_name", real_name=f"张{i}", unit_name="某镇", contact="x"
        )
    anonymous, named = _ids(app)
    assert len(anonymous) == 2 and len(named) == 3

    new = intake.get("/review?queue=new").get_data(as_text=True)
    assert "实名反映待受理3件，优先办理。" in new
    assert 'href="/review?queue=new&amp;real_name=1"' in new
    assert _listed(new) == anonymous | named

    only = intake.get("/review?queue=new&real_name=1").get_data(as_text=True)
    assert _listed(only) == named
    assert 'name="real_name" value="1" checked' in only
    assert "优先办理。" not in only  # the banner leads to this list; it does not repeat on it

    # Any other value is no filter at all.
    assert _listed(intake.get("/review?queue=new&real_name=yes").get_data(as_text=True)) == anonymous | named

    # The filter pages by keyset and keeps itself on the next page.
    app.config["QUEUE_PAGE_SIZE"] = 2
    first = intake.get("/review?queue=new&real_name=1").get_data(as_text=True)
    more = re.search(r'href="(/review\?queue=new&amp;after=[^"]+)">', first)
    assert more is not None and "real_name=1" in more.group(1)
    second = intake.get(more.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert _listed(first) | _listed(second) == named and not _listed(first) & _listed(second)


def test_the_real_name_queue_walks_the_holder_index(app, cadre, intake):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; bench/queue_scale.py measures PostgreSQL")
    cadre.file_concern(identity="real_name", real_name="张三", unit_name="某镇", contact="x")
    statements: list[tuple[str, object]] = []
    with app.app_context():
        engine = db.engine

    def seen(conn, cursor, statement, parameters, context, executemany):
        if "FROM cases JOIN case_keys" in statement and "real_name" in statement:
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert intake.get("/review?queue=new&real_name=1").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert statements
    with app.app_context():
        for statement, parameters in statements:
            plan = " | ".join(
                row[-1]
                for row in db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            )
            assert "ix_case_keys_holder_filed" in plan, plan
            assert "SCAN cases" not in plan and "TEMP B-TREE" not in plan, plan
