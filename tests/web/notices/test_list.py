"""The public list: newest first, paged by cursor, searchable by name, unit and words, filtered by year and issuer."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from tests.web.notices.conftest import hours_ago

LINK = re.compile(r'<a href="/notices/(\d+)">')


def listed(client, path: str = "/notices", status: int = 200) -> list[int]:
    response = client.get(path)
    assert response.status_code == status, response.status_code
    return [int(i) for i in LINK.findall(response.get_data(as_text=True))]


def link(page: str, rel: str) -> str | None:
    match = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
    return html.unescape(match.group(1)) if match else None


def test_newest_first_by_publication_then_id(client, desk):
    old = desk.publish(published_at=hours_ago(30), title="甲")
    newest = desk.publish(published_at=hours_ago(1), title="乙")
    tie_first = desk.publish(published_at=hours_ago(5), title="丙")
    tie_second = desk.publish(published_at=hours_ago(5), title="丁")
    assert listed(client) == [newest, tie_second, tie_first, old]


def test_pages_go_older_and_back_without_gaps_or_repeats(app, client, desk):
    app.config["NOTICES_PAGE_SIZE"] = 3
    # Ties in published_at straddle page boundaries on purpose.
    ids = [desk.publish(published_at=hours_ago(i // 2), title=f"公告{i}") for i in range(8)]
    expected = sorted(ids, key=lambda i: (hours_ago(ids.index(i) // 2), i), reverse=True)

    first = client.get("/notices").get_data(as_text=True)
    assert link(first, "prev") is None and "?older=" in link(first, "next")
    second = client.get(link(first, "next")).get_data(as_text=True)
    third = client.get(link(second, "next")).get_data(as_text=True)
    pages = [[int(i) for i in LINK.findall(p)] for p in (first, second, third)]
    assert [len(p) for p in pages] == [3, 3, 2]
    assert sum(pages, []) == expected
    assert link(third, "next") is None

    back = client.get(link(third, "prev")).get_data(as_text=True)
    assert [int(i) for i in LINK.findall(back)] == pages[1]
    back_again = client.get(link(back, "prev")).get_data(as_text=True)
    assert [int(i) for i in LINK.findall(back_again)] == pages[0]
    assert link(back_again, "prev") is None
    assert 'href="/notices">' in third  # a way back to the newest


def test_withdrawn_notices_stay_listed_with_a_badge(client, desk):
    kept = desk.publish(title="保留的公告")
    gone = desk.publish(title="撤回的公告")
    desk.withdraw(gone)
    page = client.get("/notices").get_data(as_text=True)
    assert listed(client) == [gone, kept]
    item = page.split(f'href="/notices/{gone}"')[1].split("</li>")[0]
    assert 'class="badge"' in item
    assert 'class="badge"' not in page.split(f'href="/notices/{kept}"')[1].split("</li>")[0]


def test_each_item_shows_title_person_unit_issuer_and_date(client, desk):
    desk.publish()
    page = client.get("/notices").get_data(as_text=True)
    for text in (
        "关于对城关镇副镇长王建国有关问题核查情况的澄清公告",
        "王建国",
        "平安县城关镇人民政府",
        "平安县纪委监委",
        "2024-03-01",
    ):
        assert text in page
    assert "收受施工方礼品礼金" not in page  # the list stays small: no allegation, no body


@pytest.mark.parametrize("query", ["王建国", "城关镇", "礼品", "失实", "平纪澄", "Road"])
def test_search_by_name_unit_and_words(client, desk, query):
    hit = desk.publish(body_html="<p>经核查反映问题失实。Road works were accepted lawfully.</p>")
    desk.publish(
        person="李某",
        unit="长宁县河口镇人民政府",
        number="长纪澄〔2023〕2号",
        title="关于李某的澄清公告",
        allegation="反映其违规报销差旅费。",
        body_html="<p>经查属实部分已另行处理。</p>",
    )
    assert listed(client, f"/notices?q={query}") == [hit]


def test_every_word_of_a_search_must_match(client, desk):
    both = desk.publish(person="王建国", unit="平安县城关镇人民政府")
    desk.publish(person="王建国", unit="长宁县河口镇人民政府", title="关于王建国同志的澄清公告")
    assert listed(client, "/notices?q=王建国 城关镇") == [both]


def test_search_is_case_insensitive(client, desk):
    hit = desk.publish(body_html="<p>The VILLAGE road.</p>")
    assert listed(client, "/notices?q=village") == [hit]
    assert listed(client, "/notices?q=Village") == [hit]


def test_percent_and_underscore_are_searched_literally(client, desk):
    percent = desk.publish(body_html="<p>工程款100%结清。</p>")
    underscore = desk.publish(body_html="<p>文件名 a_b 已归档。</p>")
    desk.publish(body_html="<p>ab 与 100 无关。</p>")
    assert listed(client, "/notices?q=%25") == [percent]
    assert listed(client, "/notices?q=100%25") == [percent]
    assert listed(client, "/notices?q=a_b") == [underscore]
    assert listed(client, "/notices?q=_") == [underscore]
    assert listed(client, "/notices?q=%5C") == []  # a backslash is a character, not an escape


def test_a_script_in_the_search_comes_back_escaped(client, desk):
    desk.publish()
    response = client.get("/notices", query_string={"q": '"><script>alert(1)</script>'})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>" not in page
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page


def test_filter_by_year_on_the_notice(client, desk):
    y2023 = desk.publish(issued_on=dt.date(2023, 12, 31))
    y2024 = desk.publish(issued_on=dt.date(2024, 1, 1))
    desk.publish(issued_on=dt.date(2025, 6, 1))
    assert listed(client, "/notices?year=2024") == [y2024]
    assert listed(client, "/notices?year=2023") == [y2023]
    page = client.get("/notices").get_data(as_text=True)
    assert re.findall(r"<option>(\d{4})</option>", page) == ["2025", "2024", "2023"]


def test_year_filter_pages_too(app, client, desk):
    app.config["NOTICES_PAGE_SIZE"] = 2
    ids = [desk.publish(issued_on=dt.date(2024, 1, 1 + i), published_at=hours_ago(i)) for i in range(5)]
    desk.publish(issued_on=dt.date(2023, 1, 1))
    first = client.get("/notices?year=2024").get_data(as_text=True)
    older = link(first, "next")
    assert "year=2024" in older
    second = client.get(older).get_data(as_text=True)
    third = client.get(link(second, "next")).get_data(as_text=True)
    assert sum(([int(i) for i in LINK.findall(p)] for p in (first, second, third)), []) == ids


def test_filter_by_issuer_exactly_and_offer_every_issuer(client, desk):
    county = desk.publish(issuer="平安县纪委监委")
    city = desk.publish(issuer="平安市纪委监委")
    desk.publish(issuer="平安县纪委监委")
    assert listed(client, "/notices?issuer=平安市纪委监委") == [city]
    assert county in listed(client, "/notices?issuer=平安县纪委监委")
    assert listed(client, "/notices?issuer=平安") == []  # exact, not a prefix
    page = client.get("/notices?issuer=平安市纪委监委").get_data(as_text=True)
    select = page.split('name="issuer"')[1].split("</select>")[0]
    assert re.findall(r"<option(?: selected)?>([^<]+)</option>", select) == sorted(["平安县纪委监委", "平安市纪委监委"])
    assert "<option selected>平安市纪委监委</option>" in select


def test_filters_combine_and_stay_in_the_page_links(app, client, desk):
    app.config["NOTICES_PAGE_SIZE"] = 1
    wanted = [desk.publish(issuer="甲纪委", issued_on=dt.date(2024, 5, 1), published_at=hours_ago(i)) for i in range(2)]
    desk.publish(issuer="乙纪委", issued_on=dt.date(2024, 5, 1))
    desk.publish(issuer="甲纪委", issued_on=dt.date(2022, 5, 1))
    first = client.get("/notices?q=王建国&year=2024&issuer=甲纪委").get_data(as_text=True)
    older = link(first, "next")
    assert "q=" in older and "year=2024" in older and "issuer=" in older
    assert [int(i) for i in LINK.findall(first)] + listed(client, older) == wanted


@pytest.mark.parametrize(
    "query",
    [
        "older=nonsense",
        "older=20241301000000-1",
        "newer=1-2",
        "year=twenty",
        "year=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%94",
        "year=9999",
        "year=0000",
        "older=20991231230000-2147483648",
        "newer=20000101000000-99999999999",
    ],
)
def test_malformed_addresses_get_a_clear_error(client, desk, query):
    desk.publish()
    response = client.get(f"/notices?{query}")
    assert response.status_code == 400
    assert "<h1>" in response.get_data(as_text=True)


def test_empty_states(client, desk):
    assert listed(client) == []
    assert 'class="box"' in client.get("/notices").get_data(as_text=True)
    desk.publish()
    assert listed(client, "/notices?q=不存在的词") == []


@pytest.mark.parametrize(
    "query", ["q=王建国%0b", "older=20991231230000-2147483647", "newer=20000101000000-2147483647", "q=" + "王" * 500]
)
def test_odd_but_harmless_input_is_answered(client, desk, query):
    notice_id = desk.publish()
    response = client.get(f"/notices?{query}")
    assert response.status_code == 200
    if query == "q=王建国%0b" or query.startswith("older="):
        assert notice_id in [int(i) for i in LINK.findall(response.get_data(as_text=True))]


@pytest.mark.parametrize("query", ["q=%00", "q=%00王建国%0b", "issuer=%00"])
def test_nul_in_a_search_is_a_clear_400(client, desk, query):
    """NUL is refused for every request before any view reads it (PostgreSQL cannot hold it)."""
    desk.publish()
    response = client.get(f"/notices?{query}")
    assert response.status_code == 400
    assert 'class="box warn"' in response.get_data(as_text=True)


@pytest.mark.parametrize("window", [1, 3, 1000])
def test_search_pages_are_the_same_whether_matches_are_near_or_far(app, client, desk, monkeypatch, window):
    """A search first looks at the next few notices only; sparse or dense, the pages must not change."""
    from portal.services import notices_public

    monkeypatch.setattr(notices_public, "SEARCH_WINDOW", window)
    monkeypatch.setattr(notices_public, "_on_postgresql", lambda: True)  # the window is PostgreSQL's plan
    app.config["NOTICES_PAGE_SIZE"] = 2
    matching = []
    for i in range(14):
        sparse = i % 4 == 0 or i > 10  # far apart at first, then close together
        notice_id = desk.publish(published_at=hours_ago(20 - i), person="赵某" if sparse else "钱某", title=f"公告{i}")
        if sparse:
            matching.append(notice_id)
    seen, path = [], "/notices?q=赵某"
    while path:
        page = client.get(path).get_data(as_text=True)
        seen += [int(i) for i in LINK.findall(page)]
        path = link(page, "next")
    assert seen == matching[::-1]
    # And back towards the newest from the last page.
    walked_back = [int(i) for i in LINK.findall(page)]
    while path := link(page, "prev"):
        page = client.get(path).get_data(as_text=True)
        walked_back = [int(i) for i in LINK.findall(page)] + walked_back
    assert walked_back == seen
