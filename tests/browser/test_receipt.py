"""Issue 7 items 2 and 10 in a real browser: reload, Back and a double tap keep the one receipt."""

from __future__ import annotations

import re

from portal.extensions import db
from portal.models import Case


def cases(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Case))


def test_reload_and_back_show_the_same_receipt_until_it_is_written_down(app, phone):
    page = phone.page
    receipt = phone.file_concern()
    assert page.url.endswith("/submit/receipt")
    page.reload()
    assert phone.receipt_on_page() == receipt
    page.go_back()  # to the form: it leads back to the receipt, never to a second case
    assert phone.receipt_on_page() == receipt
    phone.submit("main form")  # 我已记下
    assert page.url.endswith("/")
    page.go_back()
    assert page.locator("p.receipt").count() == 0
    assert cases(app) == 1


def test_double_tap_on_submit_ends_on_the_receipt(app, phone):
    from playwright.sync_api import expect

    page = phone.page
    phone.open("/submit/concern")
    page.check("input[name=category][value=workload]")
    page.fill("input[name=subject]", "Too many inspections")
    page.fill("textarea[name=description]", "Every week three inspection teams ask for the same reports.")
    button = page.locator("main form").locator("button[type=submit]")
    # The second tap aborts the first navigation, as on a phone: wait for where the page ends.
    button.dblclick()
    # wait_for_url fails on the aborted first navigation; polling the address does not.
    expect(page).to_have_url(re.compile(r"/submit/receipt$"), timeout=20_000)
    page.wait_for_load_state()
    phone.receipt_on_page()
    assert cases(app) == 1
