"""Coming back with a receipt: status, thread both ways, files, leaving."""

from __future__ import annotations

import datetime as dt

from portal.domain import aad
from portal.extensions import db
from portal.models import Case, KeySession, Message
from tests.conftest import only_case_id
from tests.factories import gen_pdf, gen_png, upload


def filed(cadre, **fields) -> str:
    return cadre.receipt_of(cadre.file_concern(**fields))


def test_receipt_with_dashes_and_spaces_opens_the_status_page(cadre, client):
    receipt = filed(cadre)
    response = cadre.follow_up(" " + receipt.replace(" ", "-") + " ")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/followup/status")
    html = client.get("/followup/status").get_data(as_text=True)
    assert "Too many inspections" in html
    assert 'class="state"' in html


def test_status_page_is_private_and_not_cached(cadre, client):
    cadre.follow_up(filed(cadre))
    response = client.get("/followup/status")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_wrong_receipt_gets_one_generic_error_and_opens_nothing(app, cadre):
    filed(cadre)
    wrong = cadre.follow_up("0000 0000 0000 0000")
    malformed = cadre.follow_up("12345")
    assert wrong.status_code == malformed.status_code == 400
    error = '<p class="error" id="receipt-error">'
    wrong_msg = wrong.get_data(as_text=True).split(error)[1].split("</p>")[0]
    malformed_msg = malformed.get_data(as_text=True).split(error)[1].split("</p>")[0]
    assert wrong_msg == malformed_msg
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(KeySession)) == 0
    assert cadre.client.get("/followup/status").status_code == 401


def test_wrong_receipts_are_rate_limited(cadre):
    receipt = filed(cadre)
    statuses = [cadre.follow_up("1111 1111 1111 1111").status_code for _ in range(11)]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429
    assert cadre.follow_up(receipt).status_code == 429


def test_reviewer_reply_reaches_the_submitter_and_back(app, cadre, client, staff):
    intake = staff("xin.fang", "intake")
    reviewer = staff("reviewer1", "reviewer")
    receipt = filed(cadre)
    case_id = only_case_id(app)
    assert intake.accept(case_id, reviewer).status_code == 303
    page = f"/review/cases/{case_id}"
    assert (
        reviewer.post(f"{page}/messages", {"body": "Which inspections? Please list them."}, form_page=page).status_code
        == 303
    )
    cadre.follow_up(receipt)
    html = client.get("/followup/status").get_data(as_text=True)
    assert "Which inspections? Please list them." in html
    assert "reviewer1" not in html  # reviewers' names are never shown
    response = cadre.reply("County, township and the education bureau.", files=[upload(gen_png(), "list.png")])
    assert response.status_code == 303
    assert "County, township and the education bureau." in client.get("/followup/status").get_data(as_text=True)
    html = reviewer.get(page).get_data(as_text=True)
    assert html.index("Which inspections?") < html.index("County, township and the education bureau.")
    link = html.split(f'href="{page}/files/')[1].split('"')[0]
    download = reviewer.get(f"{page}/files/{link}")
    assert download.status_code == 200 and download.data.startswith(b"\x89PNG")


def test_submitter_downloads_own_file_as_attachment_only(cadre, client):
    pdf = gen_pdf("ZM-DOWNLOAD-CHECK")
    receipt = cadre.receipt_of(cadre.file_concern(files=[upload(pdf, "evidence.pdf")]))
    cadre.follow_up(receipt)
    html = client.get("/followup/status").get_data(as_text=True)
    link = html.split('href="/followup/files/')[1].split('"')[0]
    response = client.get(f"/followup/files/{link}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert b"ZM-DOWNLOAD-CHECK" in response.data


def test_submitter_cannot_reach_another_cases_file_or_case(app, cadre, client):
    other = cadre.receipt_of(cadre.file_concern(files=[upload(gen_png(), "other.png")]))
    mine = filed(cadre, subject="Mine")
    cadre.follow_up(other)
    other_link = client.get("/followup/status").get_data(as_text=True).split('href="/followup/files/')[1].split('"')[0]
    cadre.follow_up(mine)
    assert client.get(f"/followup/files/{other_link}").status_code == 404
    # Pointing the cookie at the other case does not open it: the key session is bound to its case.
    with app.app_context():
        other_id = db.session.scalar(
            db.select(Case.id).where(
                Case.id
                != db.session.scalar(db.select(Case.id).join(Message, isouter=True).order_by(Case.created_at).limit(1))
            )
        )
        ids = list(db.session.scalars(db.select(Case.id)))
    with client.session_transaction() as session:
        mine_id = session["followup"]["case"]
        session["followup"] = {**session["followup"], "case": next(i for i in ids if i != mine_id)}
    assert client.get("/followup/status").status_code == 401
    assert other_id  # both cases exist


def test_leaving_deletes_the_server_half_and_a_kept_cookie_opens_nothing(app, cadre, client):
    cadre.follow_up(filed(cadre))
    with client.session_transaction() as session:
        kept = dict(session["followup"])
    response = client.post("/followup/leave", data=cadre.form("/followup/status"))
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(KeySession)) == 0
    assert client.get("/followup/status").status_code == 401
    with client.session_transaction() as session:
        session["followup"] = kept
    assert client.get("/followup/status").status_code == 401


def test_idle_session_expires(app, cadre, client):
    cadre.follow_up(filed(cadre))
    with app.app_context():
        row = db.session.scalar(db.select(KeySession))
        row.expires_at = dt.datetime(2000, 1, 1)
        db.session.commit()
    assert client.get("/followup/status").status_code == 401


def test_reply_form_cannot_be_replayed(app, cadre, client):
    cadre.follow_up(filed(cadre))
    tokens = cadre.form("/followup/status")
    first = client.post("/followup/reply", data={**tokens, "body": "once"})
    second = client.post("/followup/reply", data={**tokens, "body": "once"})
    assert (first.status_code, second.status_code) == (303, 400)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 1


def test_status_without_session_asks_for_the_receipt(client):
    response = client.get("/followup/status")
    assert response.status_code == 401
    assert 'href="/followup"' in response.get_data(as_text=True)


def test_session_key_row_names_no_case(app, cadre):
    receipt = filed(cadre)
    cadre.follow_up(receipt)
    with app.app_context():
        case = db.session.scalar(db.select(Case))
        row = db.session.scalar(db.select(KeySession))
        assert case.id not in row.id and case.id.encode() not in row.sealed
        assert aad.submitter_session(case.id, case.receipt_lookup) not in row.sealed


def test_idle_deadline_is_kept_sealed_and_still_ends_the_session(cadre_factory):
    """The row only says "delete after" on the hour; the precise idle deadline still applies."""
    app, cadre, client = cadre_factory(SESSION_IDLE_MINUTES=0)
    assert cadre.follow_up(filed(cadre)).status_code == 303
    with app.app_context():
        row = db.session.scalar(db.select(KeySession))
        assert (row.expires_at.minute, row.expires_at.second, row.expires_at.microsecond) == (0, 0, 0)
        assert row.expires_at >= dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert client.get("/followup/status").status_code == 401
