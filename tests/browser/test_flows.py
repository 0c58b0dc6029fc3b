"""The anonymous side end to end in a real browser with JavaScript off."""

from __future__ import annotations

import pytest
from flask_babel import gettext

pytestmark = pytest.mark.browser

SCRIPT = "<script>alert(1)</script>"


def _translated(app, message: str) -> str:
    """A message as the site shows it in the default language."""
    with app.test_request_context("/"):
        return gettext(message)


def test_concern_from_filing_to_leaving(app, phone, recorder, live_server):
    page = phone.page
    subject = f"Inspections {SCRIPT}"
    receipt = phone.file_concern(
        subject=subject,
        description=f"Three teams a week.\n{SCRIPT}",
        category="workload",
        files=[phone.png("photo.png")],
    )
    assert page.locator("h1").count() == 1

    # The receipt typed back with dashes instead of spaces.
    dashed = receipt.replace(" ", "-")
    phone.follow_up(dashed)
    assert page.url.endswith("/followup/status")

    # Shown literally: escaped text, no element made from it, no dialog.
    fields = page.locator("dl.fields dd.text")
    assert fields.filter(has_text=subject).count() == 1
    assert fields.filter(has_text=SCRIPT).count() == 2
    assert page.locator("script").count() == 0
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content()
    attachment = page.locator("main a[href*='/followup/files/']")
    assert attachment.count() == 1
    assert attachment.inner_text() == "photo.png"

    # Write back; the message shows in the thread.
    assert page.locator("ul.thread").count() == 0
    page.fill("textarea[name=body]", f"More detail {SCRIPT}")
    phone.submit("form[action$='/followup/reply']")
    assert page.url.endswith("/followup/status")
    thread = page.locator("ul.thread li.submitter")
    assert thread.count() == 1
    assert thread.locator("div.text").inner_text() == f"More detail {SCRIPT}"
    assert page.locator("ul.flash li").count() == 1

    # Leave: back to the start page; the status page no longer opens the case.
    phone.submit("form[action$='/followup/leave']")
    assert page.url == f"{live_server}/"
    assert page.locator("ul.flash li").count() == 1
    phone.open("/followup/status", status=401)
    assert page.locator("h1").inner_text() == _translated(app, "Please enter your receipt again")
    assert page.locator("dl.fields").count() == 0
    assert "Inspections" not in page.content()

    assert recorder.dialogs == []
    assert recorder.requests, "no request recorded"
    assert recorder.foreign_requests() == []


def test_clarification_request_gets_a_receipt(phone):
    page = phone.page
    phone.open("/submit/clarification")
    page.fill("input[name=real_name]", "王某某")
    page.fill("input[name=unit_name]", "某县某镇人民政府")
    page.fill("input[name=post]", "副镇长")
    page.locator("input[name=rank][value=section]").check()
    page.fill("textarea[name=allegation]", "Accused of taking gifts at a village project.")
    page.fill("textarea[name=allegation_source]", "An anonymous letter in March.")
    page.check("input[name=harms][value=promotion]")
    page.check("input[name=harms][value=reputation]")
    page.check("input[name=wanted][value=public_notice]")
    phone.submit()
    receipt = phone.receipt_on_page()

    phone.follow_up(receipt)
    content = page.locator("dl.fields").inner_text()
    assert "王某某" in content and "副镇长" in content


def test_session_cookie_is_strict_http_only_and_ends_with_the_browser(phone, context, live_server):
    phone.open("/lang/en?next=/")  # the language cookie too
    receipt = phone.file_concern()
    phone.follow_up(receipt)

    cookies = {c["name"]: c for c in context.cookies()}
    assert "zm_session" in cookies, list(cookies)
    session = cookies["zm_session"]
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Strict"
    assert session["domain"] == "127.0.0.1"
    assert "zm_lang" in cookies
    # Session cookies only: nothing of the visit outlives the browser.
    assert {c["name"]: c["expires"] for c in cookies.values()} == {name: -1 for name in cookies}
