"""Every staff page fits a 360 px phone screen, in both languages, without JavaScript.

Staff sign in through the real browser form: the account is made in the app context,
the browser fills /review/login (no code at first sign-in), then types a TOTP code at
/review/enrol. Cases, messages and notes are set up beforehand through the test client
(`cadre` and `staff` of tests/conftest.py) against the same app the live server serves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pyotp
import pytest
from flask import Flask
from flask_babel import force_locale, gettext
from PIL import Image

from portal.extensions import db
from portal.models import Case
from portal.services import accounts
from tests.browser import issue10_scenes as scenes
from tests.browser.conftest import VIEWPORT
from tests.browser.test_layout import CHOICES_OFF_THEIR_LABEL
from tests.conftest import STAFF_PASSWORD, Staff, only_case_id
from tests.factories import gen_png, upload
from tests.web.own_motion_helpers import OPENING

pytestmark = pytest.mark.browser

WIDTH = VIEWPORT["width"]
PASSWORD = "browser staff password"
#: A file name as phones make them: long and unbroken.
CAMERA_NAME = "WeChat_Image_20240315093012_scan_of_the_county_office_letter_final.png"

#: Elements sticking out to the right, outside a scrolling table box: names them when the page overflows.
_WIDE = """(limit) => Array.from(document.querySelectorAll('body *'))
  .filter(e => !e.closest('.table'))
  .map(e => [e, e.getBoundingClientRect()])
  .filter(([e, r]) => r.width > 0 && (r.right > limit + 0.5 || r.left < -0.5))
  .slice(0, 8)
  .map(([e, r]) => `${e.tagName.toLowerCase()}${e.className ? '.' + e.className : ''} left=${Math.round(r.left)} right=${Math.round(r.right)}`)"""

#: Each table box: [its right edge, its content width, its visible width] (wide content scrolls inside).
_TABLES = """() => Array.from(document.querySelectorAll('.table'))
  .map(e => [Math.round(e.getBoundingClientRect().right), e.scrollWidth, e.clientWidth])"""

#: Form controls outside table boxes that a thumb cannot reach or hit: [tag, name, left, right, height].
_CONTROLS = """(limit) => Array.from(document.querySelectorAll('main button, main input:not([type=hidden]), main select, main textarea'))
  .filter(e => !e.closest('.table'))
  .map(e => [e, e.getBoundingClientRect()])
  .filter(([e, r]) => r.left < -0.5 || r.right > limit + 0.5 || r.height < 24 || r.width < 24)
  .map(([e, r]) => [e.tagName.toLowerCase(), e.name, Math.round(r.left), Math.round(r.right), Math.round(r.height)])"""


def _translated(app: Flask, message: str, lang: str = "zh_CN") -> str:
    with app.test_request_context("/"), force_locale(lang):
        return gettext(message)


class Desk:
    """A staff account made in the app context that signs in at the phone's own browser."""

    def __init__(self, app: Flask, username: str, role: str) -> None:
        with app.app_context():
            created = accounts.create_user(username, role, PASSWORD, confirmed=True)
        self.username = username
        self.role = role
        self.user_id = created.user_id
        self.totp = pyotp.parse_uri(created.totp_uri)

    def start_sign_in(self, phone) -> None:
        """Username and password, no code: the first sign-in leads to the enrolment page."""
        page = phone.page
        phone.open("/review/login")
        page.fill("input[name=username]", self.username)
        page.fill("input[name=password]", PASSWORD)
        assert page.input_value("input[name=code]") == ""
        phone.submit()
        assert page.url.endswith("/review/enrol"), page.url
        assert page.locator(".qr svg").count() == 1

    def sign_in(self, phone) -> None:
        self.start_sign_in(phone)
        phone.page.fill("input[name=code]", self.totp.now())
        phone.submit()
        home = "/admin" if self.role == "admin" else "/review"
        assert phone.page.url.endswith(home), phone.page.url


@dataclass
class Scene:
    app: Flask
    phone: object
    cadre: object
    staff: object

    def desk(self, username: str, role: str) -> Desk:
        return Desk(self.app, username, role)

    def file_both_kinds(self, files: bool = False) -> tuple[str, str]:
        """A concern and a clarification request: their receipts."""

        def attach():
            return [upload(gen_png(), CAMERA_NAME)] if files else None

        concern = self.cadre.receipt_of(self.cadre.file_concern(files=attach(), unit="某县教育局第三科"))
        clarification = self.cadre.receipt_of(self.cadre.file_clarification(files=attach()))
        return concern, clarification

    def case_of(self, kind: str) -> str:
        with self.app.app_context():
            return db.session.scalar(db.select(Case.id).where(Case.kind == kind))


# Each scene leaves the phone on the page to measure.


def _login(s: Scene) -> None:
    s.phone.open("/review/login")


def _enrol(s: Scene) -> None:
    s.desk("zhao.rev", "reviewer").start_sign_in(s.phone)


def _queue(s: Scene) -> None:
    desk = s.desk("zhao.int", "intake")  # new cases are sealed to intake
    for i in range(3):
        s.cadre.file_concern(subject=f"Inspections {i}")
    s.cadre.file_clarification()
    with s.app.app_context():  # one overdue, so the red date shows
        case = db.session.get(Case, only_case_id(s.app))
        case.accept_due = case.due_on = dt.date(2020, 1, 2)
        db.session.commit()
    desk.sign_in(s.phone)
    s.phone.open("/review?queue=all")
    assert s.phone.page.locator(".table tbody tr").count() == 4
    assert s.phone.page.locator(".table .overdue-row").count() == 1


def _case_page(s: Scene, kind: str) -> None:
    """A supervisor (the most action forms) on a case with a file, a message each way and a note."""
    desk = s.desk("qian.sup", "supervisor")
    helper = s.staff("wang.rev", "reviewer")
    intake = s.staff("xin.fang", "intake")
    concern, clarification = s.file_both_kinds(files=True)
    case_id = s.case_of(kind)
    assert intake.accept(case_id, helper).status_code == 303  # sealed to the helper and the supervisor
    if kind == "clarification":  # accepted and verifying: finding, flag and referral forms show
        assert helper.act(case_id, "verify").status_code == 303
    page_path = f"/review/cases/{case_id}"
    sent = helper.post(
        f"{page_path}/messages",
        {"body": "Which three teams come every week?", "attachments": [upload(gen_png(), "reply.png")]},
        form_page=page_path,
    )
    assert sent.status_code == 303
    s.cadre.follow_up(concern if kind == "concern" else clarification)
    assert s.cadre.reply("County office, township and the education bureau.").status_code == 303
    noted = helper.post(f"{page_path}/notes", {"body": "Caller sounded like the deputy head."}, form_page=page_path)
    assert noted.status_code == 303

    desk.sign_in(s.phone)
    s.phone.open(page_path)
    page = s.phone.page
    assert page.locator("main form.action").count() >= 3
    assert page.locator("dl.fields dt").count() >= 3
    assert page.locator("ol.steps li").count() >= 1
    assert page.locator("ul.thread li").count() == 2
    assert page.locator(f"main a:text-is('{CAMERA_NAME}')").count() == 1
    assert page.locator("main a:text-is('reply.png')").count() == 1
    assert page.locator("main div.box").filter(has_text="Caller sounded like").count() == 1


def _case_concern(s: Scene) -> None:
    _case_page(s, "concern")


def _case_clarification(s: Scene) -> None:
    _case_page(s, "clarification")
    assert s.phone.page.locator("main select[name=finding]").count() == 1


def _grants(s: Scene) -> None:
    """Who holds a case, with the form to add a colleague (协办) and a 协办 to remove."""
    desk = s.desk("qian.sup", "supervisor")
    reviewer = s.staff("wang.rev", "reviewer")
    intake = s.staff("xin.fang", "intake")
    s.desk("late.reviewer.with.a.long.name", "reviewer")
    s.cadre.file_concern()
    case_id = only_case_id(s.app)
    assert intake.accept(case_id, reviewer).status_code == 303
    desk.sign_in(s.phone)
    s.phone.open(f"/review/cases/{case_id}/holders")
    page = s.phone.page
    page.select_option("select[name=user_id]", label="late.reviewer.with.a.long.name")
    page.fill("textarea[name=reason]", "协办：需要查阅本件材料。")
    s.phone.submit("main form[action$='/holders']")
    assert page.locator("main .cards button").count() == 1  # the colleague added can be removed


def _password(s: Scene) -> None:
    s.desk("zhao.rev", "reviewer").sign_in(s.phone)
    s.phone.open("/review/account/password")


def _admin_scene(s: Scene) -> Desk:
    desk = s.desk("root.admin", "admin")
    reviewer = s.staff("wang.rev", "reviewer")
    intake = s.staff("xin.fang", "intake")
    s.desk("qian.sup", "supervisor")
    s.desk("late.reviewer.with.a.long.name", "reviewer")
    s.cadre.file_concern()
    intake.accept(only_case_id(s.app), reviewer)
    return desk


def _accounts(s: Scene) -> None:
    _admin_scene(s).sign_in(s.phone)  # lands on /admin
    assert s.phone.page.locator("main .cards > li").count() == 5


def _audit(s: Scene) -> None:
    _admin_scene(s).sign_in(s.phone)
    s.phone.open("/admin/audit")
    assert s.phone.page.locator(".table tbody tr").count() >= 6


def _temporary_password(s: Scene) -> None:
    s.desk("root.admin", "admin").sign_in(s.phone)
    page = s.phone.page
    page.fill("input[name=username]", "new.reviewer")
    page.select_option("select[name=role]", "reviewer")
    s.phone.submit("main form[action$='/admin/accounts']")
    assert len(page.locator("p.receipt").inner_text().strip()) >= 12


# -- issue 10: decisions, own motion, referrals, bulletins, filings and the 回访 --


def _signed_in(s: Scene, member: Staff, path: str) -> None:
    """Sign ``member`` (made and enrolled through the test client) in at the phone, then open ``path``."""
    page = s.phone.page
    s.phone.open("/review/login")
    page.fill("input[name=username]", member.username)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.fill("input[name=code]", member.code())
    s.phone.submit()
    assert page.url.endswith("/review"), page.url
    s.phone.open(path)


def _people(s: Scene) -> scenes.People:
    return scenes.people(s.staff)


def _decision_propose(s: Scene) -> None:
    p = _people(s)
    _receipt, case_id = scenes.tolerance(s.app, s.cadre, p, upto="verifying")
    _signed_in(s, p.reviewer, f"/review/cases/{case_id}/decision")
    assert s.phone.page.locator("main textarea[name=measures]").count() == 1


def _decision_collective(s: Scene) -> None:
    p = _people(s)
    _receipt, case_id = scenes.tolerance(s.app, s.cadre, p, upto="decision_proposed")
    _signed_in(s, p.reviewer, f"/review/cases/{case_id}/decision")
    assert s.phone.page.locator("main select[name=approver]").count() == 1


def _case_tolerance_decided(s: Scene) -> None:
    """The decided application's case page: the decision and a form for the measure still open."""
    p = _people(s)
    _receipt, case_id = scenes.tolerance(s.app, s.cadre, p)
    _signed_in(s, p.reviewer, f"/review/cases/{case_id}")
    assert s.phone.page.locator("main form[action$='/decision/measure']").count() == 1


def _own_motion_form(s: Scene) -> None:
    p = _people(s)
    _signed_in(s, p.reviewer, "/review/clarifications/new")


def _own_motion_notice(s: Scene) -> None:
    """The opening form filled and posted at the phone (JavaScript off): the 澄清告知书 with its receipt."""
    p = _people(s)
    _signed_in(s, p.reviewer, "/review/clarifications/new")
    page = s.phone.page
    for name in ("origin_number", "origin_body", "false_items", "grounds", "real_name", "unit_name", "post"):
        page.fill(f"main [name={name}]", OPENING[name])
    page.fill("main input[name=origin_concluded_on]", OPENING["origin_concluded_on"])
    page.check(f"main input[name=finding][value={OPENING['finding']}]")
    page.check(f"main input[name=rank][value={OPENING['rank']}]")
    page.select_option("main select[name=approver]", label=p.supervisor.username)
    s.phone.submit()
    assert s.phone.page.locator("main p.receipt").count() == 1


def _plan_own_motion(s: Scene) -> None:
    p = _people(s)
    _receipt, case_id = scenes.own_motion(s.app, p)
    _signed_in(s, p.reviewer, f"/review/cases/{case_id}/plan")


def _referrals(s: Scene) -> None:
    p = _people(s)
    case_id = scenes.referred(s.app, s.cadre, p, concluded=False)
    _signed_in(s, p.supervisor, f"/review/cases/{case_id}/referrals")
    assert s.phone.page.locator("main form[action$='/referrals/outcome']").count() >= 1


def _referral_ledger(s: Scene) -> None:
    p = _people(s)
    scenes.referred(s.app, s.cadre, p, concluded=False)
    scenes.referred(s.app, s.cadre, p)
    _signed_in(s, p.supervisor, "/review/referrals")


def _bulletin_draft(s: Scene) -> None:
    p = _people(s)
    case_id = scenes.referred(s.app, s.cadre, p)
    _signed_in(s, p.supervisor, f"/review/cases/{case_id}/bulletin")
    assert s.phone.page.locator("main select[name=approver]").count() == 1


def _bulletin_approval(s: Scene) -> None:
    p = _people(s)
    case_id = scenes.bulletin_submitted(s.app, s.cadre, p)
    _signed_in(s, p.leader, f"/review/cases/{case_id}/bulletin")
    assert s.phone.page.locator("main form").count() >= 2  # approve, return


def _bulletins(s: Scene) -> None:
    p = _people(s)
    scenes.bulletin_published(s.app, s.cadre, p)
    _signed_in(s, p.supervisor, "/review/bulletins")


def _bulletin_correction(s: Scene) -> None:
    p = _people(s)
    _case, bulletin_id = scenes.bulletin_published(s.app, s.cadre, p)
    _signed_in(s, p.supervisor, f"/review/bulletins/{bulletin_id}/correct")
    assert s.phone.page.locator("main form").count() >= 2  # correct, withdraw


def _case_filings(s: Scene) -> None:
    p = _people(s)
    _receipt, case_id = scenes.plan_approved(s.app, s.cadre, p)
    _signed_in(s, p.reviewer, f"/review/cases/{case_id}")
    assert s.phone.page.locator("main form[action$='/plan/filing']").count() == 2


def _case_visit(s: Scene) -> None:
    p = _people(s)
    _receipt, case_id = scenes.plan_approved(s.app, s.cadre, p, carried_out=True)
    _signed_in(s, p.reviewer, f"/review/cases/{case_id}")
    assert s.phone.page.locator("main form[action$='/visit']").count() == 1


PAGES = {
    "login": _login,
    "enrol": _enrol,
    "queue": _queue,
    "case-concern": _case_concern,
    "case-clarification": _case_clarification,
    "grants": _grants,
    "password": _password,
    "accounts": _accounts,
    "audit": _audit,
    "temporary-password": _temporary_password,
    # issue 10
    "decision-propose": _decision_propose,
    "decision-collective": _decision_collective,
    "case-tolerance-decided": _case_tolerance_decided,
    "own-motion-form": _own_motion_form,
    "own-motion-notice": _own_motion_notice,
    "plan-own-motion": _plan_own_motion,
    "referrals": _referrals,
    "referral-ledger": _referral_ledger,
    "bulletin-draft": _bulletin_draft,
    "bulletin-approval": _bulletin_approval,
    "bulletins": _bulletins,
    "bulletin-correction": _bulletin_correction,
    "case-filings": _case_filings,
    "case-visit": _case_visit,
}


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_staff_page_fits_a_phone_screen(name, lang, app, phone, cadre, staff, context, live_server, tmp_path):
    if lang != "zh_CN":
        context.add_cookies([{"name": "zm_lang", "value": lang, "url": live_server}])
    PAGES[name](Scene(app, phone, cadre, staff))
    page = phone.page
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh_CN" else "en")

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, (name, lang, scroll_width, page.evaluate(_WIDE, WIDTH))
    # Wide tables scroll inside their own box; the box itself stays on the screen.
    for right, _content, _visible in page.evaluate(_TABLES):
        assert right <= WIDTH, (name, lang, page.evaluate(_TABLES))
    assert page.evaluate(_CONTROLS, WIDTH) == [], (name, lang)
    assert page.evaluate(CHOICES_OFF_THEIR_LABEL) == [], (name, lang)

    shot = tmp_path / f"{name}-{lang}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 1000
    with Image.open(shot) as image:
        assert image.width == WIDTH and image.height >= VIEWPORT["height"]


def test_intake_accepts_and_assigns_a_case_with_the_button(app, phone, cadre, live_server):
    """JavaScript off: the Accept button posts its form with the assignee chosen; the page then shows the new state."""
    desk = Desk(app, "zhao.int", "intake")
    reviewer = Desk(app, "zhao.rev", "reviewer")
    cadre.file_concern()
    case_id = only_case_id(app)
    desk.sign_in(phone)
    page = phone.page
    phone.open(f"/review/cases/{case_id}")
    assert page.locator("span.state").inner_text() == _translated(app, "Submitted")

    accept = page.locator("main form.action").filter(has=page.locator("input[name=action][value=accept]"))
    accept.locator("select[name=assignee]").select_option(label="zhao.rev")
    button = accept.get_by_role("button", name=_translated(app, "Accept and assign"), exact=True)
    assert button.is_visible()
    with page.expect_navigation() as navigation:
        button.click()
    assert navigation.value is not None and navigation.value.status == 200
    assert page.url == f"{live_server}/review/cases/{case_id}"
    assert page.locator("span.state").inner_text() == _translated(app, "Accepted")
    assert page.locator("ul.flash li").count() == 1
    assert page.locator("ol.steps li").count() == 2
    assert page.locator("main input[name=action][value=accept]").count() == 0
    assert page.locator("main input[name=action][value=start]").count() == 0  # the assignee starts it
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert (case.state, case.assignee_id) == ("accepted", reviewer.user_id)


#: Per-row form controls of the account and grant lists, with the visible part of their list:
#: [tag, type, left, right, width, box left, box right].
_TABLE_CONTROLS = """() => Array.from(document.querySelectorAll('main .cards button, main .cards input:not([type=hidden])'))
  .map(e => [e, e.getBoundingClientRect(), e.closest('.cards').getBoundingClientRect()])
  .map(([e, r, b]) => [e.tagName.toLowerCase(), e.type, Math.round(r.left), Math.round(r.right), Math.round(r.width),
                       Math.round(b.left), Math.round(b.right)])"""


@pytest.mark.parametrize("name", ["grants", "accounts"])
def test_row_actions_are_usable_without_scrolling_sideways(name, app, phone, cadre, staff):
    PAGES[name](Scene(app, phone, cadre, staff))
    page = phone.page
    unusable = []
    for lang in ("zh_CN", "en"):
        if lang == "en":  # the header's language link, back to the same page
            with page.expect_navigation():
                page.click("header nav a[lang=en]")
        assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh_CN" else "en")
        controls = page.evaluate(_TABLE_CONTROLS)
        assert controls
        for tag, kind, left, right, width, box_left, box_right in controls:
            # On screen without sideways scrolling; wide enough for a thumb and, for the passphrase, to type in.
            if not (box_left <= left and right <= box_right) or width < (120 if kind == "password" else 44):
                unusable.append((lang, tag, kind, left, right, width, box_right))
    assert unusable == []
