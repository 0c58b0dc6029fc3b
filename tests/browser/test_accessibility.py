"""In a real browser, without JavaScript: focus lands on the error summary, targets are big enough."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

#: Smallest height of a target a finger must hit (WCAG 2.5.5, Apple and Android guidance).
TARGET = 44

_HEIGHTS = """(selector) => Array.from(document.querySelectorAll(selector))
  .map(e => [e.textContent.trim().slice(0, 20) || e.outerHTML.slice(0, 60), e.getBoundingClientRect().height])"""


def _small(page, selector: str) -> list:
    heights = page.evaluate(_HEIGHTS, selector)
    assert heights, f"nothing matches {selector}"
    return [(name, round(height, 1)) for name, height in heights if height < TARGET - 0.5]


def _focused(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_focus_moves_to_the_error_summary_after_a_failed_concern(phone):
    from playwright.sync_api import expect

    phone.open("/submit/concern")
    phone.page.fill("input[name=subject]", "Too many inspections")
    phone.submit(status=400)
    page = phone.page
    assert _focused(page) == "error-summary"
    assert page.title().startswith("错误：")
    summary = page.locator("#error-summary")
    assert summary.is_visible() and summary.bounding_box()["y"] < page.viewport_size["height"]
    summary.locator("a").first.click()  # the link leads to the group in error
    expect(page).to_have_url(re.compile(r"#category-0$"))


def test_focus_moves_to_the_error_summary_after_a_failed_staff_sign_in(phone):
    phone.open("/review/login")
    phone.page.fill("input[name=username]", "nobody.here")
    phone.page.fill("input[name=password]", "wrong password")
    phone.submit(status=401)
    assert _focused(phone.page) == "error-summary"


def test_the_skip_link_is_the_first_stop_and_leads_to_main(phone):
    from playwright.sync_api import expect

    phone.open("/")
    page = phone.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert page.locator("a.skip").bounding_box()["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    # The jump to the fragment is a same-document navigation: wait for it, do not race it.
    expect(page).to_have_url(re.compile(r"#main$"))


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("path", ["/submit/concern", "/submit/clarification"])
def test_targets_are_at_least_44_px_at_360_px(path, lang, phone, context, live_server):
    if lang != "zh_CN":
        context.add_cookies([{"name": "zm_lang", "value": lang, "url": live_server}])
    phone.open(path)
    page = phone.page
    assert page.viewport_size["width"] == 360
    for selector in ("footer a", "header nav a", "fieldset li label", "fieldset li input"):
        assert not _small(page, selector), (selector, _small(page, selector))


def test_staff_footer_and_language_links_are_big_enough(phone):
    phone.open("/review/login")
    assert not _small(phone.page, "header nav a")
