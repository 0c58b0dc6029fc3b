"""axe-core on every page state of the cadre's, the public's and the staff's journeys.

Each state is checked in zh_CN and in English, at 360 px and at 1280 px: no WCAG 2.1 A or AA
violation, no best-practice violation of impact serious or critical, and no horizontal scroll
at 360 px. One app, one loopback server and one browser serve the whole module; the cases
behind the pages are set up once through the test client, then each journey walks its pages
in a loop and reports every problem of every state at once.

axe-core comes inside axe-playwright-python (nothing is fetched). Its run waits on timers,
which never fire in a context with JavaScript off, so these contexts have JavaScript on; the
site ships no script, so the pages are the same ones a cadre without JavaScript gets (the
other browser tests keep JavaScript off).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyotp
import pytest
from flask import Flask
from werkzeug.serving import make_server

from portal.domain.plan import Naming, NoticeDraft
from portal.extensions import db
from portal.models import Case, Notice
from portal.services import accounts, notices
from tests.browser import issue10_scenes as scenes
from tests.browser.conftest import LOOPBACK
from tests.conftest import STAFF_PASSWORD, Cadre, Staff, _client, _finish, _prepare, make_app
from tests.factories import gen_png, upload
from tests.web.own_motion_helpers import OPENING
from tests.web.review.test_clarification_plan import draft, found_false, submitter_post

pytestmark = pytest.mark.browser

LANGS = ("zh_CN", "en")
WIDTHS = (360, 1280)
PHONE = 360
#: What axe must not find: every WCAG 2.1 A/AA rule, and best practice at these impacts.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BEST_PRACTICE_IMPACTS = ("serious", "critical")
PASSWORD = "axe staff password"

_AXE = f"axe.run(document, {json.dumps({'runOnly': {'type': 'tag', 'values': TAGS}, 'resultTypes': ['violations']})})"

#: Elements sticking out to the right outside a scrolling table box: names them when a page overflows.
_WIDE = """(limit) => Array.from(document.querySelectorAll('body *'))
  .filter(e => !e.closest('.table'))
  .map(e => [e, e.getBoundingClientRect()])
  .filter(([e, r]) => r.width > 0 && r.right > limit + 0.5)
  .slice(0, 5)
  .map(([e, r]) => `${e.tagName.toLowerCase()}${e.className ? '.' + e.className : ''} right=${Math.round(r.right)}`)"""


@dataclass
class World:
    """The app behind the server, and the receipts, cases and people its journeys visit."""

    app: Flask
    base: str
    concern_receipt: str = ""
    consent_receipt: str = ""
    carried_receipt: str = ""
    cases: dict[str, str] = field(default_factory=dict)
    notice_id: int = 0
    new_case: str = ""  # a concern still waiting for intake's decision
    people: dict[str, Staff] = field(default_factory=dict)
    issue10: dict[str, str] = field(default_factory=dict)  # issue 10's receipts and pages
    issue11: dict[str, str] = field(default_factory=dict)  # issue 11's receipts and pages


def _staff_factory(app: Flask, people: dict[str, Staff]) -> Callable[..., Staff]:
    def make(username: str, role: str, login: bool = True) -> Staff:
        member = Staff(app, username, role)
        if login:
            assert member.login().status_code == 303
        people[username] = member
        return member

    return make


def _new_case(app: Flask, known: dict[str, str]) -> str:
    with app.app_context():
        return db.session.scalar(db.select(Case.id).where(Case.id.not_in(list(known.values()) or [""])))


def _populate(world: World) -> None:
    """Cases in the states whose pages differ; found_false wants the first case of the database."""
    app = world.app
    cadre = Cadre(_client(app))
    staff = _staff_factory(app, world.people)
    world.carried_receipt, carried, reviewer, chief, _deputy = found_false(app, cadre, staff)
    intake = world.people["xin.fang"]  # found_false made the body's intake officer
    world.cases["plan_approved"] = carried
    assert draft(reviewer, carried).status_code == 303
    cadre.follow_up(world.carried_receipt)
    assert submitter_post(cadre, "/followup/consent").status_code == 303
    assert chief.act(carried, "approve_plan").status_code == 303
    with app.app_context():
        world.notice_id = db.session.scalar(db.select(Notice.id).where(Notice.case_id == carried))
        notices.publish(
            NoticeDraft(
                number="青纪澄〔2026〕3号",
                title="关于对城关镇副镇长李某有关问题核查情况的澄清公告",
                naming=Naming.SURNAME,
                person="李某某",
                unit="青山县城关镇人民政府",
                post="副镇长",
                allegation="反映其在村道硬化工程验收中收受礼品。",
                body_html="<p>经核查，<strong>反映问题失实</strong>。</p><p>现予以澄清正名。</p>",
                issuer="青山县纪委监委",
                issued_on=dt.date(2026, 11, 20),
            ),
            case_id=None,
        )
        db.session.commit()

    world.consent_receipt = cadre.receipt_of(cadre.file_clarification())
    consent = world.cases["awaiting_consent"] = _new_case(app, world.cases)
    assert intake.accept(consent, reviewer).status_code == 303
    assert reviewer.act(consent, "verify").status_code == 303
    reviewer.act(consent, "propose_finding", finding="found_false", reason="Accounts and witnesses.")
    assert chief.act(consent, "approve_finding", reason="经核查，反映问题失实。").status_code == 303
    assert draft(reviewer, consent).status_code == 303

    cadre.file_clarification()
    proposed = world.cases["finding_proposed"] = _new_case(app, world.cases)
    assert intake.accept(proposed, reviewer).status_code == 303
    assert reviewer.act(proposed, "verify").status_code == 303
    assert reviewer.act(proposed, "propose_finding", finding="unverifiable", reason="No witness.").status_code == 303

    cadre.file_clarification()
    found = world.cases["found_false"] = _new_case(app, world.cases)
    assert intake.accept(found, reviewer).status_code == 303
    assert reviewer.act(found, "verify").status_code == 303
    reviewer.act(found, "propose_finding", finding="found_false", reason="Records.")
    assert chief.act(found, "approve_finding", reason="经核查，反映问题失实。").status_code == 303

    world.concern_receipt = cadre.receipt_of(cadre.file_concern(files=[upload(gen_png(), "IMG_0001.png")]))
    concern = world.cases["concern"] = _new_case(app, world.cases)
    page = f"/review/cases/{concern}"
    assert intake.accept(concern, reviewer).status_code == 303  # so the supervisor holds it too
    sent = reviewer.post(f"{page}/messages", {"body": "Which teams come every week?"}, form_page=page)
    assert sent.status_code == 303
    cadre.follow_up(world.concern_receipt)
    assert cadre.reply("The county office, the township and the education bureau.").status_code == 303
    assert reviewer.post(f"{page}/notes", {"body": "Check the inspection plan."}, form_page=page).status_code == 303
    with app.app_context():  # one overdue, so the red row shows
        case = db.session.get(Case, concern)
        case.answer_due = case.due_on = dt.date(2020, 1, 2)
        db.session.commit()
    cadre.file_concern(subject="Still waiting for intake")
    world.new_case = _new_case(app, {**world.cases, "x": concern})
    staff("late.reviewer", "reviewer", login=False)  # made after the cases: holds none of them
    staff("root.admin", "admin")
    _populate_issue10(world, cadre, staff)
    _populate_issue11(world, cadre, staff)


def _populate_issue10(world: World, cadre: Cadre, staff: Callable[..., Staff]) -> None:
    """Issue 10's cases. Its staff pages are walked by zhao.rev, sun.sup and sun.lead, so no account
    signs in at the browser more often than its codes allow (qian.sup and xin.fang walk the other pages)."""
    app, at = world.app, world.issue10
    p = scenes.people(staff, known=world.people, supervisor="sun.sup")
    at["tolerance_receipt"], decided = scenes.tolerance(app, cadre, p)
    at["decided"] = f"/review/cases/{decided}"
    _receipt, verifying = scenes.tolerance(app, cadre, p, upto="verifying")
    at["propose"] = f"/review/cases/{verifying}/decision"
    _receipt, proposed = scenes.tolerance(app, cadre, p, upto="decision_proposed")
    at["collective"] = f"/review/cases/{proposed}/decision"
    at["real_name_receipt"], _case = scenes.real_name_concern(app, cadre, p)
    at["own_motion_receipt"], own = scenes.own_motion(app, p)
    at["own_motion_plan"] = f"/review/cases/{own}/plan"
    _receipt, approved = scenes.plan_approved(app, cadre, p)
    at["filings"] = f"/review/cases/{approved}"
    at["feedback_receipt"], carried = scenes.plan_approved(app, cadre, p, carried_out=True)
    at["visit"] = f"/review/cases/{carried}"
    referred = scenes.referred(app, cadre, p, concluded=False)
    at["referrals"] = f"/review/cases/{referred}/referrals"
    concluded = scenes.referred(app, cadre, p)
    at["bulletin_draft"] = f"/review/cases/{concluded}/bulletin"
    submitted = scenes.bulletin_submitted(app, cadre, p)
    at["bulletin_approval"] = f"/review/cases/{submitted}/bulletin"
    _case, bulletin_id = scenes.bulletin_published(app, cadre, p)
    at["bulletin"] = f"/notices/bulletins/{bulletin_id}"
    at["bulletin_correction"] = f"/review/bulletins/{bulletin_id}/correct"


@pytest.fixture(scope="module")
def world(schema: str) -> Iterator[World]:
    app = make_app(schema)
    _prepare(app)
    server = make_server(LOOPBACK, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        made = World(app=app, base=f"http://{LOOPBACK}:{server.server_port}")
        _populate(made)
        yield made
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        _finish(app)


class Audit:
    """Walks pages in one browser context and collects what axe and the width check find."""

    def __init__(self, browser, world: World, lang: str) -> None:
        from axe_playwright_python.base import AXE_SCRIPT

        self.world = world
        self.lang = lang
        self.context = browser.new_context(
            viewport={"width": PHONE, "height": 740}, base_url=world.base, service_workers="block"
        )
        self.context.set_default_timeout(15_000)
        self.context.add_init_script(AXE_SCRIPT)  # in every page from its start: parsed once a page, not per run
        self.context.add_cookies([{"name": "zm_lang", "value": lang, "url": world.base}])
        self.foreign: list[str] = []
        self.context.on("request", self._request)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.states: list[str] = []

    def _request(self, request) -> None:
        if not request.url.startswith(self.world.base):
            self.foreign.append(request.url)

    def open(self, path: str, status: int = 200) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status == status, (path, response and response.status)

    def press(self, form: str, status: int | None = 200) -> None:
        """Press a form's submit button and wait for the page it leads to (of any status if None)."""
        with self.page.expect_navigation() as navigation:
            self.page.locator(form).locator("button[type=submit]").first.click()
        response = navigation.value
        assert response is not None and status in (None, response.status), (form, response and response.status)

    def check(self, state: str) -> None:
        """axe at both widths; no sideways scroll on the phone."""
        self.states.append(state)
        assert self.page.locator("html").get_attribute("lang") == ("zh-CN" if self.lang == "zh_CN" else "en")
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 740})
            where = f"{state} [{self.lang}, {width} px]"
            if width == PHONE:
                scroll = self.page.evaluate("document.documentElement.scrollWidth")
                if scroll > PHONE:
                    self.problems.append(f"{where}: scrolls sideways ({scroll} px): {self.page.evaluate(_WIDE, PHONE)}")
            for v in self.page.evaluate(_AXE)["violations"]:
                wcag = any(tag.startswith("wcag") for tag in v["tags"])
                if wcag or v["impact"] in BEST_PRACTICE_IMPACTS:
                    targets = [" ".join(map(str, node["target"])) for node in v["nodes"][:3]]
                    self.problems.append(f"{where}: {v['id']} ({v['impact']}): {v['help']} at {targets}")
        self.page.set_viewport_size({"width": PHONE, "height": 740})

    def sign_in(self, username: str) -> None:
        """The browser's own sign-in with the next unused TOTP code of that account."""
        member = self.world.people[username]
        self.open("/review/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", STAFF_PASSWORD)
        self.page.fill("input[name=code]", member.code())
        self.press("main form")

    def close(self) -> None:
        self.context.close()
        assert not self.foreign, self.foreign


@pytest.fixture(params=LANGS)
def audit(request, browser, world: World) -> Iterator[Audit]:
    walk = Audit(browser, world, request.param)
    yield walk
    walk.close()
    assert walk.problems == [], "\n".join(walk.problems)


def test_the_cadres_journey(audit: Audit, tmp_path) -> None:
    w, page = audit.world, audit.page
    audit.open("/followup/status", status=401)
    audit.check("session ended")
    audit.open("/nowhere", status=404)
    audit.check("not found")
    audit.open("/")
    audit.check("landing")
    audit.open("/submit/concern")
    audit.check("concern form")
    audit.press("main form", status=400)
    audit.check("concern form with errors")
    page.check("input[name=category][value=workload]")
    page.fill("input[name=subject]", "基层负担")
    page.fill("textarea[name=description]", "每周三个检查组要同样的材料。")
    audit.press("main form")
    audit.check("receipt")
    audit.press("main form")  # "I have written it down": the next form is not held back by the receipt
    audit.open("/submit/clarification")
    audit.check("clarification form")
    audit.press("main form", status=400)
    audit.check("clarification form with errors")
    audit.open("/followup")
    audit.check("follow-up form")
    page.fill("input[name=receipt]", "0000 0000 0000 0000")
    audit.press("main form", status=400)
    audit.check("follow-up, receipt refused")
    for state, receipt in (
        ("status: concern with a thread", w.concern_receipt),
        ("status: plan awaiting consent", w.consent_receipt),
        ("status: clarification carried out", w.carried_receipt),
    ):
        audit.open("/followup")
        page.fill("input[name=receipt]", receipt)
        audit.press("main form")
        audit.check(state)
    audit.open("/followup")
    page.fill("input[name=receipt]", w.consent_receipt)
    audit.press("main form")
    audit.press("form[action$='/followup/consent']")
    audit.check("consent confirmation")
    audit.open("/followup/status")
    audit.press("form[action$='/followup/decline']", status=400)
    audit.check("decline without a comment")


def test_the_publics_journey(audit: Audit) -> None:
    audit.open("/notices")
    audit.check("notices")
    audit.open("/notices?q=%E6%B2%A1%E6%9C%89%E8%BF%99%E4%B8%AA")
    audit.check("notices, nothing found")
    audit.open(f"/notices/{audit.world.notice_id}")
    audit.check("notice")


def test_the_staff_journey(audit: Audit) -> None:
    w, page = audit.world, audit.page
    audit.open("/review/login")
    audit.check("sign-in")
    page.fill("input[name=username]", "nobody.here")
    page.fill("input[name=password]", "wrong password")
    audit.press("main form", status=401)
    audit.check("sign-in refused")
    with w.app.app_context():  # a first sign-in leads to the authenticator enrolment
        created = accounts.create_user(f"new.{audit.lang.lower()}", "reviewer", PASSWORD, confirmed=True)
    page.fill("input[name=username]", f"new.{audit.lang.lower()}")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=code]", "")
    audit.press("main form")
    audit.check("authenticator enrolment")
    page.fill("input[name=code]", pyotp.parse_uri(created.totp_uri).now())
    audit.press("main form")
    audit.check("queue of a newcomer")
    audit.context.clear_cookies()
    audit.context.add_cookies([{"name": "zm_lang", "value": audit.lang, "url": w.base}])

    audit.sign_in("qian.sup")
    audit.check("queue opened on the tab with work")
    audit.open("/review?queue=all&sort=deadline")
    audit.check("queue by deadline")
    audit.open("/review?queue=all&kind=concern&state=closed")
    audit.check("queue, filtered to nothing")
    for state, case in w.cases.items():
        audit.open(f"/review/cases/{case}")
        audit.check(f"case: {state}")
    audit.open(f"/review/cases/{w.cases['found_false']}/plan")
    audit.check("clarification plan form")
    audit.press("main form", status=400)
    audit.check("clarification plan form with errors")
    audit.open("/review/grants")
    audit.check("access grants")
    audit.open(f"/review/cases/{w.cases['concern']}/holders")
    audit.check("who holds a case, and adding a colleague")
    audit.open("/review/recover")
    audit.check("recovery from the escrow key")
    audit.open("/review/escrow")
    audit.check("the body's escrow key")
    audit.open(f"/review/notices/{w.notice_id}/correct")
    audit.check("notice correction")
    audit.open("/review/account/password")
    audit.check("password")

    # The intake desk: a new case is sealed to intake only.
    audit.context.clear_cookies()
    audit.context.add_cookies([{"name": "zm_lang", "value": audit.lang, "url": w.base}])
    audit.sign_in("xin.fang")
    audit.check("intake queue")
    new = f"/review/cases/{w.new_case}"
    audit.open(new)
    audit.check("case: waiting for acceptance")
    audit.press("main form.action:has(input[name=action][value=refuse])", status=None)
    audit.check("case: a step refused (no reason given)")
    audit.open(new)
    page.fill("main form.action:has(input[name=action][value=refuse]) textarea", "Outside our remit.")
    audit.press("main form.action:has(input[name=action][value=refuse])")
    audit.check("confirmation of a step")
    audit.open(f"{new}/transfer")
    audit.check("transfer to another body")
    audit.open("/review/transfers")
    audit.check("cases sent to other bodies")


def test_the_admins_journey(audit: Audit) -> None:
    page = audit.page
    audit.sign_in("root.admin")
    audit.check("accounts")
    audit.open("/admin/audit")
    audit.check("audit log")
    audit.open("/admin/audit?action=case_view")
    audit.check("audit log, filtered")
    audit.open("/admin")
    page.fill("input[name=username]", f"made.{audit.lang.lower()}")
    page.select_option("select[name=role]", "reviewer")
    audit.press("main form[action$='/admin/accounts']")
    audit.check("temporary password")


# -- issue 10: fault tolerance, real-name concerns, own motion, referrals, bulletins, the 回访 --


def test_the_cadres_issue10_journey(audit: Audit) -> None:
    w, page = audit.world, audit.page
    audit.open("/submit/fault-tolerance")
    audit.check("fault-tolerance form")
    audit.press("main form", status=400)
    audit.check("fault-tolerance form with errors")
    audit.open("/submit/concern")
    page.check("input[name=category][value=workload]")
    page.fill("input[name=subject]", "基层负担")
    page.fill("textarea[name=description]", "每周三个检查组要同样的材料。")
    page.check("input[name=identity][value=real_name]")
    audit.press("main form", status=400)
    audit.check("real-name concern without the name")
    for state, receipt in (
        ("status: fault tolerance decided, measures, objection form", w.issue10["tolerance_receipt"]),
        ("status: real-name concern with its clocks", w.issue10["real_name_receipt"]),
        ("status: own-motion clarification", w.issue10["own_motion_receipt"]),
        ("status: carried out, the 回访 feedback form", w.issue10["feedback_receipt"]),
    ):
        audit.open("/followup")
        page.fill("input[name=receipt]", receipt)
        audit.press("main form")
        audit.check(state)
    audit.open("/followup")
    page.fill("input[name=receipt]", w.issue10["tolerance_receipt"])
    audit.press("main form")
    page.fill("form[action$='/followup/object'] textarea", "损失由施工方造成。")
    audit.press("form[action$='/followup/object']")  # asks first: nothing is written yet
    audit.check("objection: asked to confirm")


def test_the_publics_issue10_journey(audit: Audit) -> None:
    bulletin = audit.world.issue10["bulletin"]
    audit.open("/notices/bulletins")
    audit.check("bulletins")
    audit.open("/notices/bulletins?q=%E6%B2%A1%E6%9C%89%E8%BF%99%E4%B8%AA")
    audit.check("bulletins, nothing found")
    audit.open(bulletin)
    audit.check("bulletin")
    audit.open(f"{bulletin}/print")
    audit.check("bulletin, print view")


def test_the_staff_issue10_journey(audit: Audit) -> None:
    w, page, at = audit.world, audit.page, audit.world.issue10
    audit.sign_in("zhao.rev")
    for state, path in (
        ("decision page: propose", at["propose"]),
        ("decision page: collective record", at["collective"]),
        ("case: fault tolerance decided, measures", at["decided"]),
        ("plan form of an own-motion case", at["own_motion_plan"]),
        ("case: plan approved, filings", at["filings"]),
        ("case: carried out, the 回访 form", at["visit"]),
    ):
        audit.open(path)
        audit.check(state)
    audit.open(at["propose"])
    audit.press("main form[action$='/decision']", status=400)
    audit.check("decision page: proposal with errors")
    audit.open("/review/clarifications/new")
    audit.check("own-motion opening form")
    audit.press("main form", status=400)
    audit.check("own-motion opening form with errors")
    for name in ("origin_number", "origin_body", "false_items", "grounds", "real_name", "unit_name", "post"):
        page.fill(f"main [name={name}]", OPENING[name])
    page.fill("main input[name=origin_concluded_on]", OPENING["origin_concluded_on"])
    page.check(f"main input[name=finding][value={OPENING['finding']}]")
    page.check(f"main input[name=rank][value={OPENING['rank']}]")
    page.select_option("main select[name=approver]", label="sun.sup")
    audit.press("main form")
    audit.check("澄清告知书 with its receipt")

    audit.context.clear_cookies()
    audit.context.add_cookies([{"name": "zm_lang", "value": audit.lang, "url": w.base}])
    audit.sign_in("sun.sup")
    for state, path in (
        ("accusation page: referred, awaiting feedback", at["referrals"]),
        ("the referral ledger", "/review/referrals"),
        ("bulletin draft form", at["bulletin_draft"]),
        ("bulletins", "/review/bulletins"),
        ("bulletin correction", at["bulletin_correction"]),
    ):
        audit.open(path)
        audit.check(state)
    audit.open(at["bulletin_draft"])
    audit.press("main form", status=400)
    audit.check("bulletin draft form with errors")

    audit.context.clear_cookies()
    audit.context.add_cookies([{"name": "zm_lang", "value": audit.lang, "url": w.base}])
    audit.sign_in("sun.lead")
    audit.open(at["bulletin_approval"])
    audit.check("bulletin waiting for the leader's approval")


# -- h11ui: issue 11's statistics and official documents --


def _populate_issue11(world: World, cadre: Cadre, staff: Callable[..., Staff]) -> None:
    """Documents issued by wu.rev (who walks them: no other journey signs it in), statistics read by zhou.lead."""
    from tests.browser import issue11_scenes

    app, at = world.app, world.issue11
    reviewer = staff("wu.rev", "reviewer")
    staff("zhou.lead", "leader")
    made = issue11_scenes.documents(app, cadre, world.people["xin.fang"], reviewer)
    at["receipt"] = made.receipt
    at["documents"], at["document"], at["issue_form"] = made.documents, made.document, made.issue_form
    issue11_scenes.statistics_cases(app)


def test_the_staff_issue11_journey(audit: Audit) -> None:
    at = audit.world.issue11
    audit.sign_in("wu.rev")
    for state, path in (
        ("official documents of a case", at["documents"]),
        ("an issued 答复意见书", at["document"]),
        ("the issue form of a 受理告知书", at["issue_form"]),
    ):
        audit.open(path)
        audit.check(state)
    audit.page.fill("main textarea[name=text]", " ")
    audit.press("main form", status=400)
    audit.check("the issue form with errors")

    audit.context.clear_cookies()
    audit.context.add_cookies([{"name": "zm_lang", "value": audit.lang, "url": audit.world.base}])
    audit.sign_in("zhou.lead")
    audit.open("/review/statistics")
    audit.check("statistics of the body")
    audit.open(f"/review/statistics?year={audit.page.locator('select[name=year]').input_value()}&quarter=4")
    audit.check("statistics of a quarter")


def test_the_cadres_and_publics_issue11_pages(audit: Audit) -> None:
    audit.open("/followup")
    audit.page.fill("input[name=receipt]", audit.world.issue11["receipt"])
    audit.press("main form")
    audit.check("status: answered, with two documents")
    audit.open("/notices/figures")
    audit.check("public yearly figures")
    audit.open(f"/notices/{audit.world.notice_id}")
    audit.check("notice with its number and files")
