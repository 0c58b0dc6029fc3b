"""Helpers for the official documents' tests: issue one from a case's documents page, read rows."""

from __future__ import annotations

import re

from portal.extensions import db
from portal.models import AuditEntry, Case, Document


def documents_page(case_id: str) -> str:
    return f"/review/cases/{case_id}/documents"


def issue_page(case_id: str, kind: str) -> str:
    return f"/review/cases/{case_id}/documents/new/{kind}"


def draft_fields(member, case_id: str, kind: str) -> dict[str, str]:
    """The issue form's fields as the draft fills them."""
    html = member.get(issue_page(case_id, kind)).get_data(as_text=True)
    addressee = re.search(r'name="addressee"[^>]*value="([^"]*)"', html)
    text = re.search(r'<textarea[^>]*name="text"[^>]*>\n?(.*?)</textarea>', html, re.S)
    import html as entities

    return {
        "addressee": entities.unescape(addressee.group(1)) if addressee else "",
        "text": entities.unescape(text.group(1)) if text else "",
    }


def issue(member, case_id: str, kind: str, **changes: str):
    """Issue the document of this kind as drafted, with ``changes`` to the addressee or text."""
    fields = {**draft_fields(member, case_id, kind), **changes}
    return member.post(issue_page(case_id, kind), fields)


def document_rows(app, case_id: str) -> list[Document]:
    with app.app_context():
        rows = list(
            db.session.scalars(db.select(Document).where(Document.case_id == case_id).order_by(Document.number))
        )
        db.session.expunge_all()
        return rows


def audit_rows(app, case_id: str, prefix: str = "document.") -> list[tuple[str, int | None, str | None]]:
    with app.app_context():
        query = db.select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.detail).where(
            AuditEntry.case_id == case_id, AuditEntry.action.startswith(prefix)
        )
        return [tuple(r) for r in db.session.execute(query.order_by(AuditEntry.id))]


def case_number(app, case_id: str) -> str | None:
    with app.app_context():
        return db.session.get(Case, case_id).number


def pdf_text(data: bytes) -> str:
    """The text of a PDF, as pypdf reads it (never its pixels)."""
    import io

    from pypdf import PdfReader

    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    """Every paragraph's text of a .docx, tables included (python-docx)."""
    import io

    from docx import Document as Docx

    doc = Docx(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def squeeze(text: str) -> str:
    """Text without whitespace: a PDF's extracted lines break where the page does."""
    return "".join(text.split())
