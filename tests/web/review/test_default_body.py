"""The default body through HTTP: an admin moves it among their bodies, confirmed, audited, one at a time."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
import sqlalchemy.exc
from flask import Flask

from portal.extensions import db
from portal.models import AuditEntry, Body, User
from portal.services import form_tokens, staff_admin
from tests.conftest import confirmation_form
from tests.web.body_helpers import Member, cases, default_body_id, make_body

FORBIDDEN = "This account or body is outside your body and the bodies below it."
CANNOT_RECEIVE = "This body cannot receive cases yet: it needs an escrow key and a confirmed intake officer."


@pytest.fixture
def tree(app: Flask):
    """The county (the default, with its admin), a receiving township below it with its own admin, and
    two townships that cannot receive: one without an escrow key, one without an intake officer."""
    county = default_body_id(app)
    east = make_body(app, "东镇纪委", parent_id=county)
    Member(app, "east.in", "intake", east, login=False)
    sealed_only = make_body(app, "西镇纪委", parent_id=county)
    unsealed = make_body(app, "南镇纪委", parent_id=county, escrow=False)
    Member(app, "south.in", "intake", unsealed, login=False)
    village = make_body(app, "东镇某村纪检小组", "department", "township", east)
    Member(app, "village.in", "intake", village, login=False)
    Member(app, "county.in", "intake", county, login=False)
    return SimpleNamespace(
        county=county,
        east=east,
        sealed_only=sealed_only,
        unsealed=unsealed,
        village=village,
        admin=Member(app, "county.admin", "admin", county),
        east_admin=Member(app, "east.admin", "admin", east),
    )


def defaults(app: Flask) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(db.select(Body.id).where(Body.is_default.is_(True))))


def entries(app: Flask) -> list[tuple[int | None, str | None]]:
    with app.app_context():
        rows = db.session.execute(
            db.select(AuditEntry.actor_id, AuditEntry.detail)
            .where(AuditEntry.action == "default_body_changed")
            .order_by(AuditEntry.id)
        )
        return [tuple(r) for r in rows]


def change(member: Member, body: object, confirm: bool = True):
    return member.post("/admin/bodies/default", {"body": str(body)}, form_page="/admin/bodies", confirm=confirm)


def test_an_admin_makes_another_of_their_bodies_the_default_after_a_confirmation(app, tree, cadre):
    page = tree.admin.get("/admin/bodies").get_data(as_text=True)
    assert 'action="/admin/bodies/default"' in page and "The default body" in page
    assert f'<option selected value="{tree.county}">' in page  # the default now is preselected

    asked = change(tree.admin, tree.east, confirm=False)
    assert asked.status_code == 200
    text = asked.get_data(as_text=True)
    assert "Make this body the default?" in text and "测试县纪委监委" in text and "东镇纪委" in text
    assert defaults(app) == [tree.county] and entries(app) == []  # nothing changed yet

    action, fields = confirmation_form(text)
    done = tree.admin.client.post(action, data=fields)
    assert done.status_code == 303 and done.headers["Location"].endswith("/admin/bodies")
    assert defaults(app) == [tree.east]
    assert entries(app) == [(tree.admin.user_id, f"body:{tree.county}>body:{tree.east}")]
    replay = tree.admin.client.post(action, data=fields)  # the confirmed form again: its token is spent
    assert replay.status_code in (400, 409)
    assert len(entries(app)) == 1

    cadre.file_concern(category="workload", body="")  # no body chosen, no route: the default
    assert cases(app)[-1][1] == tree.east
    page = tree.admin.get("/admin/bodies").get_data(as_text=True)
    east_entry = page.split("东镇纪委</strong>")[1].split("</li>")[0]
    assert "Preselected on the cadre" in east_entry


def test_the_default_moves_again_within_the_subtree_of_the_admin_who_now_manages_it(app, tree):
    page = tree.east_admin.get("/admin/bodies").get_data(as_text=True)
    assert 'action="/admin/bodies/default"' not in page  # the county's default is not theirs
    assert "an administrator of a body above changes it" in page
    response = change(tree.east_admin, tree.east)
    assert response.status_code == 403 and FORBIDDEN in response.get_data(as_text=True)
    assert defaults(app) == [tree.county] and entries(app) == []

    assert change(tree.admin, tree.east).status_code == 303
    assert 'action="/admin/bodies/default"' in tree.east_admin.get("/admin/bodies").get_data(as_text=True)
    assert change(tree.east_admin, tree.village).status_code == 303
    assert defaults(app) == [tree.village]
    response = change(tree.east_admin, tree.county)  # above them: not theirs to give it to
    assert response.status_code == 403
    assert defaults(app) == [tree.village] and len(entries(app)) == 2


@pytest.mark.parametrize(
    ("which", "status", "words"),
    [
        ("sealed_only", 409, CANNOT_RECEIVE),  # no intake officer
        ("unsealed", 409, CANNOT_RECEIVE),  # no escrow key
        ("county", 400, "This body is the default already: choose another."),
        ("abc", 400, "Choose one of the bodies listed."),
        ("", 400, "Choose one of the bodies listed."),
        ("999999", 403, FORBIDDEN),
    ],
)
def test_a_body_that_cannot_be_the_default_is_refused_clearly_and_nothing_changes(app, tree, which, status, words):
    body = getattr(tree, which, which)
    for confirm in (False, True):  # refused before the confirmation page, and when confirmed
        response = change(tree.admin, body, confirm=confirm)
        assert response.status_code == status, (which, response.status_code)
        assert words in response.get_data(as_text=True)
    assert defaults(app) == [tree.county] and entries(app) == []


def test_the_bodies_page_speaks_chinese_about_the_default(app, tree):
    tree.admin.client.set_cookie("zm_lang", "zh_Hans_CN")
    page = tree.admin.get("/admin/bodies").get_data(as_text=True)
    assert "默认受理机关" in page
    response = change(tree.admin, tree.unsealed)
    assert "尚不能接收" in response.get_data(as_text=True)


def test_the_database_refuses_a_second_default(app, tree):
    with app.app_context():
        db.session.get(Body, tree.east).is_default = True
        with pytest.raises(sqlalchemy.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()
    assert defaults(app) == [tree.county]


def test_two_simultaneous_changes_leave_exactly_one_default(app, tree):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite runs one transaction at a time: nothing to race")
        second = Member(app, "county.admin2", "admin", tree.county, login=False).user_id
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def make(admin_id: int, body_id: int) -> None:
        with app.app_context():
            admin, token = db.session.get(User, admin_id), form_tokens.issue()
            start.wait(30)
            try:
                outcomes.append(staff_admin.make_default(admin, body_id, token))
            except Exception as exc:  # noqa: BLE001 - the test reports whatever happened
                outcomes.append(exc)

    pairs = ((tree.admin.user_id, tree.east), (second, tree.village))
    threads = [threading.Thread(target=make, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcomes == [None, None]  # the second waited for the first, then moved it on
    [winner] = defaults(app)
    assert winner in (tree.east, tree.village)
    moves = [detail for _actor, detail in entries(app)]
    assert len(moves) == 2 and moves[0].startswith(f"body:{tree.county}>") and moves[1].endswith(f">body:{winner}")
    assert moves[1].startswith(moves[0].split(">")[1] + ">")  # the second moved it from where the first put it
