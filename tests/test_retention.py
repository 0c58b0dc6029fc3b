"""Retention: a closed case past the archive period is shredded; the audit trail and notice stay."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, Notice
from portal.services import retention
from tests.factories import gen_png, upload
from tests.web.aftercare_helpers import record_filings
from tests.web.document_helpers import document_rows, issue, pdf_text
from tests.web.review.test_clarification_plan import (
    carry_out_the_plan,
    draft,
    found_false,
    state,
    status,
    submitter_post,
)


def dump() -> dict[tuple[str, str], list[bytes]]:
    """Every value of every column of every table, as bytes: what a database dump holds."""
    values: dict[tuple[str, str], list[bytes]] = {}
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            for column, value in row.items():
                raw = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
                values.setdefault((table.name, column), []).append(raw)
    db.session.rollback()
    return values


def case_secrets(case_id: str) -> list[bytes]:
    """Every wrapped key and ciphertext stored for one case (and its receipt lookup)."""
    found: list[bytes] = []
    for table in db.metadata.sorted_tables:
        key = table.c.get("case_id") if table.name != "cases" else table.c.id
        if key is None or table.name in ("audit_entries", "notices"):
            continue
        for row in db.session.execute(select(table).where(key == case_id)).mappings():
            found += [bytes(v) for v in row.values() if isinstance(v, bytes | memoryview) and len(v) >= 16]
    db.session.rollback()
    return found


def carried_out_case(app, cadre, staff):
    """A clarification with a message, a reply with a photo, a note and a published notice, carried out."""
    receipt, case_id, reviewer, chief, _deputy = found_false(app, cadre, staff)
    page = f"/review/cases/{case_id}"
    assert reviewer.post(f"{page}/messages", {"body": "ZM-RETENTION-MESSAGE"}, form_page=page).status_code == 303
    assert reviewer.post(f"{page}/notes", {"body": "ZM-RETENTION-NOTE"}, form_page=page).status_code == 303
    status(cadre, receipt)
    assert cadre.reply("ZM-RETENTION-REPLY", files=[upload(gen_png(), "photo.png")]).status_code == 303
    assert draft(reviewer, case_id).status_code == 303
    assert submitter_post(cadre, "/followup/consent").status_code == 303
    assert chief.act(case_id, "approve_plan").status_code == 303
    for mode, record in (("written", "Letter sent."), ("meeting", "Township meeting.")):
        reviewer.post(f"{page}/plan/done", {"mode": mode, "record": record}, form_page=page)
    record_filings(reviewer, case_id)
    assert reviewer.act(case_id, "carry_out").status_code == 303
    assert state(app, case_id) == "carried_out"
    # The cadre leaves (an idle session would expire in 30 minutes): no session holds the key then.
    assert cadre.client.post("/followup/leave", data=cadre.form("/followup/status")).status_code == 303
    return receipt, case_id


def test_purge_shreds_a_case_past_the_archive_period_and_keeps_audit_and_notice(
    app, cadre, staff, client, runner, monkeypatch
):
    receipt, case_id = carried_out_case(app, cadre, staff)
    kept_receipt = cadre.receipt_of(cadre.file_concern(description="A concern still being worked on."))
    with app.app_context():
        kept_id = db.session.scalar(select(Case.id).where(Case.id != case_id))
        notice_id = db.session.scalar(select(Notice.id).where(Notice.case_id == case_id))
        secrets = case_secrets(case_id)
        closed_on = retention.today()
        before = dump()
    assert len(secrets) >= 10  # lookup, submitter and escrow keys, submission, holders' keys, texts, file

    # One day short of five years nothing is due; on the day the case is listed, by id and day only.
    last_day_kept = closed_on.replace(year=closed_on.year + 5) - dt.timedelta(days=1)
    with app.app_context():
        assert retention.due(last_day_kept) == []
    monkeypatch.setattr(retention, "today", lambda: last_day_kept + dt.timedelta(days=1))
    listed = runner.invoke(args=["purge", "--dry-run"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines() == [
        f"{case_id} closed {closed_on.isoformat()}",
        "1 closed case(s) older than 5 year(s) would be shredded.",
    ]
    with app.app_context():
        assert dump() == before  # a dry run changes nothing

    done = runner.invoke(args=["purge"])
    assert done.exit_code == 0, done.output
    assert f"{case_id} closed {closed_on.isoformat()}" in done.output
    assert runner.invoke(args=["purge"]).output.startswith("0 closed case(s)")  # nothing twice

    with app.app_context():
        after = dump()
    # No wrapped key and no ciphertext of the case anywhere, in any column of any table.
    for (table, column), values in after.items():
        for secret in secrets:
            assert not any(secret in value for value in values), (table, column)
    # Its id stays in the audit trail only (which never held content).
    assert {where for where, values in after.items() if any(case_id.encode() in v for v in values)} == {
        ("audit_entries", "case_id")
    }
    assert b"case_purged" in b" ".join(after[("audit_entries", "action")])
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0 and "intact" in verified.output

    # The receipt opens nothing; the other case still opens; the public notice stays.
    assert cadre.follow_up(receipt).status_code == 400
    assert cadre.follow_up(kept_receipt).status_code == 303
    assert "A concern still being worked on." in cadre.client.get("/followup/status").get_data(as_text=True)
    assert client.get(f"/notices/{notice_id}").status_code == 200
    with app.app_context():
        assert db.session.get(Notice, notice_id).case_id is None
        assert db.session.get(Case, kept_id) is not None


def test_a_holder_takes_a_paper_archive_copy_of_a_closed_case_audited(app, cadre, staff):
    receipt, case_id, reviewer, chief, _deputy = found_false(app, cadre, staff)
    page = f"/review/cases/{case_id}"
    reviewer.post(f"{page}/notes", {"body": "ZM-ARCHIVE-NOTE"}, form_page=page)
    assert reviewer.get(f"{page}/archive").status_code == 409  # found false, the plan is still to come
    assert "/archive" not in reviewer.get(page).get_data(as_text=True)
    # The 澄清正名告知书 issued in the case goes into the archive copy with its number (issue 11).
    assert issue(reviewer, case_id, "clarification", text="ZM-ARCHIVE-DOC 经核查，反映问题失实。").status_code == 303
    [document] = document_rows(app, case_id)
    carry_out_the_plan(cadre, receipt, reviewer, chief, case_id)

    assert f"{page}/archive" in reviewer.get(page).get_data(as_text=True)
    copy = reviewer.get(f"{page}/archive")
    assert copy.status_code == 200
    html = copy.get_data(as_text=True)
    for expected in (
        "ZM-ARCHIVE-NOTE",
        "经核查，反映问题失实。",
        "Accused of taking gifts",
        "X县纪委〔2026〕12号",
        case_id,
    ):
        assert expected in html, expected
    with app.app_context():
        closed = retention.today()
    assert closed.replace(year=closed.year + 5).strftime("%Y年%-m月%-d日") in html  # when it will be shredded
    assert copy.headers["Cache-Control"] == "no-store"
    assert document.number in html and "ZM-ARCHIVE-DOC" in html
    # The same copy as a PDF, for the archive's files: its text, not its pixels.
    as_pdf = reviewer.get(f"{page}/archive.pdf")
    assert as_pdf.status_code == 200 and as_pdf.mimetype == "application/pdf"
    assert as_pdf.headers["Cache-Control"] == "no-store"
    assert f'filename="archive-{case_id[:8]}.pdf"' in as_pdf.headers["Content-Disposition"]
    text = pdf_text(as_pdf.data)
    for expected in ("ZM-ARCHIVE-NOTE", "ZM-ARCHIVE-DOC", document.number, "Accused of taking gifts"):
        assert expected in text, expected
    outsider = staff("new.rev", "reviewer")
    assert outsider.get(f"{page}/archive").status_code == 403
    assert outsider.get(f"{page}/archive.pdf").status_code == 403
    with app.app_context():
        from portal.models import AuditEntry

        exports = db.session.scalars(
            select(AuditEntry.actor_id).where(AuditEntry.action == "case_exported", AuditEntry.case_id == case_id)
        ).all()
    assert exports == [reviewer.user_id, reviewer.user_id]  # the outsider's refused attempts exported nothing
