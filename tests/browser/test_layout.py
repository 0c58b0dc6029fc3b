"""Every page of the anonymous side fits a 360 px phone screen, in both languages, without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from PIL import Image

from tests.browser import issue10_scenes as scenes
from tests.browser.conftest import VIEWPORT, Cadre
from tests.conftest import Cadre as ClientCadre

pytestmark = pytest.mark.browser

WIDTH = VIEWPORT["width"]

#: Elements sticking out to the right: names them when the page overflows.
_WIDE = """(limit) => Array.from(document.querySelectorAll('body *'))
  .map(e => [e, e.getBoundingClientRect()])
  .filter(([e, r]) => r.right > limit + 0.5)
  .slice(0, 8)
  .map(([e, r]) => `${e.tagName.toLowerCase()}${e.className ? '.' + e.className : ''} right=${Math.round(r.right)}`)"""


#: Radio buttons and checkboxes not beside the first line of their own label (issue 10's long choices
#: wrap): [name, value, why]. The first line is the first box of the label's text.
CHOICES_OFF_THEIR_LABEL = """() => Array.from(document.querySelectorAll('main input[type=radio], main input[type=checkbox]'))
  .map(e => [e, document.querySelector(`label[for="${e.id}"]`)])
  .map(([e, label]) => {
    if (!label) return [e.name, e.value, 'no label'];
    const box = e.getBoundingClientRect(), range = document.createRange();
    range.selectNodeContents(label);
    const first = range.getClientRects()[0];
    if (label.getBoundingClientRect().left < box.right) return [e.name, e.value, 'label not beside the box'];
    const off = Math.abs((box.top + box.height / 2) - (first.top + first.height / 2));
    return off > 6 ? [e.name, e.value, `box ${Math.round(off)} px off the label's first line`] : null;
  })
  .filter(Boolean)"""


def _landing(s):
    phone = s.phone
    phone.open("/")


def _concern(s):
    phone = s.phone
    phone.open("/submit/concern")


def _concern_with_errors(s):
    phone = s.phone
    phone.open("/submit/concern")
    phone.submit(status=400)
    assert phone.page.locator("p.error").count() >= 3


def _clarification(s):
    phone = s.phone
    phone.open("/submit/clarification")


def _followup(s):
    phone = s.phone
    phone.open("/followup")


def _receipt(s):
    phone = s.phone
    phone.file_concern()


def _status(s):
    phone = s.phone
    receipt = phone.file_concern(files=[phone.png("IMG_20240315_093012.png")])
    phone.follow_up(receipt)
    phone.page.fill("textarea[name=body]", "A second message with more detail.")
    phone.submit("form[action$='/followup/reply']")
    assert phone.page.locator("ul.thread li").count() == 1


def _not_found(s):
    phone = s.phone
    phone.open("/nope", status=404)


def _session_ended(s):
    phone = s.phone
    phone.open("/followup/status", status=401)


# -- issue 10: fault tolerance, real-name concerns, own motion, the 回访 feedback --


def _fault_tolerance(s):
    s.phone.open("/submit/fault-tolerance")


def _fault_tolerance_with_errors(s):
    s.phone.open("/submit/fault-tolerance")
    s.phone.submit(status=400)
    assert s.phone.page.locator("p.error").count() >= 3


def _concern_real_name_with_errors(s):
    """Real name chosen, the name left out: the identity fields carry their errors."""
    page = s.phone.page
    s.phone.open("/submit/concern")
    page.check("input[name=category][value=workload]")
    page.fill("input[name=subject]", "Too many inspections")
    page.fill("textarea[name=description]", "Every week three inspection teams ask for the same reports.")
    page.check("input[name=identity][value=real_name]")
    s.phone.submit(status=400)
    assert page.locator(".identity p.error").count() >= 1
    assert page.locator("input[name=identity][value=real_name]").is_checked()


def _status_of(s, receipt: str) -> None:
    s.phone.follow_up(receipt)


def _status_tolerance(s):
    """The decision, its reasons, the measures (one done) and the objection form."""
    receipt, _case = scenes.tolerance(s.app, s.cadre, s.people())
    _status_of(s, receipt)
    page = s.phone.page
    assert page.locator("#decision-heading").count() == 1
    assert page.locator("form[action$='/followup/object']").count() == 1


def _status_real_name(s):
    receipt, _case = scenes.real_name_concern(s.app, s.cadre, s.people())
    _status_of(s, receipt)
    assert s.phone.page.locator("#clocks-heading").count() == 1


def _status_own_motion(s):
    receipt, _case = scenes.own_motion(s.app, s.people())
    _status_of(s, receipt)
    assert s.phone.page.locator("ol.steps li").count() >= 1


def _status_feedback(s):
    receipt, _case = scenes.plan_approved(s.app, s.cadre, s.people(), carried_out=True)
    _status_of(s, receipt)
    assert s.phone.page.locator("form[action$='/followup/feedback']").count() == 1


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
    # issue 10
    "fault-tolerance": _fault_tolerance,
    "fault-tolerance-errors": _fault_tolerance_with_errors,
    "concern-real-name-errors": _concern_real_name_with_errors,
    "status-tolerance": _status_tolerance,
    "status-real-name": _status_real_name,
    "status-own-motion": _status_own_motion,
    "status-feedback": _status_feedback,
}


@dataclass
class Site:
    """The phone, and (for the cases staff must move first) the app with its test-client cadre and staff."""

    phone: Cadre
    app: Flask
    cadre: ClientCadre
    staff: object

    def people(self) -> scenes.People:
        return scenes.people(self.staff)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_a_phone_screen(name, lang, phone, app, cadre, staff, context, live_server, tmp_path):
    if lang != "zh_CN":
        context.add_cookies([{"name": "zm_lang", "value": lang, "url": live_server}])
    PAGES[name](Site(phone, app, cadre, staff))
    page = phone.page
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh_CN" else "en")

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, (name, lang, scroll_width, page.evaluate(_WIDE, WIDTH))
    assert page.evaluate(CHOICES_OFF_THEIR_LABEL) == [], (name, lang)

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


def test_issue10_cadre_forms_post_without_javascript(phone, app, cadre, staff):
    """JavaScript off: the 容错纠错 application reaches its receipt; the objection asks first and changes
    nothing; the 回访 feedback is recorded and its form goes."""
    page = phone.page
    phone.open("/submit/fault-tolerance")
    page.check("input[name=filed_by][value=self]")
    for name in ("real_name", "unit_name", "post"):
        page.fill(f"input[name={name}]", scenes.APPLICATION[name])
    page.check("input[name=rank][value=section]")
    page.fill("textarea[name=matter]", scenes.APPLICATION["matter"])
    page.fill("textarea[name=fault]", scenes.APPLICATION["fault"])
    page.check("input[name=accountability][value=pending]")
    page.check("input[name=distinctions][value=unprecedented]")
    page.fill("textarea[name=distinction_reason]", scenes.APPLICATION["distinction_reason"])
    phone.submit()
    phone.receipt_on_page()

    p = scenes.people(staff)
    receipt, case_id = scenes.tolerance(app, cadre, p)
    phone.follow_up(receipt)
    page.fill("form[action$='/followup/object'] textarea", "损失由施工方造成。")
    phone.submit("form[action$='/followup/object']")
    assert "对容错纠错认定申请复核？" in page.locator("main h1").inner_text()  # asked first, with a button to confirm
    assert page.locator("main form button[type=submit]").count() >= 1
    assert scenes.state_of(app, case_id) == "decided"

    receipt, _case = scenes.plan_approved(app, cadre, p, carried_out=True)
    phone.follow_up(receipt)
    page.fill("textarea[name=feedback]", "澄清后单位同事态度已转变。")
    phone.submit("form[action$='/followup/feedback']")
    assert page.url.endswith("/followup/status")
    assert page.locator("ul.flash li").count() == 1
    assert page.locator("form[action$='/followup/feedback']").count() == 0
