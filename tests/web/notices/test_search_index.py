"""Search through the gram index: the same results as a plain text scan, kept in step, bounded."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select, text

from portal.domain.notice_text import grams
from portal.extensions import db
from portal.models import Notice, NoticeGram
from portal.services import notices_public
from tests.conftest import make_app
from tests.web.notices.conftest import NoticeDesk, hours_ago
from tests.web.notices.test_list import listed

PEOPLE = ["王伟", "王建国", "李伟", "张伟明", "欧阳娜", "王某", "Li Wei"]
TERMS = [
    "王",  # one character, common
    "伟",
    "娜",  # one character, rare
    "王伟",  # two characters
    "李伟",
    "伟明",
    "阳娜",
    "欧阳娜",  # three and more
    "城关镇副镇长",
    "王伟 副镇长",  # two terms, both must match
    "li",
    "wei",
    "li wei",
    "公告",
    "更正后",
    "撤回",
    "不存在的词",
    "王王",
    "%",
    "_",
]


def reference(app, term_text: str) -> list[int]:
    """What the search has always returned: every term a substring of the search text, newest first."""
    terms = term_text.lower().split()
    with app.app_context():
        rows = db.session.execute(
            select(Notice.id, Notice.search_text).order_by(Notice.published_at.desc(), Notice.id.desc())
        ).all()
        db.session.rollback()
    return [notice_id for notice_id, searched in rows if all(t in searched for t in terms)]


@pytest.fixture
def published(app, desk) -> list[int]:
    app.config["NOTICES_PAGE_SIZE"] = 100
    ids = []
    for i, person in enumerate(PEOPLE * 3):
        ids.append(
            desk.publish(
                published_at=hours_ago(100 - i),
                person=person,
                title=f"关于对城关镇副镇长{person}有关问题的澄清公告{i}",
                unit="平安县城关镇人民政府" if i % 2 else "欧阳乡人民政府",
            )
        )
    desk.correct(ids[0], reason="标题有误", title="更正后的标题")
    desk.correct(ids[3], reason="单位有误", unit="李伟乡人民政府")
    desk.withdraw(ids[1], reason="当事人撤回同意")  # 王建国: no longer found by name
    desk.withdraw(ids[7])
    return ids


@pytest.mark.parametrize("term", TERMS)
def test_results_are_those_of_a_plain_scan_for_every_length_of_term(app, client, published, term):
    expected = reference(app, term)
    assert listed(client, f"/notices?q={term}") == expected


def test_the_search_by_grams_and_the_scan_agree_on_postgresqls_far_path_too(app, client, published, monkeypatch):
    monkeypatch.setattr(notices_public, "SEARCH_WINDOW", 1)
    monkeypatch.setattr(notices_public, "_on_postgresql", lambda: True)
    for term in TERMS:
        assert listed(client, f"/notices?q={term}") == reference(app, term), term


def test_the_index_holds_exactly_the_grams_of_each_search_text(app, published):
    with app.app_context():
        for notice in db.session.scalars(select(Notice)):
            stored = set(db.session.scalars(select(NoticeGram.gram).where(NoticeGram.notice_id == notice.id)))
            assert stored == grams(notice.search_text), notice.id
        withdrawn = db.session.get(Notice, published[1])
        held = set(db.session.scalars(select(NoticeGram.gram).where(NoticeGram.notice_id == withdrawn.id)))
        assert "建国" not in held and "王" not in held  # the stub's number only


def test_a_withdrawn_notice_is_not_found_by_what_it_said(client, published):
    assert published[1] not in listed(client, "/notices?q=王建国")
    assert published[1] not in listed(client, "/notices?q=建")


def test_searches_are_rate_limited_and_the_list_is_not(app, client, desk):
    desk.publish()
    app.config["LIMIT_NOTICE_SEARCH"] = "3 per minute"
    for _ in range(3):
        assert client.get("/notices?q=王").status_code == 200
    assert client.get("/notices?q=王").status_code == 429
    assert client.get("/notices?q=伟").status_code == 429
    for _ in range(5):
        assert client.get("/notices").status_code == 200
        assert client.get("/notices?q=+").status_code == 200  # blank: not a search


def test_another_workers_publication_is_seen_once_the_remembered_version_expires(
    app, client, desk, schema, monkeypatch
):
    now = [1000.0]
    monkeypatch.setattr(notices_public, "clock", lambda: now[0])
    app.config["NOTICES_VERSION_SECONDS"] = 1.0
    first = desk.publish(title="第一份公告")
    assert listed(client) == [first]
    other_worker = make_app(schema)  # its own process memory, the same database
    second = NoticeDesk(other_worker).publish(title="第二份公告")
    now[0] += 0.5
    assert listed(client) == [first]  # still within the second this worker trusts its version
    now[0] += 0.6
    assert listed(client) == [second, first]
    with other_worker.app_context():
        db.engine.dispose()


def test_this_workers_own_publication_shows_at_once(app, client, desk, monkeypatch):
    monkeypatch.setattr(notices_public, "clock", lambda: 1000.0)  # the clock stands still
    first = desk.publish(title="第一份公告")
    assert listed(client) == [first]
    second = desk.publish(title="第二份公告")
    assert listed(client) == [second, first]


def test_a_page_served_from_memory_takes_no_database_connection(app, client, desk, monkeypatch):
    monkeypatch.setattr(notices_public, "clock", lambda: 1000.0)
    notice_id = desk.publish()
    paths = ["/notices", f"/notices/{notice_id}", "/notices/feed.atom", "/notices?q=王建国"]
    first = {path: client.get(path).data for path in paths}
    checkouts = []

    def count(*_args) -> None:
        checkouts.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "checkout", count)
    try:
        again = {path: client.get(path).data for path in paths}
    finally:
        event.remove(engine, "checkout", count)
    assert again == first
    assert checkouts == []


def test_a_search_cancelled_by_the_statement_timeout_gets_its_page_and_the_connection_is_reset(
    app, client, desk, monkeypatch
):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the statement timeout is PostgreSQL's")
        default = db.session.execute(text("SHOW statement_timeout")).scalar()
        db.session.rollback()
    desk.publish()
    app.config["NOTICES_SEARCH_TIMEOUT_MS"] = 50
    real = notices_public._list_page

    def slow(*args, **kwargs):
        db.session.execute(text("SELECT pg_sleep(2)"))  # a search that would run on and on
        return real(*args, **kwargs)

    monkeypatch.setattr(notices_public, "_list_page", slow)
    response = client.get("/notices?q=王")
    assert response.status_code == 503
    assert "搜索用时过长" in response.get_data(as_text=True)
    monkeypatch.setattr(notices_public, "_list_page", real)
    assert client.get("/notices?q=王建国").status_code == 200
    with app.app_context():
        # Every pooled connection is back to the server's timeout.
        for _ in range(3):
            with db.engine.connect() as conn:
                assert conn.execute(text("SHOW statement_timeout")).scalar() == default
