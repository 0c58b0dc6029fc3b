"""The Atom feed: valid XML, the latest publications, corrections and withdrawals, absolute links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def feed(client):
    response = client.get("/notices/feed.atom")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.data)


def entries(root) -> list[dict]:
    return [
        {
            "id": e.findtext(f"{ATOM}id"),
            "title": e.findtext(f"{ATOM}title"),
            "link": e.find(f"{ATOM}link").get("href"),
            "updated": e.findtext(f"{ATOM}updated"),
            "summary": e.findtext(f"{ATOM}summary"),
            "author": e.findtext(f"{ATOM}author/{ATOM}name"),
        }
        for e in root.findall(f"{ATOM}entry")
    ]


def test_feed_lists_publications_corrections_and_withdrawals_newest_first(client, desk):
    first = desk.publish(title="第一则")
    second = desk.publish(title="第二则", issuer="长宁县纪委监委")
    desk.correct(first, reason="标题有误", title="第一则（更正）")
    desk.withdraw(second, reason="当事人撤回同意")
    root = feed(client)
    assert root.tag == f"{ATOM}feed"
    assert RFC3339.match(root.findtext(f"{ATOM}updated"))
    assert root.findtext(f"{ATOM}id").startswith("http://localhost/")
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "http://localhost/notices/feed.atom"
    got = entries(root)
    assert [e["link"] for e in got] == [f"http://localhost/notices/{n}" for n in (second, first, second, first)]
    assert len({e["id"] for e in got}) == 4
    assert all(e["id"].startswith(e["link"] + "#rev-") for e in got)
    assert all(RFC3339.match(e["updated"]) for e in got)
    assert "当事人撤回同意" in got[0]["summary"]
    assert "第一则（更正）" in got[1]["title"] and "标题有误" in got[1]["summary"]
    assert "经核查" in got[3]["summary"]  # a publication is summarised by its text
    assert got[0]["author"] == "长宁县纪委监委"
    # Entry titles say what happened; each kind differently.
    assert len({e["title"].replace("第一则（更正）", "").replace("第二则", "") for e in got}) == 3


def test_feed_holds_the_latest_fifty(client, desk):
    ids = [desk.publish(title=f"公告{i}") for i in range(53)]
    got = entries(feed(client))
    assert len(got) == 50
    assert got[0]["link"].endswith(f"/notices/{ids[-1]}")


def test_an_empty_feed_is_still_valid(client):
    root = feed(client)
    assert root.findall(f"{ATOM}entry") == []
    assert RFC3339.match(root.findtext(f"{ATOM}updated"))


def test_markup_and_control_characters_in_a_notice_cannot_break_the_feed(client, desk):
    notice_id = desk.publish(
        title="</title><script>alert(1)</script>&amp;\x0b",
        issuer="甲&乙<纪委>",
        body_html="<p>a <b>b</b> & <script>c</script></p>",
    )
    raw = client.get("/notices/feed.atom").get_data(as_text=True)
    assert "<script" not in raw
    got = entries(ET.fromstring(raw))
    assert "</title><script>alert(1)</script>&amp;" in got[0]["title"]
    assert got[0]["author"] == "甲&乙<纪委>"
    assert got[0]["link"].endswith(f"/notices/{notice_id}")


def test_feed_titles_follow_the_language(client, desk):
    desk.publish(title="标题")
    client.set_cookie("zm_lang", "en")
    root = feed(client)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert entries(root)[0]["title"] == "Published: 标题"
