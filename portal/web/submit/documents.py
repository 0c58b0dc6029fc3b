"""The cadre's copies of the documents meant for them (受理 / 不予受理告知书, 答复意见书...).

Opened through the follow-up session like every file of theirs: the address names the document,
never the receipt. Each download is audited without an actor.
"""

from __future__ import annotations

from flask import abort

from portal.services import documents as document_service
from portal.web import document_files
from portal.web.submit.routes import _access, bp


@bp.get("/followup/documents/<doc_id>.<any(pdf, docx):fmt>")
def document_file(doc_id: str, fmt: str):
    try:
        _row, doc = document_service.read_for_submitter(_access(), doc_id, fmt)
    except document_service.NoSuchDocument:
        abort(404)
    return document_files.respond(doc, fmt)
