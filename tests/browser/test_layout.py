"""Every page of the anonymous side fits a 360 px phone screen, in both languages, without JavaScript."""

from __future__ import annotations

import pytest
from PIL import Image

from tests.browser.conftest import VIEWPORT

pytestmark = pytest.mark.browser

WIDTH = VIEWPORT["width"]

#: Elements sticking out to the right: names them when the page overflows.
_WIDE = """(limit) => Array.from(document.querySelectorAll('body *'))
  .map(e => [e, e.getBoundingClientRect()])
  .filter(([e, r]) => r.right > limit + 0.5)
  .slice(0, 8)
  .map(([e, r]) => `${e.tagName.toLowerCase()}${e.className ? '.' + e.className : ''} right=${Math.round(r.right)}`)"""


def _landing(phone):
    phone.open("/")


def _concern(phone):
    phone.open("/submit/concern")


def _concern_with_errors(phone):
    phone.open("/submit/concern")
    phone.submit(status=400)
    assert phone.page.locator("p.error").count() >= 3


def _clarification(phone):
    phone.open("/submit/clarification")


def _followup(phone):
    phone.open("/followup")


def _receipt(phone):
    phone.file_concern()


def _status(phone):
    receipt = phone.file_concern(files=[phone.png("IMG_20240315_093012.png")])
    phone.follow_up(receipt)
    phone.page.fill("textarea[name=body]", "A second message with more detail.")
    phone.submit("form[action$='/followup/reply']")
    assert phone.page.locator("ul.thread li").count() == 1


def _not_found(phone):
    phone.open("/nope", status=404)


def _session_ended(phone):
    phone.open("/followup/status", status=401)


PAGES = {
    "landing": _landing,
    "concern": _concern,
    "concern-errors": _concern_with_errors,
    "clarification": _clarification,
    "followup": _followup,
    "receipt": _receipt,
    "status": _status,
    "error-404": _not_found,
    "error-401": _session_ended,
}


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_a_phone_screen(name, lang, phone, context, live_server, tmp_path):
    if lang != "zh_CN":
        context.add_cookies([{"name": "zm_lang", "value": lang, "url": live_server}])
    PAGES[name](phone)
    page = phone.page
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh_CN" else "en")

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, (name, lang, scroll_width, page.evaluate(_WIDE, WIDTH))

    shot = tmp_path / f"{name}-{lang}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 1000
    with Image.open(shot) as image:
        assert image.width == WIDTH and image.height >= VIEWPORT["height"]


def test_long_unbroken_user_content_fits(phone, tmp_path):
    """A pasted link and a long camera file name must wrap, not widen the page."""
    link = "https://example.invalid/" + "a-very-long-path-segment-" * 8
    receipt = phone.file_concern(
        subject="x" * 200,
        description=f"See {link}",
        files=[phone.png("WeChat_Image_20240315093012_scan_of_the_county_office_letter_final.png")],
    )
    phone.follow_up(receipt)
    page = phone.page
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(tmp_path / "status-long.png"), full_page=True)
    assert scroll_width <= WIDTH, (scroll_width, page.evaluate(_WIDE, WIDTH))
