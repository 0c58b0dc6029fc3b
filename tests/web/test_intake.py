"""Filing both kinds of case through HTTP, as a cadre on a phone would."""

from __future__ import annotations

import re

from portal.extensions import db
from portal.models import Attachment, Case, CaseEvent, CaseKey
from portal.services import accounts, bodies
from tests.conftest import ESCROW_PASSPHRASE
from tests.factories import gen_jpeg_with_gps, gen_pdf, gen_png, gen_user, upload


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_landing_offers_the_three_ways_in(client):
    html = client.get("/").get_data(as_text=True)
    for path in ("/submit/concern", "/submit/clarification", "/followup"):
        assert f'href="{path}"' in html


def test_concern_gives_a_grouped_receipt_once(app, cadre):
    response = cadre.file_concern()
    assert response.status_code == 200
    receipt = cadre.receipt_of(response)
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", receipt)
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        case = db.session.scalar(db.select(Case))
        assert (case.kind, case.category, case.state) == ("concern", "workload", "submitted")
        assert case.id not in response.get_data(as_text=True)
        assert (case.created_at.minute, case.created_at.second) == (0, 0)
        assert count(CaseEvent) == 1


def test_concern_page_points_to_clarification(client):
    assert 'href="/submit/clarification"' in client.get("/submit/concern").get_data(as_text=True)


def test_clarification_request_is_filed(app, cadre):
    response = cadre.file_clarification()
    assert response.status_code == 200
    cadre.receipt_of(response)
    with app.app_context():
        case = db.session.scalar(db.select(Case))
        assert (case.kind, case.category) == ("clarification", None)


def test_each_filing_gets_a_different_receipt(cadre):
    first = cadre.receipt_of(cadre.file_concern())
    second = cadre.receipt_of(cadre.file_concern())
    assert first != second


def test_a_new_case_is_sealed_to_its_bodys_intake_officers_and_escrow_only(app, cadre):
    with app.app_context():
        desk = {gen_user(f"intake{i}", "intake").id for i in range(5)}
        gen_user("rev", "reviewer")
        gen_user("sup", "supervisor")
        gen_user("lead", "leader")
        gen_user("adm", "admin")
        gone = gen_user("gone", "intake")
        gone.disabled = True
        other = bodies.create("另一县纪委监委", "另纪", "commission", "county")
        accounts.create_escrow(ESCROW_PASSPHRASE + " of the other body", other)
        accounts.create_user("far.intake", "intake", "a long password 1", body_id=other, confirmed=True)
        db.session.commit()
    cadre.receipt_of(cadre.file_concern())
    with app.app_context():
        rows = db.session.execute(db.select(CaseKey.user_id, CaseKey.reason)).all()
        # Five intake officers and the escrow key: six sealed boxes, not one per staff member.
        assert {row.user_id for row in rows} == desk and {row.reason for row in rows} == {"intake"}
        # The escrow copy really opens: a supervisor with the passphrase can recover the case.
        from portal.domain import aad
        from portal.domain.crypto import unseal
        from portal.services import case_files

        case = db.session.scalar(db.select(Case))
        dk = unseal(accounts.unlock_escrow(ESCROW_PASSPHRASE), case.escrow_sealed_key, aad.escrow_key(case.id))
        assert case_files.read_submission(case, dk)["subject"] == "Too many inspections"


def test_attachments_are_stored_cleaned(app, cadre):
    files = [upload(gen_png(), "a.png"), upload(gen_jpeg_with_gps(), "photo.jpg"), upload(gen_pdf(), "b.pdf")]
    cadre.receipt_of(cadre.file_concern(files=files))
    with app.app_context():
        assert count(Attachment) == 3


def test_uninitialised_portal_refuses_politely(app, cadre):
    with app.app_context():
        from portal.models import EscrowKey

        db.session.execute(db.delete(EscrowKey))
        db.session.commit()
    response = cadre.file_concern()
    assert response.status_code == 503
    with app.app_context():
        assert count(Case) == 0
