"""Bad input: a clear page in the user's language, status 4xx, and nothing stored."""

from __future__ import annotations

import pytest
from itsdangerous.timed import TimestampSigner

from portal.extensions import db
from portal.models import Attachment, Case, Message
from tests.factories import gen_png, upload

SCRIPT = '<script>alert("zm")</script>'
CONCERN_TEXT = ("subject", "description", "unit")
CLARIFICATION_TEXT = (
    "real_name",
    "unit_name",
    "post",
    "contact",
    "allegation",
    "allegation_source",
    "harm_detail",
    "wanted_detail",
)


def cases(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Case))


def test_missing_csrf_token_is_refused(app, cadre):
    tokens = cadre.form("/submit/concern")
    del tokens["csrf_token"]
    response = cadre.post("/submit/concern", {"category": "other", "subject": "s", "description": "d"}, tokens)
    assert response.status_code == 400
    assert 'class="box warn"' in response.get_data(as_text=True)
    assert cases(app) == 0


def test_csrf_token_of_another_session_is_refused(app, cadre, client):
    tokens = cadre.form("/submit/concern")
    client.delete_cookie("zm_session")
    response = cadre.post("/submit/concern", {"category": "other", "subject": "s", "description": "d"}, tokens)
    assert response.status_code == 400
    assert cases(app) == 0


def test_stale_form_is_refused(app, cadre, monkeypatch):
    tokens = cadre.form("/submit/concern")
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + 7 * 3600)
    response = cadre.post("/submit/concern", {"category": "other", "subject": "s", "description": "d"}, tokens)
    assert response.status_code == 400
    assert cases(app) == 0


def test_replayed_submission_stores_one_case(app, cadre):
    tokens = cadre.form("/submit/concern")
    data = {"category": "other", "subject": "s", "description": "d"}
    first = cadre.post("/submit/concern", data, tokens)
    second = cadre.post("/submit/concern", data, tokens)
    # The resend leads to the receipt of the case the first one made (tests/web/test_receipt_page.py).
    assert (first.status_code, second.status_code) == (303, 303)
    assert cases(app) == 1


def test_forged_form_token_is_refused(app, cadre):
    tokens = {**cadre.form("/submit/concern"), "form_token": "forged"}
    response = cadre.post("/submit/concern", {"category": "other", "subject": "s", "description": "d"}, tokens)
    assert response.status_code == 400
    assert cases(app) == 0


def test_oversize_request_gets_413(app, cadre):
    big = b"\x89PNG\r\n\x1a\n" + b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = cadre.file_concern(files=[upload(big, "big.png")])
    assert response.status_code == 413
    assert 'class="box warn"' in response.get_data(as_text=True)
    assert cases(app) == 0


def test_single_file_over_10_mb_is_refused(app, cadre):
    big = gen_png() + b"\0" * (10 * 1024 * 1024)
    response = cadre.file_concern(files=[upload(big, "big.png")])
    assert response.status_code == 400
    assert 'id="attachments-error"' in response.get_data(as_text=True)
    assert cases(app) == 0


@pytest.mark.parametrize(
    "data,name",
    [
        (b"just text, not an image", "photo.jpg"),
        (b"<html><script>alert(1)</script></html>", "page.png"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.pdf"),
        (b"MZ\x90\x00\x03", "tool.pdf"),
    ],
)
def test_wrong_file_type_is_refused_by_content(app, cadre, data, name):
    response = cadre.file_concern(files=[upload(gen_png(), "ok.png"), upload(data, name)])
    assert response.status_code == 400
    assert 'id="attachments-error"' in response.get_data(as_text=True)
    assert cases(app) == 0
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Attachment)) == 0


def test_damaged_image_is_refused(app, cadre):
    response = cadre.file_concern(files=[upload(gen_png()[:40], "cut.png")])
    assert response.status_code == 400
    assert cases(app) == 0


def test_more_than_five_attachments_is_refused(app, cadre):
    response = cadre.file_concern(files=[upload(gen_png(), f"{i}.png") for i in range(6)])
    assert response.status_code == 400
    assert cases(app) == 0


def test_description_limit_is_20000_characters(app, cadre):
    assert cadre.file_concern(description="字" * 20001).status_code == 400
    assert cases(app) == 0
    assert cadre.file_concern(description="字" * 20000).status_code == 200
    assert cases(app) == 1


@pytest.mark.parametrize("bad", ["\x00", "\x1b[31m", "\ue000", "\x7f"])
def test_invalid_characters_are_refused(app, cadre, bad):
    response = cadre.file_concern(subject=f"subject {bad} here")
    assert response.status_code == 400
    # NUL is refused for the whole request before any form reads it (PostgreSQL cannot hold it).
    marker = 'class="box warn"' if bad == "\x00" else 'id="subject-error"'
    assert marker in response.get_data(as_text=True)
    assert cases(app) == 0


def test_missing_required_fields_are_named(app, cadre):
    response = cadre.post("/submit/clarification", {})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("real_name", "unit_name", "post", "allegation", "allegation_source"):
        assert f'id="{field}-error"' in html
    assert cases(app) == 0


def test_unknown_category_is_refused(app, cadre):
    assert cadre.file_concern(category="bribery").status_code == 400
    assert cases(app) == 0


def test_unknown_choice_in_checkboxes_is_refused(app, cadre):
    assert cadre.file_clarification(harms=["promotion", "nonsense"]).status_code == 400
    assert cases(app) == 0


def test_invalid_reply_stores_nothing(app, cadre, client):
    cadre.follow_up(cadre.receipt_of(cadre.file_concern()))
    assert cadre.reply("").status_code == 400
    assert cadre.reply("x" * 20001).status_code == 400
    assert cadre.reply("ok", files=[upload(b"not a pdf", "a.pdf")]).status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0


def _shows_escaped(html: str) -> None:
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(" in html


def test_script_in_every_concern_field_is_shown_escaped(cadre, client):
    fields = {name: f"{name} {SCRIPT}" for name in CONCERN_TEXT}
    receipt = cadre.receipt_of(cadre.file_concern(**fields))
    cadre.follow_up(receipt)
    html = client.get("/followup/status").get_data(as_text=True)
    for name in CONCERN_TEXT:
        assert f"{name} &lt;script&gt;" in html
    _shows_escaped(html)


def test_script_in_every_clarification_field_is_shown_escaped(cadre, client):
    fields = {name: f"{name} {SCRIPT}"[:50] for name in CLARIFICATION_TEXT}
    receipt = cadre.receipt_of(cadre.file_clarification(**fields))
    cadre.follow_up(receipt)
    html = client.get("/followup/status").get_data(as_text=True)
    for name in CLARIFICATION_TEXT:
        assert f"{name} &lt;script&gt;" in html
    _shows_escaped(html)


def test_script_in_reply_and_in_a_refused_form_is_escaped(cadre, client):
    cadre.follow_up(cadre.receipt_of(cadre.file_concern()))
    cadre.reply(SCRIPT)
    _shows_escaped(client.get("/followup/status").get_data(as_text=True))
    refused = cadre.file_concern(subject=SCRIPT, description="")
    assert refused.status_code == 400
    _shows_escaped(refused.get_data(as_text=True))
    _shows_escaped(cadre.follow_up(SCRIPT).get_data(as_text=True))


def test_script_in_a_file_name_is_escaped(cadre, client):
    receipt = cadre.receipt_of(cadre.file_concern(files=[upload(gen_png(), f"{SCRIPT}.png")]))
    cadre.follow_up(receipt)
    html = client.get("/followup/status").get_data(as_text=True)
    assert SCRIPT not in html and "<script" not in html


def test_submission_pages_answer_get_and_post_only(client):
    assert client.put("/submit/concern").status_code == 405
    assert client.get("/followup/reply").status_code == 405
    assert client.get("/no/such/page").status_code == 404


def test_language_switch_ignores_foreign_targets(client):
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = client.get("/lang/en", query_string={"next": target})
        assert response.headers["Location"] == "/"
    assert client.get("/lang/en", query_string={"next": "/followup"}).headers["Location"] == "/followup"


MALFORMED = "The request was malformed"
NAMELESS_PART = b"--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--\r\n"


def _malformed_page(response) -> bool:
    return response.status_code == 400 and 'class="box warn"' in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/submit/concern", "/followup", "/review/login"])
def test_multipart_part_without_a_name_is_a_clear_400(app, client, path):
    client.get("/lang/en")
    response = client.post(path, data=NAMELESS_PART, content_type="multipart/form-data; boundary=B")
    assert _malformed_page(response)
    assert MALFORMED in response.get_data(as_text=True)
    assert cases(app) == 0


def test_nul_in_sign_in_name_is_a_clear_400(client, staff):
    member = staff("nul_check", "reviewer", login=False)
    tokens = member.tokens("/review/login")
    response = member.client.post(
        "/review/login", data={**tokens, "username": "nul\x00check", "password": "x", "code": "000000"}
    )
    assert _malformed_page(response)


@pytest.mark.parametrize(
    "path",
    [
        "/followup/files/a%00b",
        "/review/cases/ab%00cd",
        "/review?after=a%00b",
        "/admin/audit?action=a%00b",
        "/notices?q=a%00b",
    ],
)
def test_nul_in_a_path_or_query_is_a_clear_400(client, path):
    assert _malformed_page(client.get(path))


def test_audit_filter_at_the_end_of_time_is_a_clear_400(staff):
    admin = staff("audit_admin", "admin")
    admin.client.get("/lang/en")
    response = admin.get("/admin/audit?until=9999-12-31")
    assert response.status_code == 400
    assert "Enter a date between" in response.get_data(as_text=True)
    assert admin.get("/admin/audit?before=" + "9" * 40).status_code == 200
