"""One notice: its text as published, its public history, and a withdrawn notice that keeps its page."""

from __future__ import annotations

import datetime as dt
import html
import re


def page_of(client, notice_id: int, status: int = 200) -> str:
    response = client.get(f"/notices/{notice_id}")
    assert response.status_code == status
    return response.get_data(as_text=True)


def history(page: str) -> list[str]:
    section = page.split('<section class="history">')[1].split("</section>")[0]
    return re.findall(r'<li id="rev-\d+"><strong>([^<]+)</strong>', section)


def test_the_notice_as_published(client, desk):
    notice_id = desk.publish()
    page = page_of(client, notice_id)
    for text in (
        "平纪澄〔2024〕7号",
        "<h1>关于对城关镇副镇长王建国有关问题核查情况的澄清公告</h1>",
        "王建国",
        "平安县城关镇人民政府",
        "副镇长",
        "反映其在村道硬化工程验收中收受施工方礼品礼金。",
        "<p>经核查，<strong>反映问题失实</strong>。</p><p>现予以澄清正名。</p>",
        "平安县纪委监委",
        "2024年3月1日",
    ):
        assert text in page, text
    assert len(history(page)) == 1
    assert "withdrawn" not in page.split('<main id="main"')[1].split("<h1>")[0]


def test_an_unnamed_cadre_is_not_named(client, desk):
    page = page_of(client, desk.publish(person="", title="关于某镇一名干部的澄清公告"))
    assert "<dt>" in page and "王建国" not in page


def test_unknown_notices_are_404(client, desk):
    desk.publish()
    page_of(client, 999, status=404)
    page_of(client, 2**40, status=404)  # beyond the integer column: still just unknown
    assert client.get("/notices/abc").status_code == 404


def test_a_correction_shows_each_change_before_and_after_with_the_reason(client, desk):
    notice_id = desk.publish()
    desk.correct(
        notice_id,
        reason="文号和日期填写有误",
        number="平纪澄〔2024〕8号",
        issued_on=dt.date(2024, 3, 2),
        body_html="<p>经核查，反映问题<em>不属实</em>。</p>",
    )
    page = page_of(client, notice_id)
    assert "平纪澄〔2024〕8号" in page.split("<h1>")[0]
    assert "<p>经核查，反映问题<em>不属实</em>。</p>" in page
    entries = page.split('<section class="history">')[1]
    assert len(history(page)) == 2
    correction = entries.split("<li id=")[2]
    assert "<del>平纪澄〔2024〕7号</del> → <ins>平纪澄〔2024〕8号</ins>" in correction
    assert "<del>2024-03-01</del> → <ins>2024-03-02</ins>" in correction
    # The text's change is shown as words, not markup.
    assert "<del>经核查， 反映问题失实 。 现予以澄清正名。</del> → <ins>经核查，反映问题 不属实 。</ins>" in correction
    assert "文号和日期填写有误" in correction


def test_a_withdrawn_notice_keeps_its_page_marked_withdrawn_with_the_reason_first(client, desk):
    notice_id = desk.publish()
    desk.withdraw(notice_id, reason="经复核，当事人撤回公开澄清的同意")
    page = page_of(client, notice_id)
    top = page.split('<main id="main"')[1].split("<h1>")[0]
    assert 'class="box warn withdrawn"' in top
    assert "经复核，当事人撤回公开澄清的同意" in top
    assert "关于对城关镇副镇长王建国有关问题核查情况的澄清公告" in page  # the page stays
    assert len(history(page)) == 2


def test_the_page_is_in_english_on_request(client, desk):
    notice_id = desk.publish()
    desk.withdraw(notice_id, reason="reason")
    client.set_cookie("zm_lang", "en")
    page = page_of(client, notice_id)
    assert '<html lang="en">' in page
    assert history(page) == ["Published", "Withdrawn"]
    assert "March 1, 2024" in page


def test_chinese_notice_text_is_marked_chinese_on_english_pages(client, desk):
    notice_id = desk.publish()
    client.set_cookie("zm_lang", "en")
    page = page_of(client, notice_id).split("<article", 1)[1]
    for text in ("王建国", "平安县城关镇人民政府", "副镇长", "反映其在村道", "反映问题失实", "平安县纪委监委"):
        opening = page[: page.index(text)].rsplit("<", 1)[1]
        if opening.startswith("strong"):  # inside the body's markup: the body's own element carries it
            opening = page[: page.index(text)].rsplit('<div class="notice-body"', 1)[1]
        assert 'lang="zh-CN"' in opening, (text, opening)
    listing = client.get("/notices").get_data(as_text=True)
    assert re.search(r'<span lang="zh-CN">王建国 · 平安县城关镇人民政府</span>', listing)
    client.set_cookie("zm_lang", "zh_CN")
    assert 'lang="zh-CN">王建国' not in page_of(client, notice_id)  # the whole page already is


def test_script_in_every_field_is_shown_as_text(client, desk):
    evil = "<script>alert(1)</script>"
    notice_id = desk.publish(
        **{name: f"{name}{evil}" for name in ("number", "title", "person", "unit", "post", "allegation", "issuer")},
        body_html=f"<p>保留<strong>加粗</strong>和<em>强调</em></p>{evil}"
        '<img src=x onerror="alert(2)"><a href="javascript:alert(3)">链接</a>'
        '<p onclick="alert(4)">段落</p>',
    )
    desk.correct(notice_id, reason=f"reason{evil}", title=f"new{evil}")
    other = desk.publish(title="另一则")
    desk.withdraw(other, reason=f"withdrawn{evil}")
    for path in ("/notices", f"/notices/{notice_id}", f"/notices/{other}", "/notices/feed.atom"):
        raw = client.get(path).get_data(as_text=True)
        assert "<script" not in raw and "<img" not in raw and '<a href="javascript' not in raw, path
        assert "onclick" not in raw, path
    page = client.get(f"/notices/{notice_id}").get_data(as_text=True)
    assert "<strong>加粗</strong>" in page and "<em>强调</em>" in page
    assert "<p>段落</p>" in page  # allowed tag, attribute dropped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for name in ("number", "person", "unit", "post", "allegation", "issuer"):
        assert html.escape(f"{name}{evil}", quote=False) in page, name
