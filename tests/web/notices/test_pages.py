"""Page weight, same-site assets only, the landing page's link, and /healthz."""

from __future__ import annotations

import datetime as dt
import re

from tests.web.notices.conftest import hours_ago

#: HTML and CSS together, before compression (the issue's budget).
PAGE_BUDGET = 30 * 1024
LONG_BODY = "".join(
    f"<p>第{i}段：经核查组调取工程合同、验收记录、财务凭证和银行流水，走访村民代表、施工方负责人和相关工作人员，"
    f"未发现其收受礼品礼金或为他人谋取利益的事实，<strong>反映问题失实</strong>。</p>"
    for i in range(1, 7)
)


def _full_site(app, desk) -> list[str]:
    """A full first page of long titles, a long notice corrected twice, a withdrawn one."""
    app.config["NOTICES_PAGE_SIZE"] = 20
    for i in range(25):
        desk.publish(
            published_at=hours_ago(i),
            title=f"关于对平安县城关镇人民政府副镇长王建国同志有关问题核查情况的澄清公告（第{i}号）",
            issuer=f"平安县纪律检查委员会、平安县监察委员会第{i % 8}派驻纪检监察组",
        )
    long_one = desk.publish(body_html=LONG_BODY)
    desk.correct(long_one, reason="日期填写有误，予以更正。", issued_on=dt.date(2024, 3, 2))
    desk.correct(long_one, reason="正文有误，予以更正。", body_html=LONG_BODY.replace("失实", "不属实"))
    withdrawn = desk.publish()
    desk.withdraw(withdrawn, reason="经复核，当事人撤回公开澄清的同意，本公告予以撤回。")
    return ["/notices", "/notices?q=王建国", f"/notices/{long_one}", f"/notices/{withdrawn}"]


def test_pages_stay_within_the_weight_budget(app, client, desk):
    css = len(client.get("/static/site.css").data)
    for path in _full_site(app, desk):
        for lang in ("zh_CN", "en"):
            client.set_cookie("zm_lang", lang)
            html = client.get(path).data
            assert len(html) + css < PAGE_BUDGET, (path, lang, len(html), css)


def test_nothing_comes_from_another_host(app, client, desk):
    for path in _full_site(app, desk):
        page = client.get(path).get_data(as_text=True)
        refs = re.findall(r'(?:src|href|action)="([^"]*)"', page)
        assert refs
        # The favicon is inline (data:image/png), not fetched from anywhere.
        assert all(ref.startswith(("/", "#", "data:image/png;base64,")) for ref in refs), (path, refs)
        assert "<script" not in page and "<link" in page


def test_the_landing_page_links_to_the_notices(client):
    assert 'href="/notices"' in client.get("/").get_data(as_text=True)


def test_healthz_is_plain_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.data == b"ok"
    assert response.mimetype == "text/plain"
