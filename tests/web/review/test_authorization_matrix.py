"""Who may do what under /review and /admin: every route, every method, eight principals.

The principals cover the body and holder dimensions: the case's holders (its body's intake
officer, its assignee and the assignee's supervisor), a member of the same body who holds no
key for it (bystander), a member of another body (outsider), an admin, a disabled account
and an anonymous browser. The table below is checked against ``app.url_map``: a new staff
route fails ``test_every_staff_route_is_in_the_matrix`` until it gets a row here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.domain.bulletins import BulletinText
from portal.domain.plan import Naming, NoticeDraft
from portal.domain.workflow import Action
from portal.extensions import db
from portal.models import Attachment, AuditEntry, Case, Message, Note, User
from portal.services import accounts as accounts_service
from portal.services import bodies, bulletins, casework, form_tokens, holdings, notices, staff_admin
from portal.services.opened_case import StepInput
from tests.conftest import (
    ESCROW_PASSPHRASE,
    STAFF_PASSWORD,
    Cadre,
    Staff,
    _client,
    _finish,
    _prepare,
    hidden,
    make_app,
    only_case_id,
)
from tests.factories import gen_png, private_key_of, upload
from tests.web.own_motion_helpers import OPENING as OWN_MOTION_OPENING

#: Distinctive plaintext of the case; only case workers may ever see it.
SUBJECT = "Quota of inspections ZM-SUBJ-4471"
DESCRIPTION = "Three teams ask for the same reports ZM-DESC-9032."

ANONYMOUS, INTAKE, REVIEWER, SUPERVISOR = "anonymous", "intake", "reviewer", "supervisor"
BYSTANDER, OUTSIDER, ADMIN, DISABLED = "bystander", "outsider", "admin", "disabled"
PRINCIPALS = (ANONYMOUS, INTAKE, REVIEWER, SUPERVISOR, BYSTANDER, OUTSIDER, ADMIN, DISABLED)
#: Who holds the case's key: its body's intake officer, its assignee, the assignee's supervisor.
HOLDERS = (INTAKE, REVIEWER, SUPERVISOR)
STAFF_PREFIXES = ("/review", "/admin")


@dataclass(frozen=True)
class Redirect:
    status: int
    path: str


LOGIN = Redirect(302, "/review/login")  # Flask-Login's answer to a missing or dead session


def to(path: str) -> Redirect:
    return Redirect(302, path)


def see(path: str) -> Redirect:
    return Redirect(303, path)


F = 403
CASE = "/review/cases/<case_id>"
NOTICE = "/review/notices/<int:notice_id>"
OWN_MOTION = "/review/clarifications/new"  # issue 10
BULLETIN = "/review/bulletins/<int:bulletin_id>"  # 典型案例通报 (issue 10)

# fmt: off
L, H = to("/review"), see(CASE)  # a signed-in case worker at the login page; a step done on the case
#: (method, rule): expected answer for       anonymous intake  reviewer  supervisor  bystander outsider admin  disabled
MATRIX: dict[tuple[str, str], tuple] = {
    ("GET",  "/review/login"):                     (200,   L,      L,      L,      L,      L,      to("/admin"),   200),
    ("POST", "/review/login"):                     (401,   L,      L,      L,      L,      L,      to("/admin"),   401),
    ("GET",  "/review/enrol"):                     (401,   401,    401,    401,    401,    401,    401,            401),
    ("POST", "/review/enrol"):                     (401,   401,    401,    401,    401,    401,    401,            401),
    ("POST", "/review/logout"):                    (LOGIN, see("/review/login"), see("/review/login"), see("/review/login"),
                                                    see("/review/login"), see("/review/login"), see("/review/login"), LOGIN),
    ("GET",  "/review/account/password"):          (LOGIN, 200,    200,    200,    200,    200,    200,            LOGIN),
    ("POST", "/review/account/password"):          (LOGIN, 400,    400,    400,    400,    400,    400,            LOGIN),
    ("GET",  "/review"):                           (LOGIN, 200,    200,    200,    200,    200,    F,              LOGIN),
    ("GET",  CASE):                                (LOGIN, 200,    200,    200,    F,      F,      F,              LOGIN),
    ("POST", CASE + "/act"):                       (LOGIN, F,      H,      H,      F,      F,      F,              LOGIN),
    ("POST", CASE + "/messages"):                  (LOGIN, F,      H,      H,      F,      F,      F,              LOGIN),
    ("POST", CASE + "/notes"):                     (LOGIN, F,      H,      H,      F,      F,      F,              LOGIN),
    ("GET",  CASE + "/files/<file_id>"):           (LOGIN, 200,    200,    200,    F,      F,      F,              LOGIN),
    ("GET",  CASE + "/archive"):                   (LOGIN, 409,    409,    409,    F,      F,      F,              LOGIN),  # open
    ("GET",  CASE + "/archive.pdf"):               (LOGIN, 409,    409,    409,    F,      F,      F,              LOGIN),  # open
    ("GET",  CASE + "/plan"):                      (LOGIN, 200,    200,    200,    F,      F,      F,              LOGIN),
    ("POST", CASE + "/plan"):                      (LOGIN, 409,    409,    409,    F,      F,      F,              LOGIN),
    ("POST", CASE + "/plan/done"):                 (LOGIN, 409,    409,    409,    F,      F,      F,              LOGIN),
    ("GET",  NOTICE + "/correct"):                 (LOGIN, F,      F,      200,    F,      F,      F,              LOGIN),
    ("POST", NOTICE + "/correct"):                 (LOGIN, F,      F,      see(NOTICE + "/correct"), F, F, F,      LOGIN),
    ("POST", NOTICE + "/withdraw"):                (LOGIN, F,      F,      see(NOTICE + "/correct"), F, F, F,      LOGIN),
    ("GET",  CASE + "/transfer"):                  (LOGIN, 409,    F,      F,      F,      F,      F,              LOGIN),
    ("POST", CASE + "/transfer"):                  (LOGIN, 409,    F,      F,      F,      F,      F,              LOGIN),
    ("GET",  "/review/transfers"):                 (LOGIN, 200,    200,    200,    200,    200,    F,              LOGIN),
    ("GET",  "/review/grants"):                    (LOGIN, F,      F,      200,    F,      200,    F,              LOGIN),
    ("GET",  CASE + "/holders"):                   (LOGIN, 200,    200,    200,    F,      F,      F,              LOGIN),
    ("POST", CASE + "/holders"):                   (LOGIN, F,      F,      see(CASE + "/holders"), F, F, F,        LOGIN),
    ("POST", CASE + "/holders/revoke"):            (LOGIN, F,      F,      409,    F,      F,      F,              LOGIN),
    ("GET",  "/review/escrow"):                    (LOGIN, F,      F,      200,    F,      200,    F,              LOGIN),
    ("POST", "/review/escrow"):                    (LOGIN, F,      F,      409,    F,      409,    F,              LOGIN),  # set already
    ("POST", "/review/escrow/passphrase"):         (LOGIN, F,      F,      400,    F,      400,    F,              LOGIN),  # wrong current
    ("GET",  "/review/recover"):                   (LOGIN, F,      F,      200,    F,      200,    F,              LOGIN),
    ("POST", "/review/recover"):                   (LOGIN, F,      F,      409,    F,      404,    F,              LOGIN),
    ("POST", "/review/grants/<int:user_id>/confirm"): (LOGIN, F,   F,      see("/review/grants"), F, see("/review/grants"), F, LOGIN),
    ("GET",  "/admin"):                            (LOGIN, F,      F,      F,      F,      F,      200,            LOGIN),
    ("POST", "/admin/accounts"):                   (LOGIN, F,      F,      F,      F,      F,      200,            LOGIN),
    ("POST", "/admin/accounts/<int:user_id>/disable"): (LOGIN, F,  F,      F,      F,      F,      see("/admin"),  LOGIN),
    ("POST", "/admin/accounts/<int:user_id>/enable"):  (LOGIN, F,  F,      F,      F,      F,      see("/admin"),  LOGIN),
    ("POST", "/admin/accounts/<int:user_id>/reset"):   (LOGIN, F,  F,      F,      F,      F,      200,            LOGIN),
    ("GET",  "/admin/audit"):                      (LOGIN, F,      F,      F,      F,      F,      200,            LOGIN),
    ("GET",  "/admin/bodies"):                     (LOGIN, F,      F,      F,      F,      F,      200,            LOGIN),
    ("POST", "/admin/bodies"):                     (LOGIN, F,      F,      F,      F,      F,      see("/admin/bodies"), LOGIN),
    ("POST", "/admin/bodies/routes"):              (LOGIN, F,      F,      F,      F,      F,      see("/admin/bodies"), LOGIN),
    # -- the 诬告陷害 ledger (issue 10): the world's case is a concern, so no holder may refer it or
    # record an outcome or a reminder (409), and a role the rules leave out is refused first (403).
    ("GET",  CASE + "/referrals"):                 (LOGIN, 200,    200,    200,    F,      F,      F,              LOGIN),
    ("POST", CASE + "/referrals"):                 (LOGIN, F,      F,      409,    F,      F,      F,              LOGIN),
    ("POST", CASE + "/referrals/outcome"):         (LOGIN, F,      409,    409,    F,      F,      F,              LOGIN),
    ("POST", CASE + "/reminder"):                  (LOGIN, F,      409,    409,    F,      F,      F,              LOGIN),
    ("GET",  "/review/referrals"):                 (LOGIN, F,      F,      200,    F,      200,    F,              LOGIN),
    # -- 主动澄清 (issue 10): a case worker who handles cases opens one; a supervisor with no other
    # approver in the body (and the outsider, alone in theirs) is refused; intake and admin may not.
    ("GET",  OWN_MOTION):                          (LOGIN, F,      200,    200,    200,    200,    F,              LOGIN),
    ("POST", OWN_MOTION):                          (LOGIN, F,      200,    409,    200,    409,    F,              LOGIN),
    ("POST", CASE + "/receipt"):                   (LOGIN, 409,    409,    409,    F,      F,      F,              LOGIN),  # applied
    # -- fault tolerance (issue 10): the world's case is a concern, which has no decision: 409 --
    ("GET",  CASE + "/decision"):                  (LOGIN, 200,    200,    200,    F,      F,      F,              LOGIN),
    ("POST", CASE + "/decision"):                  (LOGIN, F,      409,    409,    F,      F,      F,              LOGIN),
    ("POST", CASE + "/decision/collective"):       (LOGIN, F,      409,    409,    F,      F,      F,              LOGIN),
    ("POST", CASE + "/decision/measure"):          (LOGIN, F,      409,    409,    F,      F,      F,              LOGIN),
    # issue 10 (h10rn): the filings of a plan and the 回访; the world's case is a concern, which has no plan
    ("POST", CASE + "/plan/filing"):               (LOGIN, 409,    409,    409,    F,      F,      F,              LOGIN),
    ("POST", CASE + "/visit"):                     (LOGIN, 409,    409,    409,    F,      F,      F,              LOGIN),
    # -- 典型案例通报 (issue 10): the world's case is a concern, so it may have no bulletin (409);
    #    only the named leader decides, and no principal here is a leader.
    ("GET",  CASE + "/bulletin"):                  (LOGIN, F,      F,      409,    F,      F,      F,              LOGIN),
    ("POST", CASE + "/bulletin"):                  (LOGIN, F,      F,      409,    F,      F,      F,              LOGIN),
    ("POST", CASE + "/bulletin/approve"):          (LOGIN, F,      F,      F,      F,      F,      F,              LOGIN),
    ("POST", CASE + "/bulletin/return"):           (LOGIN, F,      F,      F,      F,      F,      F,              LOGIN),
    ("GET",  "/review/bulletins"):                 (LOGIN, F,      F,      200,    F,      200,    F,              LOGIN),
    ("GET",  BULLETIN + "/correct"):               (LOGIN, F,      F,      200,    F,      F,      F,              LOGIN),
    ("POST", BULLETIN + "/correct"):               (LOGIN, F,      F,      see(BULLETIN + "/correct"), F, F, F,    LOGIN),
    ("POST", BULLETIN + "/withdraw"):              (LOGIN, F,      F,      see(BULLETIN + "/correct"), F, F, F,    LOGIN),
    # -- h11x: the default body (the world's body is the default already: 400 for its admin) --
    ("POST", "/admin/bodies/default"):             (LOGIN, F,      F,      F,      F,      F,      400,            LOGIN),
    # -- h11x: 一信双查 after the referral; the world's case is a concern, never referred: 409 --
    ("POST", CASE + "/referrals/check"):           (LOGIN, F,      409,    409,    F,      F,      F,              LOGIN),
}
# fmt: on


def post_body(rule: str, world: World) -> dict[str, str]:
    """A form that would succeed for an allowed principal, so a refusal is about who asks."""
    return {
        "/review/login": {"username": "nobody.here", "password": "not the password", "code": "123456"},
        "/review/enrol": {"code": "123456"},
        "/review/logout": {},
        "/review/account/password": {
            "current": "wrong password!",
            "new": "a new password 1",
            "repeat": "a new password 1",
        },
        CASE + "/act": {"action": "start"},  # the case is accepted and assigned to the reviewer
        CASE + "/messages": {"body": "Which three teams come every week?"},
        CASE + "/notes": {"body": "An internal note."},
        CASE + "/plan": {"scope": "County meeting.", "modes": "meeting"},  # a concern has no plan: 400
        CASE + "/plan/done": {"mode": "written", "record": "Letter sent."},
        NOTICE + "/correct": {
            "number": "No. 2",
            "title": "Title",
            "unit": "Unit",
            "post": "Post",
            "allegation": "Allegation",
            "body_html": "<p>Body</p>",
            "issuer": "Issuer",
            "issued_on": "2026-11-30",
            "reason": "Typo.",
        },
        NOTICE + "/withdraw": {"reason": "Published in error.", "confirmed": "1"},
        CASE + "/transfer": {"to_body": str(world.body_id), "reason": "other_body", "confirmed": "1"},  # accepted: 409
        CASE + "/holders": {"user_id": str(world.target_id), "reason": "协办：需要查阅本件材料。"},
        CASE + "/holders/revoke": {"user_id": str(world.target_id)},  # holds no grant: nothing to revoke
        "/review/escrow": {"passphrase": "a passphrase set twice", "repeat": "a passphrase set twice"},
        "/review/escrow/passphrase": {
            "current": "not the passphrase",
            "new": "a new passphrase",
            "repeat": "a new passphrase",
        },
        "/review/recover": {  # its holders are all active: no recovery
            "case_id": world.case_id,
            "user_id": str(world.target_id),
            "reason": "承办人调离。",
            "passphrase": ESCROW_PASSPHRASE,
        },
        "/review/grants/<int:user_id>/confirm": {},
        "/admin/accounts": {"username": "fresh.rev", "role": "reviewer"},
        "/admin/accounts/<int:user_id>/disable": {"confirmed": "1"},
        "/admin/accounts/<int:user_id>/enable": {},
        "/admin/accounts/<int:user_id>/reset": {"confirmed": "1"},
        "/admin/bodies": {"name": "矩阵镇纪委", "short_name": "矩纪", "kind": "township", "level": "township"},
        "/admin/bodies/routes": {"category": "workload", "body": str(world.body_id)},
        # -- the 诬告陷害 ledger (issue 10) --
        CASE + "/referrals": {
            "target": "police",
            "body_name": "某县公安局",
            "reference": "县纪移〔2026〕3号",
            "referred_on": "2026-11-30",
        },
        CASE + "/referrals/outcome": {"referral_id": "none", "outcome": "filed", "on": "2026-11-30", "text": ""},
        CASE + "/reminder": {"form": "talk", "given_on": "2026-11-30", "note": "谈话提醒。"},
        # issue 10: a partly-untrue finding, approved by the body's supervisor
        OWN_MOTION: {**OWN_MOTION_OPENING, "approver": str(world.ids[SUPERVISOR])},
        CASE + "/receipt": {"confirmed": "y"},  # the case was filed by its cadre: their receipt is theirs
        # -- fault tolerance (issue 10) --
        CASE + "/decision": {"outcome": "reduced", "reasons": "No private gain.", "measures": "Repay."},
        CASE + "/decision/collective": {
            "held_on": "2026-11-30",
            "meeting": "常委会",
            "result": "同意减责。",
            "approver": str(world.ids[SUPERVISOR]),
        },
        CASE + "/decision/measure": {"index": "0", "done_on": "2026-11-30", "note": "Repaid."},
        # issue 10 (h10rn)
        CASE + "/plan/filing": {"filing": "integrity_file", "filed_on": "2026-11-30", "number": "No. 1"},
        CASE + "/visit": {"visited_on": "2026-11-30", "how": "talk", "summary": "Talked at the township."},
        # -- 典型案例通报 (issue 10) --
        CASE + "/bulletin": {**BULLETIN_TEXT, "approver": str(world.target_id), "names_cadre": "y"},  # h12b
        CASE + "/bulletin/approve": {"confirmed": "1"},
        CASE + "/bulletin/return": {"reason": "Say less about the village."},
        BULLETIN + "/correct": {**BULLETIN_TEXT, "title": "A corrected bulletin", "reason": "Typo."},
        BULLETIN + "/withdraw": {"reason": "Published in error.", "confirmed": "1"},
        # -- h11x --
        "/admin/bodies/default": {"body": str(world.body_id), "confirmed": "1"},
        CASE + "/referrals/check": {"checked_referral": "none", "checked_on": "2026-11-30", "check_note": "核查。"},
    }[rule]


#: A bulletin's text as its forms post it (典型案例通报, issue 10).
BULLETIN_TEXT = {
    "title": "A bulletin",
    "facts": "An accuser wrote false letters.",
    "treatment": "Given a warning.",
    "issued_on": "2026-11-30",
}


def staff_routes(app: Flask) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if any(rule.rule == p or rule.rule.startswith(p + "/") for p in STAFF_PREFIXES)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


@dataclass
class World:
    app: Flask
    case_id: str
    file_id: str
    ids: dict[str, int]
    target_id: int  # the account the admin routes act on
    accounts: dict[str, Staff]
    notice_id: int
    body_id: int  # the case's body
    principals: dict[str, Principal] | None = None  # signed in once, when the world is shared
    bulletin_id: int = 0  # a published 典型案例通报 of the case's body (issue 10)

    def url(self, rule: str) -> str:
        return (
            rule.replace("<case_id>", self.case_id)
            .replace("<file_id>", self.file_id)
            .replace("<int:user_id>", str(self.target_id))
            .replace("<int:notice_id>", str(self.notice_id))
            .replace("<int:bulletin_id>", str(self.bulletin_id))
        )


def build_world(app: Flask, cadre: Cadre) -> World:
    """Staff exist before the case is filed; intake accepts it and assigns it to the reviewer, which
    seals it to the reviewer and their supervisor too. One file is attached."""
    with app.app_context():
        other_body = bodies.create("邻县纪委监委", "邻纪", "commission", "county")
        accounts_service.create_escrow(ESCROW_PASSPHRASE, other_body)
    accounts = {
        INTAKE: Staff(app, "xin.fang", "intake"),
        REVIEWER: Staff(app, "li.rev", "reviewer"),
        SUPERVISOR: Staff(app, "qian.sup", "supervisor"),
        BYSTANDER: Staff(app, "zhou.rev", "reviewer"),
        OUTSIDER: Staff(app, "lin.sup", "supervisor", other_body),
        ADMIN: Staff(app, "root.admin", "admin"),
        DISABLED: Staff(app, "gone.rev", "reviewer"),
    }
    target = Staff(app, "target.rev", "reviewer")
    response = cadre.file_concern(subject=SUBJECT, description=DESCRIPTION, files=[upload(gen_png(), "evidence.png")])
    assert response.status_code == 200, response.status_code
    case_id = only_case_id(app)
    with app.app_context():
        intake = accounts[INTAKE]
        user = db.session.get(User, intake.user_id)
        key = private_key_of(user, STAFF_PASSWORD)
        assignee = StepInput(assignee_id=accounts[REVIEWER].user_id)
        casework.act(user, key, case_id, Action.ACCEPT, assignee, form_tokens.issue())
        assert holdings.holder_ids(case_id) == {accounts[k].user_id for k in HOLDERS}
    with app.app_context():
        file_id = db.session.scalar(db.select(Attachment.id).where(Attachment.case_id == case_id))
    assert file_id
    with app.app_context():
        notice = notices.publish(
            NoticeDraft(
                number="No. 1",
                title="A notice",
                naming=Naming.NONE,
                person="",
                unit="Unit",
                post="Post",
                allegation="Allegation",
                body_html="<p>Body</p>",
                issuer="Issuer",
                issued_on=dt.date(2026, 11, 30),
            ),
            case_id=None,
        )
        db.session.commit()
        notice_id = notice.id
    with app.app_context():
        body_id = db.session.get(Case, case_id).body_id
    with app.app_context():  # 典型案例通报 (issue 10)
        text = BulletinText("A bulletin", "An accuser wrote false letters.", "Given a warning.", dt.date(2026, 11, 30))
        bulletin_id = bulletins.publish(text, case_id=None, body_id=body_id).id
        db.session.commit()
    return World(
        app,
        case_id,
        file_id,
        {k: v.user_id for k, v in accounts.items()},
        target.user_id,
        accounts,
        notice_id,
        body_id,
        bulletin_id=bulletin_id,
    )


@pytest.fixture
def world(app: Flask, cadre) -> World:
    """A world of its own, for a request that changes it."""
    return build_world(app, cadre)


@pytest.fixture(scope="module")
def shared_world(schema: str) -> Iterator[World]:
    """One world for every request that must change nothing: the matrix's refusals and reads.

    A refused request is checked to leave it as it was, so sharing it tests that too; each
    principal signs in once. Its tests run before any test of a fresh ``world`` in this module
    (a fresh world empties the tables).
    """
    app = make_app(schema)
    _prepare(app)
    world = build_world(app, Cadre(_client(app)))
    world.principals = {}
    yield world
    _finish(app)


class Principal:
    """A browser: anonymous, or a staff member's signed-in cookie jar."""

    def __init__(self, client: FlaskClient, signed_in: bool) -> None:
        self.client = client
        self.signed_in = signed_in

    def csrf(self) -> str:
        """A token from a page this principal can see (any staff page carries one in its nav)."""
        page = "/review/account/password" if self.signed_in else "/review/login"
        response = self.client.get(page)
        assert response.status_code == 200, (page, response.status_code)
        return hidden(response.get_data(as_text=True), "csrf_token")


def fresh_form_token(app: Flask) -> str:
    """A one-time token as a staff form carries it, so a refusal is about who asks."""
    with app.app_context():
        return form_tokens.issue()


def principal(world: World, name: str) -> Principal:
    if world.principals is not None and name in world.principals:
        return world.principals[name]
    made = _sign_in(world, name)
    if world.principals is not None:
        world.principals[name] = made
    return made


def _sign_in(world: World, name: str) -> Principal:
    app = world.app
    if name == ANONYMOUS:
        return Principal(_client(app), signed_in=False)
    member = world.accounts[name]
    assert member.login().status_code == 303
    if name == DISABLED:
        with app.app_context():
            admin = db.session.get(User, world.ids[ADMIN])
            staff_admin.set_disabled(admin, member.user_id, True, form_tokens.issue())
        return Principal(member.client, signed_in=False)  # the same cookie, now of a disabled account
    return Principal(member.client, signed_in=True)


def snapshot(app: Flask, case_id: str) -> tuple:
    """What a refused request must not change."""
    with app.app_context():
        count = lambda model: db.session.scalar(db.select(db.func.count()).select_from(model))  # noqa: E731
        users = db.session.execute(
            db.select(
                User.id,
                User.username,
                User.disabled,
                User.totp_enrolled,
                User.public_key,
                User.credential,
                User.keys_confirmed,
            ).order_by(User.id)
        ).all()
        # A holder refused a step is shown the case page again with the refusal: that view is audited,
        # and is a read, not a change.
        changes = db.session.scalar(
            db.select(db.func.count()).select_from(AuditEntry).where(AuditEntry.action != "case_view")
        )
        holders = tuple(sorted(holdings.holder_ids(case_id)))
        return (changes, count(Note), count(Message), db.session.get(Case, case_id).state, tuple(users), holders)


#: Answers of a request that changed nothing: a refusal, a read, a redirect to where one belongs.
UNCHANGING = frozenset({LOGIN, F, 400, 401, 409})


def changes_the_world(method: str, expected) -> bool:
    """A POST that succeeds (or any answer not known to leave things as they were) gets a world of its own."""
    return (
        method == "POST"
        and expected not in UNCHANGING
        and not (isinstance(expected, Redirect) and expected.status == 302)
    )


def _cells(changing: bool) -> list:
    return [
        pytest.param(method, rule, who, MATRIX[(method, rule)][i], id=f"{method} {rule} as {who}")
        for (method, rule) in MATRIX
        for i, who in enumerate(PRINCIPALS)
        if changes_the_world(method, MATRIX[(method, rule)][i]) == changing
    ]


def test_every_staff_route_is_in_the_matrix(app):
    routes = staff_routes(app)
    assert routes - set(MATRIX) == set(), "staff routes without a row in MATRIX: add them"
    assert set(MATRIX) - routes == set(), "rows in MATRIX for routes that no longer exist"


@pytest.mark.parametrize(("method", "rule", "who", "expected"), _cells(changing=False))
def test_authorization_matrix(shared_world, method, rule, who, expected):
    check_cell(shared_world, method, rule, who, expected)


@pytest.mark.parametrize(("method", "rule", "who", "expected"), _cells(changing=True))
def test_authorization_matrix_steps_that_change_the_case(world, method, rule, who, expected):
    check_cell(world, method, rule, who, expected)


def check_cell(world: World, method: str, rule: str, who: str, expected) -> None:
    me = principal(world, who)
    url = world.url(rule)
    before = snapshot(world.app, world.case_id)
    if method == "GET":
        response = me.client.get(url)
    else:
        data = {"csrf_token": me.csrf(), "form_token": fresh_form_token(world.app), **post_body(rule, world)}
        response = me.client.post(url, data=data, content_type="multipart/form-data")

    if isinstance(expected, Redirect):
        assert response.status_code == expected.status, response.get_data(as_text=True)[:500]
        assert urlsplit(response.headers["Location"]).path == world.url(expected.path)
    else:
        assert response.status_code == expected, response.get_data(as_text=True)[:500]
    if expected in (LOGIN, F):
        assert snapshot(world.app, world.case_id) == before, "a refused request changed something"

    body = response.get_data()
    if who in HOLDERS and method == "GET" and rule == CASE:
        assert SUBJECT.encode() in body and DESCRIPTION.encode() in body  # the check below can see it
    if who not in HOLDERS:
        assert SUBJECT.encode() not in body and DESCRIPTION.encode() not in body


def test_case_file_download_is_an_attachment_for_case_workers(world):
    me = principal(world, REVIEWER)
    response = me.client.get(world.url(CASE + "/files/<file_id>"))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.data.startswith(b"\x89PNG")


@pytest.mark.parametrize("rule", sorted({rule for method, rule in MATRIX if method == "POST"}))
def test_a_post_without_csrf_token_is_refused_for_a_signed_in_reviewer(world, rule):
    me = principal(world, REVIEWER)
    me.client.set_cookie("zm_lang", "en")
    before = snapshot(world.app, world.case_id)
    response = me.client.post(world.url(rule), data=post_body(rule, world), content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)
    assert snapshot(world.app, world.case_id) == before
    assert me.client.get("/review").status_code == 200  # still signed in: nothing happened


# -- h11d1: official documents (issue 11). The world's concern is accepted, so a 受理告知书 may be
#    issued by any holder; one is issued in the world, so its page has something to show. --
DOCS = CASE + "/documents"
_H11D1_ROWS: dict[tuple[str, str], tuple] = {
    # fmt: off
    ("GET", DOCS): (LOGIN, 200, 200, 200, F, F, F, LOGIN),
    ("GET", DOCS + "/new/<kind>"): (LOGIN, 200, 200, 200, F, F, F, LOGIN),
    ("POST", DOCS + "/new/<kind>"): (LOGIN, see(DOCS), see(DOCS), see(DOCS), F, F, F, LOGIN),
    ("GET", DOCS + "/<doc_id>"): (LOGIN, 200, 200, 200, F, F, F, LOGIN),
    ("GET", DOCS + "/<doc_id>.<any(html, pdf, docx):fmt>"): (LOGIN, 200, 200, 200, F, F, F, LOGIN),
    # h12v: 作废, a supervisor or leader holding the case (the body confirms, so it is done)
    ("POST", DOCS + "/<doc_id>/void"): (LOGIN, F, F, see(DOCS), F, F, F, LOGIN),
    # fmt: on
}
MATRIX.update(_H11D1_ROWS)
_H11D1_BODIES = {
    DOCS + "/new/<kind>": {"addressee": "反映人", "text": "你反映的问题，我委已依规受理。"},
    DOCS + "/<doc_id>/void": {"reason": "文号有误", "confirmed": "1"},  # h12v
}
_post_body_before_h11d1 = post_body
_build_world_before_h11d1 = build_world
_url_before_h11d1 = World.url


def post_body(rule: str, world: World) -> dict[str, str]:  # noqa: F811 - extends the table above
    return _H11D1_BODIES[rule] if rule in _H11D1_BODIES else _post_body_before_h11d1(rule, world)


def build_world(app: Flask, cadre: Cadre) -> World:  # noqa: F811 - the world above, with one document issued
    from portal.services import documents as document_service

    made = _build_world_before_h11d1(app, cadre)
    with app.app_context():
        user = db.session.get(User, made.ids[REVIEWER])
        key = private_key_of(user, STAFF_PASSWORD)
        text = "你反映的问题，我委已依规受理。"
        made.doc_id = document_service.issue(user, key, made.case_id, "acceptance", "反映人", text, form_tokens.issue())  # type: ignore[attr-defined]
    return made


def _url_h11d1(self: World, rule: str) -> str:
    return (
        _url_before_h11d1(self, rule)
        .replace("<kind>", "acceptance")
        .replace("<doc_id>", getattr(self, "doc_id", "x"))
        .replace("<any(html, pdf, docx):fmt>", "pdf")
    )


World.url = _url_h11d1  # type: ignore[method-assign]


def _h11d1_cells(changing: bool) -> list:
    return [c for c in _cells(changing) if (c.values[0], c.values[1]) in _H11D1_ROWS]


@pytest.mark.parametrize(("method", "rule", "who", "expected"), _h11d1_cells(changing=False))
def test_authorization_matrix_of_documents(world, method, rule, who, expected):
    """A world of its own: these run after the tests above that empty the shared one's tables."""
    check_cell(world, method, rule, who, expected)


@pytest.mark.parametrize(("method", "rule", "who", "expected"), _h11d1_cells(changing=True))
def test_authorization_matrix_of_documents_issued(world, method, rule, who, expected):
    check_cell(world, method, rule, who, expected)


@pytest.mark.parametrize("rule", sorted({rule for method, rule in _H11D1_ROWS if method == "POST"}))
def test_a_document_post_without_csrf_token_is_refused(world, rule):
    test_a_post_without_csrf_token_is_refused_for_a_signed_in_reviewer(world, rule)


# -- h11s1 --
# Statistics for leadership (issue 11): supervisors and leaders, for their own body (the outsider sees
# theirs); intake, reviewers and admins are refused. The chart rule is requested as written, so its
# "<chart>" names no chart (404); the chart itself is tested in tests/web/review/test_statistics.py.
# fmt: off
STATISTICS_MATRIX: dict[tuple[str, str], tuple] = {
    ("GET",  "/review/statistics"):                (LOGIN, F,      F,      200,    F,      200,    F,              LOGIN),
    ("GET",  "/review/statistics/<chart>.svg"):    (LOGIN, F,      F,      404,    F,      404,    F,              LOGIN),
    ("GET",  "/review/statistics.csv"):            (LOGIN, F,      F,      200,    F,      200,    F,              LOGIN),
    ("GET",  "/review/statistics.xlsx"):           (LOGIN, F,      F,      200,    F,      200,    F,              LOGIN),
}
# fmt: on
MATRIX.update(STATISTICS_MATRIX)


@pytest.mark.parametrize(
    ("method", "rule", "who", "expected"),
    [
        pytest.param(method, rule, who, row[i], id=f"{method} {rule} as {who}")
        for (method, rule), row in STATISTICS_MATRIX.items()
        for i, who in enumerate(PRINCIPALS)
    ],
)
def test_authorization_matrix_statistics(world, method, rule, who, expected):
    if method == "GET" and rule.endswith((".csv", ".xlsx")) and expected == 200:
        me = principal(world, who)
        response = me.client.get(world.url(rule))
        assert response.status_code == 200
        assert SUBJECT.encode() not in response.data and DESCRIPTION.encode() not in response.data
        return
    check_cell(world, method, rule, who, expected)
