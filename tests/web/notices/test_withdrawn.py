"""A withdrawn notice keeps a public stub; what it said about the cadre leaves every public view."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tests.web.notices.conftest import DRAFT

TITLE = "关于一名干部被反映问题的澄清公告"
#: Words only the withdrawn notice's name, unit, post, allegation and body carry.
GONE = ("王建国", "城关镇", "副镇长", "村道硬化", "反映问题失实", "现予以澄清正名")
REASON = "当事人撤回公开澄清的同意"


def text(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def assert_gone(body: str, where: str) -> None:
    left = [word for word in GONE if word in body]
    assert not left, f"{where} still shows {left}"


def test_withdrawal_leaves_a_stub_on_list_search_detail_print_and_feed(client, desk):
    notice_id = desk.publish(title=TITLE, unit="平安县城关镇人民政府")
    desk.publish(  # another notice, which the search must still find
        title="另一则公告",
        number="平纪澄〔2024〕8号",
        person="李四",
        unit="长宁县",
        post="科员",
        allegation="另案反映。",
        body_html="<p>另案。</p>",
    )
    detail, feed = f"/notices/{notice_id}", "/notices/feed.atom"
    # Warm every public view and its caches (the page memo, ETags) while the notice is published.
    before = {path: client.get(path) for path in ("/notices", "/notices?q=王建国", detail, feed)}
    assert before[detail].status_code == 200, before[detail].get_data(as_text=True)
    assert "王建国" in before[detail].get_data(as_text=True) and "反映问题失实" in before[feed].get_data(as_text=True)
    etag = before[detail].headers["ETag"]

    desk.withdraw(notice_id, reason=REASON)

    page = text(client.get(detail))  # the printed page is this page under the print stylesheet
    assert TITLE in page and DRAFT["number"] in page and DRAFT["issuer"] in page and REASON in page
    assert "2024年3月1日" in page or "2024-03-01" in page
    assert_gone(page, "the notice page")
    assert client.get(detail, headers={"If-None-Match": etag}).status_code == 200  # the old copy is stale

    listing = text(client.get("/notices"))
    assert TITLE in listing and "李四" in listing
    assert_gone(listing, "the list")
    for words in ("王建国", "城关镇", "副镇长", "村道硬化", "失实"):
        found = text(client.get("/notices", query_string={"q": words}))
        assert f'/notices/{notice_id}"' not in found, f"search for {words} still finds it"
    assert f'/notices/{notice_id}"' in text(client.get("/notices", query_string={"q": "平纪澄〔2024〕7号"}))

    feed_xml = text(client.get(feed))
    assert_gone(feed_xml, "the feed")  # earlier entries of the notice too
    entries = ET.fromstring(feed_xml.encode()).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 3 and REASON in feed_xml and "另案" in feed_xml


def test_corrections_of_a_withdrawn_notice_keep_only_stub_changes_in_public(client, desk):
    notice_id = desk.publish(title=TITLE)
    desk.correct(notice_id, reason="职务有误", post="副镇长（主持工作）", number="平纪澄〔2024〕9号")
    desk.withdraw(notice_id, reason=REASON)
    page = text(client.get(f"/notices/{notice_id}"))
    assert_gone(page, "the history")
    assert "平纪澄〔2024〕9号" in page and "职务有误" in page
    assert_gone(text(client.get("/notices/feed.atom")), "the feed")


def test_staff_still_see_the_full_text_and_history(app, client, desk, staff):
    notice_id = desk.publish(title=TITLE)
    desk.correct(notice_id, reason="职务有误", post="副镇长（主持工作）")
    desk.withdraw(notice_id, reason=REASON)
    chief = staff("qian.sup", "supervisor")
    page = chief.get(f"/review/notices/{notice_id}/correct").get_data(as_text=True)
    for word in ("王建国", "城关镇", "村道硬化", "反映问题失实", "副镇长（主持工作）", "职务有误", REASON):
        assert word in page
