"""Issue 11's pages on a 360 px phone, in both languages, without JavaScript: the statistics page
(tables beside their charts), the public figures, a case's official documents (list, issue form,
the document itself), the cadre's status page listing them, and the forms working with clicks."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from PIL import Image

from tests.browser import issue10_scenes, issue11_scenes
from tests.browser.conftest import VIEWPORT
from tests.browser.test_layout import CHOICES_OFF_THEIR_LABEL
from tests.browser.test_staff_layout import _CONTROLS, _TABLES, _WIDE, Desk, _translated
from tests.web.document_helpers import document_rows

pytestmark = pytest.mark.browser

WIDTH = VIEWPORT["width"]

#: Each chart image: [its alt text, whether a table follows it in the page, its right edge, its natural width].
_CHARTS = """() => Array.from(document.querySelectorAll('main img[src*="/statistics/"]'))
  .map(img => [img.getAttribute('alt') || '',
               Array.from(document.querySelectorAll('main table')).some(t => img.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING),
               Math.round(img.getBoundingClientRect().right), img.naturalWidth])"""


@dataclass
class Scene:
    app: Flask
    phone: object
    cadre: object
    staff: object


def _desk_documents(s: Scene) -> issue11_scenes.Documents:
    """A supervisor at the browser (made first, so the cases are sealed to them too) and the cases."""
    desk = Desk(s.app, "zhou.sup", "supervisor")
    p = issue10_scenes.people(s.staff)
    made = issue11_scenes.documents(s.app, s.cadre, p.intake, p.reviewer)
    desk.sign_in(s.phone)
    return made


def _statistics(s: Scene) -> None:
    issue11_scenes.statistics_cases(s.app)
    Desk(s.app, "zhou.lead", "leader").sign_in(s.phone)
    s.phone.open("/review/statistics")
    page = s.phone.page
    assert page.locator("main table.stats").count() >= 2
    assert page.locator("main table.stats td.n").count() >= 10
    charts = page.evaluate(_CHARTS)
    assert len(charts) >= 2
    for alt, table_follows, right, natural in charts:
        assert len(alt) >= 10 and table_follows and right <= WIDTH and natural > 0, charts
    # The staff menu leads there for the leader.
    assert page.locator("header nav.staff a[href='/review/statistics']").count() == 1


def _figures(s: Scene) -> None:
    issue11_scenes.statistics_cases(s.app)
    s.phone.open("/notices/figures")


def _documents(s: Scene) -> None:
    made = _desk_documents(s)
    s.phone.open(made.documents)
    assert s.phone.page.locator("main .table tbody tr").count() == 2


def _issue_form(s: Scene) -> None:
    made = _desk_documents(s)
    s.phone.open(made.issue_form)
    assert s.phone.page.locator("main textarea[name=text]").count() == 1
    assert s.phone.page.locator("main article.gongwen").count() == 1


def _document(s: Scene) -> None:
    made = _desk_documents(s)
    s.phone.open(made.document)
    page = s.phone.page
    assert page.locator("main article.gongwen .gongwen-number").inner_text() == made.doc_number
    # Laid out as a 公文: the 发文字号 and title centred, the 落款 to the right, the text indented.
    style = page.evaluate(
        """() => ['.gongwen-number', '.gongwen-title', '.gongwen-signatory', 'p.text']
             .map(s => getComputedStyle(document.querySelector('main article.gongwen ' + s)))
             .map(c => [c.textAlign, c.textIndent])"""
    )
    assert [a for a, _i in style[:3]] == ["center", "center", "right"], style
    assert style[3][1] != "0px", style


def _status(s: Scene) -> None:
    p = issue10_scenes.people(s.staff)
    made = issue11_scenes.documents(s.app, s.cadre, p.intake, p.reviewer)
    s.phone.follow_up(made.receipt)
    page = s.phone.page
    assert made.doc_number in page.locator("main").inner_text()
    assert page.locator(f"main a[href='/followup/documents/{made.doc_id}.pdf']").count() == 1


PAGES = {
    "statistics": _statistics,
    "figures": _figures,
    "documents": _documents,
    "issue-form": _issue_form,
    "document": _document,
    "status-with-documents": _status,
}


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_issue11_page_fits_a_phone_screen(name, lang, app, phone, cadre, staff, context, live_server, tmp_path):
    if lang != "zh_CN":
        context.add_cookies([{"name": "zm_lang", "value": lang, "url": live_server}])
    PAGES[name](Scene(app, phone, cadre, staff))
    page = phone.page
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh_CN" else "en")
    assert page.locator("body link, main link").count() == 0  # every stylesheet is in the head

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, (name, lang, scroll_width, page.evaluate(_WIDE, WIDTH))
    for right, _content, _visible in page.evaluate(_TABLES):
        assert right <= WIDTH, (name, lang, page.evaluate(_TABLES))
    assert page.evaluate(_CONTROLS, WIDTH) == [], (name, lang)
    assert page.evaluate(CHOICES_OFF_THEIR_LABEL) == [], (name, lang)

    shot = tmp_path / f"issue11-{name}-{lang}.png"
    page.screenshot(path=str(shot), full_page=True)
    with Image.open(shot) as image:
        assert image.width == WIDTH and image.height >= VIEWPORT["height"]


def test_the_statistics_filters_work_without_javascript(app, phone):
    issue11_scenes.statistics_cases(app)
    Desk(app, "zhou.lead", "leader").sign_in(phone)
    phone.open("/review/statistics")
    page = phone.page
    page.select_option("select[name=quarter]", "1")
    phone.submit("main form.filters")
    assert "quarter=1" in page.url
    assert page.locator("select[name=quarter]").input_value() == "1"
    assert page.locator("main table.stats").count() >= 2


def test_a_supervisor_sees_the_statistics_link_and_a_reviewer_does_not(app, phone):
    Desk(app, "zhou.rev", "reviewer").sign_in(phone)
    assert phone.page.locator("header nav.staff a[href='/review/statistics']").count() == 0
    phone.page.context.clear_cookies()
    Desk(app, "zhou.sup", "supervisor").sign_in(phone)
    link = phone.page.locator("header nav.staff a[href='/review/statistics']")
    assert link.inner_text() == _translated(app, "Statistics and analysis") == "统计分析"
    with phone.page.expect_navigation():
        link.click()
    assert phone.page.url.endswith("/review/statistics")


def test_a_document_is_issued_with_the_button_and_then_listed(app, phone, cadre, staff, live_server):
    """JavaScript off: the issue form posts with its CSRF and one-time tokens; the new number is listed."""
    made = _desk_documents(Scene(app, phone, cadre, staff))
    phone.open(made.issue_form)
    page = phone.page
    page.fill("main textarea[name=text]", "   ")
    phone.submit("main form", status=400)  # nothing issued on bad input
    assert document_rows(app, made.fresh_case_id) == []
    assert page.locator("main .error").count() >= 1
    phone.open(made.issue_form)
    phone.submit("main form")
    [row] = document_rows(app, made.fresh_case_id)
    assert page.url == f"{live_server}/review/cases/{made.fresh_case_id}/documents"
    assert page.locator(f"main a:text-is('{row.number}')").count() == 1
