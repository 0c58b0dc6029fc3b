"""Chinese by default; one link switches to English and back, staying on the same page."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("path", ["/", "/submit/concern", "/followup"])
def test_language_switch_returns_to_the_same_page(phone, live_server, path):
    page = phone.page
    phone.open(path)
    assert page.locator("html").get_attribute("lang") == "zh-CN"

    with page.expect_navigation():
        page.click("header nav a[lang=en]")
    assert page.url == f"{live_server}{path}"
    assert page.locator("html").get_attribute("lang") == "en"

    with page.expect_navigation():
        page.click("header nav a[lang=zh-CN]")
    assert page.url == f"{live_server}{path}"
    assert page.locator("html").get_attribute("lang") == "zh-CN"


def test_default_language_pages_are_written_in_chinese(phone):
    phone.open("/")
    page = phone.page
    assert CJK.search(page.locator("h1").inner_text())
    assert CJK.search(page.locator("main form, main ul.ways").first.inner_text())
