"""Bodies and their staff for the tests of the body dimension (kept out of conftest, which the lead owns)."""

from __future__ import annotations

from flask import Flask

from portal.extensions import db
from portal.models import Body, Case, CaseKey
from portal.services import accounts, bodies
from tests.conftest import ESCROW_PASSPHRASE, TEST_BODY, Staff


def default_body_id(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Body.id).where(Body.name == TEST_BODY))


def make_body(
    app: Flask,
    name: str,
    kind: str = "township",
    level: str = "township",
    parent_id: int | None = None,
    *,
    escrow: bool = True,
    public: bool = True,
    ranks=("general",),
) -> int:
    """A body of the tree, with its escrow key unless ``escrow`` is False."""
    with app.app_context():
        body_id = bodies.create(name, name[:2], kind, level, ranks, parent_id, name_public=public)
        if escrow:
            accounts.create_escrow(ESCROW_PASSPHRASE, body_id)
        return body_id


class Member(Staff):
    """A staff member of a given body at their own browser, reading English, signed in unless told not to."""

    def __init__(self, app: Flask, username: str, role: str, body_id: int, login: bool = True) -> None:
        super().__init__(app, username, role, body_id)
        self.client.set_cookie("zm_lang", "en")
        if login:
            response = self.login()
            assert response.status_code == 303, response.status_code


def holders(app: Flask, case_id: str) -> dict[int, str]:
    """Who holds the case's key, and why."""
    with app.app_context():
        rows = db.session.execute(db.select(CaseKey.user_id, CaseKey.reason).where(CaseKey.case_id == case_id))
        return dict(rows.all())


def cases(app: Flask) -> list[tuple[str, int, str | None]]:
    """(id, body, category) of every case, oldest first."""
    with app.app_context():
        rows = db.session.execute(db.select(Case.id, Case.body_id, Case.category).order_by(Case.created_at, Case.id))
        return [tuple(r) for r in rows]
