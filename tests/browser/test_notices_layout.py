"""The public notices fit a 360 px phone screen in both languages without JavaScript, and print cleanly."""

from __future__ import annotations

import datetime as dt

import pytest
from PIL import Image

from portal.domain.plan import Naming, NoticeDraft
from portal.extensions import db
from portal.models import User
from portal.services import accounts, form_tokens, notices
from tests.browser.conftest import VIEWPORT
from tests.browser.test_layout import _WIDE

pytestmark = pytest.mark.browser

WIDTH = VIEWPORT["width"]
LONG_ISSUER = "平安县纪律检查委员会、平安县监察委员会驻县农业农村局纪检监察组"


def _draft(i: int) -> NoticeDraft:
    return NoticeDraft(
        number=f"平纪澄〔2024〕{i}号",
        title=f"关于对平安县城关镇人民政府副镇长王建国同志有关问题核查情况的澄清公告（第{i}号）",
        naming=Naming.FULL,
        person="王建国",
        unit="平安县城关镇人民政府农业农村综合服务中心",
        post="副镇长",
        allegation="反映其在村道硬化工程验收中收受施工方礼品礼金，并为其结算工程款提供便利。",
        body_html="<p>经核查组调取工程合同、验收记录、财务凭证和银行流水，<strong>反映问题失实</strong>。</p>"
        "<ul><li>合同：HT-2023-0001-" + "0" * 60 + "</li><li>现予以澄清正名。</li></ul>",
        issuer=LONG_ISSUER if i % 2 else "平安县纪委监委",
        issued_on=dt.date(2024, 3, 1 + i),
    )


@pytest.fixture
def site(app) -> dict[str, str]:
    """A list with a full page, a corrected notice and a withdrawn one; returns their paths."""
    with app.app_context():
        ids = [notices.publish(_draft(i), case_id=None).id for i in range(1, 24)]
        db.session.commit()
        supervisor = db.session.get(
            User, accounts.create_user("zhou", "supervisor", "supervisor password 1", confirmed=True).user_id
        )
        notices.correct(
            supervisor,
            None,
            ids[0],
            {"title": "更正后的标题：" + "很长" * 30},
            "标题有误，予以更正。",
            form_tokens.issue(),
        )
        notices.withdraw(supervisor, ids[1], "经复核，当事人撤回公开澄清的同意，本公告予以撤回。", form_tokens.issue())
    return {
        "list": "/notices",
        "list-searched": "/notices?q=王建国&year=2024",
        "detail": f"/notices/{ids[0]}",
        "withdrawn": f"/notices/{ids[1]}",
    }


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("name", ["list", "list-searched", "detail", "withdrawn"])
def test_notice_page_fits_a_phone_screen(name, lang, site, phone, context, live_server, tmp_path):
    if lang != "zh_CN":
        context.add_cookies([{"name": "zm_lang", "value": lang, "url": live_server}])
    phone.open(site[name])
    page = phone.page
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh_CN" else "en")
    if name == "withdrawn":
        assert page.locator("main .withdrawn").is_visible()
        assert "本公告予以撤回" in page.locator("main .withdrawn").inner_text()

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, (name, lang, scroll_width, page.evaluate(_WIDE, WIDTH))

    shot = tmp_path / f"notices-{name}-{lang}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 1000
    with Image.open(shot) as image:
        assert image.width == WIDTH and image.height >= VIEWPORT["height"]


def test_search_form_works_without_javascript(site, phone):
    phone.open("/notices")
    phone.page.fill("input[name=q]", "王建国")
    phone.page.select_option("select[name=year]", "2024")
    phone.submit("form[role=search]")
    assert "q=" in phone.page.url and "year=2024" in phone.page.url
    assert phone.page.locator("ol.notices li").count() == 20
    with phone.page.expect_navigation():
        phone.page.click("a[rel=next]")
    assert phone.page.locator("ol.notices li").count() == 2  # the withdrawn one is no longer found by name


@pytest.mark.parametrize("name", ["detail", "withdrawn"])
def test_print_shows_the_notice_alone_in_black_on_white(name, site, phone, tmp_path):
    phone.open(site[name])
    page = phone.page
    page.emulate_media(media="print")
    assert not page.locator("header nav").is_visible()
    assert not page.locator("footer").is_visible()
    assert not page.locator("p.back").is_visible()
    # A withdrawn notice is its stub: no body, the withdrawal box instead.
    body = ".notice-body" if name == "detail" else "main .withdrawn"
    assert page.locator("main h1").is_visible() and page.locator(body).is_visible()
    assert page.locator(".notice-body").count() == (1 if name == "detail" else 0)
    colours = page.evaluate(
        """(body) => [getComputedStyle(document.querySelector(body)).color,
                                      getComputedStyle(document.body).backgroundColor,
                                      getComputedStyle(document.querySelector('main h1')).color]""",
        body,
    )
    assert colours[0] == "rgb(0, 0, 0)" and colours[2] == "rgb(0, 0, 0)"
    assert colours[1] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    if name == "withdrawn":
        assert page.locator("main .withdrawn").is_visible()
    pdf = tmp_path / f"{name}.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    assert pdf.stat().st_size > 1000


# -- issue 10: the 典型案例通报 bulletins --


@pytest.fixture
def bulletin_site(app, cadre, staff) -> dict[str, str]:
    """One bulletin published (approved by its named leader), one corrected and one withdrawn; their paths."""
    from tests.browser import issue10_scenes as scenes
    from tests.web.bulletin_helpers import bulletin_form

    p = scenes.people(staff)
    _case, shown = scenes.bulletin_published(app, cadre, p)
    _case, corrected = scenes.bulletin_published(app, cadre, p)
    _case, withdrawn = scenes.bulletin_published(app, cadre, p)
    edit = f"/review/bulletins/{corrected}/correct"
    fix = {**bulletin_form(title="更正后的标题：" + "很长" * 30), "reason": "标题有误，予以更正。"}
    assert p.supervisor.post(edit, fix).status_code in (200, 303)
    edit = f"/review/bulletins/{withdrawn}/correct"
    gone = p.supervisor.post(
        f"/review/bulletins/{withdrawn}/withdraw", {"reason": "发布有误，予以撤回。"}, form_page=edit
    )
    assert gone.status_code == 303
    return {
        "bulletins": "/notices/bulletins",
        "bulletins-searched": "/notices/bulletins?q=ZM-BUL",
        "bulletin": f"/notices/bulletins/{shown}",
        "bulletin-corrected": f"/notices/bulletins/{corrected}",
        "bulletin-withdrawn": f"/notices/bulletins/{withdrawn}",
        "bulletin-print": f"/notices/bulletins/{shown}/print",
    }


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize(
    "name",
    ["bulletins", "bulletins-searched", "bulletin", "bulletin-corrected", "bulletin-withdrawn", "bulletin-print"],
)
def test_bulletin_page_fits_a_phone_screen(name, lang, bulletin_site, phone, context, live_server, tmp_path):
    if lang != "zh_CN":
        context.add_cookies([{"name": "zm_lang", "value": lang, "url": live_server}])
    phone.open(bulletin_site[name])
    page = phone.page
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh_CN" else "en")
    if name.startswith("bulletins"):
        assert page.locator("main a[href*='/notices/bulletins/']").count() >= 1
    else:
        assert page.locator("main article.notice h1").is_visible()
    if name == "bulletin-withdrawn":
        assert "予以撤回" in page.locator("main .withdrawn").inner_text()

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, (name, lang, scroll_width, page.evaluate(_WIDE, WIDTH))

    shot = tmp_path / f"bulletins-{name}-{lang}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 1000
    with Image.open(shot) as image:
        assert image.width == WIDTH and image.height >= VIEWPORT["height"]


def test_bulletin_search_works_without_javascript(bulletin_site, phone):
    phone.open("/notices/bulletins")
    phone.page.fill("input[name=q]", "zm-bul-treat")
    phone.submit("form[role=search]")
    assert "q=zm-bul-treat" in phone.page.url
    assert phone.page.locator("main a[href*='/notices/bulletins/']").count() >= 1


@pytest.mark.parametrize("name", ["bulletin-print", "bulletin", "bulletin-withdrawn"])
def test_a_printed_bulletin_is_its_text_alone_in_black_on_white(name, bulletin_site, phone, tmp_path):
    phone.open(bulletin_site[name])
    page = phone.page
    page.emulate_media(media="print")
    assert not page.locator("header nav").is_visible()
    assert not page.locator("footer").is_visible()
    backs = page.locator("p.back")
    assert not any(backs.nth(i).is_visible() for i in range(backs.count()))  # the links around the text
    assert page.locator("main article.notice h1").is_visible()
    colours = page.evaluate(
        """() => [getComputedStyle(document.querySelector('main article.notice')).color,
                  getComputedStyle(document.body).backgroundColor,
                  getComputedStyle(document.querySelector('main article.notice h1')).color]"""
    )
    assert colours[0] == "rgb(0, 0, 0)" and colours[2] == "rgb(0, 0, 0)", colours
    assert colours[1] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    pdf = tmp_path / f"{name}.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    assert pdf.stat().st_size > 1000
