"""An admin never becomes a case holder alone: new or reset case workers wait for a supervisor."""

from __future__ import annotations

from flask import Flask

from portal.extensions import db
from portal.models import CaseKey, User
from tests.conftest import Staff, only_case_id
from tests.web.review.test_admin import (
    Newcomer,
    account_action,
    audited,
    create,
    english,
    password_once,
    row_of,
    user_id_of,
)

AWAITING = "Your account awaits confirmation"


def case_keys(app: Flask, user_id: int) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(db.select(CaseKey.case_id).where(CaseKey.user_id == user_id)))


def confirmed(app: Flask, user_id: int) -> bool:
    with app.app_context():
        return db.session.get(User, user_id).keys_confirmed


def newest_case(app: Flask, known: set[str]) -> str:
    from portal.models import Case

    with app.app_context():
        ids = set(db.session.scalars(db.select(Case.id))) - known
    assert len(ids) == 1
    return ids.pop()


def all_cases(app: Flask) -> set[str]:
    from portal.models import Case

    with app.app_context():
        return set(db.session.scalars(db.select(Case.id)))


def admin_made(app: Flask, admin: Staff, username: str, role: str = "reviewer") -> tuple[Newcomer, int]:
    """What the attacker did: create an account, take its temporary password, sign in, enrol TOTP."""
    newcomer = Newcomer(app, username, password_once(create(admin, username, role)))
    assert newcomer.sign_in().headers["Location"].endswith("/review/enrol")
    assert newcomer.enrol().status_code == 303
    return newcomer, user_id_of(app, username)


def confirm(member, user_id: int):
    """POST the supervisor's confirmation (any signed-in client with a staff page for the token)."""
    page = "/review/grants" if getattr(member, "role", "") == "supervisor" else "/review/account/password"
    tokens = member.tokens(page)
    return member.client.post(f"/review/grants/{user_id}/confirm", data=tokens)


def test_an_account_the_admin_made_holds_no_key_to_new_cases_until_a_supervisor_confirms_it(app, staff, cadre):
    admin = english(staff("root.admin", "admin"))
    supervisor = english(staff("qian.sup", "supervisor"))
    cadre.file_concern(subject="Filed before the account existed")
    old_case = only_case_id(app)

    newcomer, new_id = admin_made(app, admin, "mole.int", "intake")  # intake: new cases are sealed to it
    home = newcomer.client.get("/review")
    assert home.status_code == 403 and AWAITING in home.get_data(as_text=True)
    assert "Access grants" in home.get_data(as_text=True)  # says where a supervisor confirms it
    cadre.file_concern(subject="Filed while the account waits")
    waiting_case = newest_case(app, {old_case})
    page = newcomer.client.get(f"/review/cases/{waiting_case}")
    assert page.status_code == 403 and "Filed while the account waits" not in page.get_data(as_text=True)
    assert case_keys(app, new_id) == set()  # not even new cases are sealed to it
    assert "Awaiting confirmation by a supervisor" in row_of(admin.get("/admin").get_data(as_text=True), "mole.int")

    # Neither the admin nor the account itself can confirm it.
    assert confirm(admin, new_id).status_code == 403
    assert confirm(newcomer, new_id).status_code == 403
    assert not confirmed(app, new_id)

    listed = supervisor.get("/review/grants").get_data(as_text=True)
    assert "mole.int" in listed and f"/review/grants/{new_id}/confirm" in listed
    response = confirm(supervisor, new_id)
    assert response.status_code == 303 and response.headers["Location"].endswith("/review/grants")
    assert confirmed(app, new_id)
    assert audited(app, "account_confirmed")[-1] == (supervisor.user_id, new_id)
    assert "Confirmed by a supervisor" in row_of(admin.get("/admin").get_data(as_text=True), "mole.int")

    known = all_cases(app)
    cadre.file_concern(subject="Filed after the confirmation")
    new_case = newest_case(app, known)
    assert case_keys(app, new_id) == {new_case}  # only new cases: no bulk grant opens the older ones
    assert newcomer.client.get("/review").status_code == 200
    assert "Filed after the confirmation" in newcomer.client.get(f"/review/cases/{new_case}").get_data(as_text=True)
    assert newcomer.client.get(f"/review/cases/{old_case}").status_code == 403


def test_a_supervisor_the_admin_made_cannot_confirm_itself_or_others(app, staff, cadre):
    admin = english(staff("root.admin", "admin"))
    mole_sup, sup_id = admin_made(app, admin, "mole.sup", "supervisor")
    mole_rev, rev_id = admin_made(app, admin, "mole.rev2")
    for target in (sup_id, rev_id):
        response = confirm(mole_sup, target)
        assert response.status_code == 403 and AWAITING in response.get_data(as_text=True)
    assert mole_sup.client.get("/review/grants").status_code == 403
    assert not confirmed(app, sup_id) and not confirmed(app, rev_id)
    cadre.file_concern()
    assert case_keys(app, sup_id) == case_keys(app, rev_id) == set()
    assert audited(app, "account_confirmed") == []


def test_a_confirmed_supervisor_cannot_confirm_itself_or_an_account_not_yet_signed_in(app, staff):
    admin = english(staff("root.admin", "admin"))
    supervisor = english(staff("qian.sup", "supervisor"))
    password_once(create(admin, "not.yet"))
    not_yet = user_id_of(app, "not.yet")
    assert "Not yet signed in: it can be confirmed" in supervisor.get("/review/grants").get_data(as_text=True)
    for target in (not_yet, supervisor.user_id, admin.user_id):
        assert confirm(supervisor, target).status_code == 303
        assert "This account cannot be confirmed" in supervisor.get("/review/grants").get_data(as_text=True)
    assert not confirmed(app, not_yet) and not confirmed(app, admin.user_id)
    assert audited(app, "account_confirmed") == [(None, supervisor.user_id)]  # by the operator, at creation


def test_a_reset_drops_the_confirmation_again(app, staff, cadre):
    admin = english(staff("root.admin", "admin"))
    supervisor = english(staff("qian.sup", "supervisor"))
    reviewer = staff("li.rev", "reviewer")  # confirmed (made on the command line by the operator)
    assert confirmed(app, reviewer.user_id)

    newcomer = Newcomer(app, "li.rev", password_once(account_action(admin, reviewer.user_id, "reset")))
    assert not confirmed(app, reviewer.user_id)
    assert "Awaiting confirmation by a supervisor" in row_of(admin.get("/admin").get_data(as_text=True), "li.rev")
    newcomer.sign_in()
    newcomer.enrol()
    cadre.file_concern()
    assert case_keys(app, reviewer.user_id) == set()
    assert AWAITING in newcomer.client.get("/review").get_data(as_text=True)
    assert confirm(supervisor, reviewer.user_id).status_code == 303
    assert confirmed(app, reviewer.user_id)


def test_a_grant_needs_the_confirmation_first(app, staff, cadre, intake):
    admin = english(staff("root.admin", "admin"))
    supervisor = english(staff("qian.sup", "supervisor"))
    reviewer = staff("li.rev", "reviewer")
    cadre.file_concern()
    case_id = only_case_id(app)
    assert intake.accept(case_id, reviewer).status_code == 303  # sealed to the reviewer and the supervisor
    _newcomer, new_id = admin_made(app, admin, "mole.rev")
    page = f"/review/cases/{case_id}/holders"
    response = supervisor.post(page, {"user_id": str(new_id), "reason": "协办。"})
    assert response.status_code == 400
    assert "not yet confirmed by a supervisor" in response.get_data(as_text=True)
    assert case_keys(app, new_id) == set()
