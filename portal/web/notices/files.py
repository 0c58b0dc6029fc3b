"""A published notice as a PDF and a .docx (/notices/<id>.pdf, .docx): public, and not audited.

Anyone may fetch them, as anyone may read the page: an audit entry per public fetch would let
anyone grow the audit chain at will. A rendering costs far more than a page, so each worker keeps
the files of the newest version of a few notices (a withdrawal drops them at the next request,
and a withdrawn notice has no files: its text came down with it).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Response, abort, current_app

from portal.services import document_drafts, gongwen_files, notices_public
from portal.web import download
from portal.web.document_files import FORMATS
from portal.web.notices.conditional import MAX_AGE
from portal.web.notices.routes import bp

#: How many (notice, format) files a worker keeps.
KEPT = 32
_lock = threading.Lock()


def _kept() -> OrderedDict:
    return current_app.extensions.setdefault("zm_notice_files", OrderedDict())


def _rendered(notice_id: int, fmt: str, version: tuple) -> tuple[str, bytes] | None:
    """(number, bytes) of the notice's current version; None when withdrawn or gone."""
    kept = _kept()
    with _lock:
        hit = kept.get((notice_id, fmt))
        if hit is not None and hit[0] == version:
            kept.move_to_end((notice_id, fmt))
            return hit[1], hit[2]
        kept.pop((notice_id, fmt), None)
    found = notices_public.notice(notice_id)
    if found is None or found[0].status != "published":
        return None
    notice = found[0]
    assert isinstance(notice, notices_public.PublicNotice)
    doc = document_drafts.from_notice(notice)
    data = gongwen_files.pdf(doc) if fmt == "pdf" else gongwen_files.docx(doc)
    with _lock:
        kept[(notice_id, fmt)] = (version, notice.number, data)
        while len(kept) > KEPT:
            kept.popitem(last=False)
    return notice.number, data


@bp.get("/<int:notice_id>.<any(pdf, docx):fmt>")
def notice_file(notice_id: int, fmt: str) -> Response:
    state = notices_public.notice_state(notice_id) if notice_id <= notices_public.MAX_ID else None
    if state is None:
        abort(404)
    rendered = _rendered(notice_id, fmt, (state.revision, state.updated_at))
    if rendered is None:
        abort(404)
    number, data = rendered
    response = download.as_attachment(f"{number}.{fmt}", FORMATS[fmt], data)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response
