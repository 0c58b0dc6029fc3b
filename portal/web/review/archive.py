"""The paper-archive copy of a closed case: one print page (timeline and documents), audited."""

from __future__ import annotations

from flask import make_response, render_template
from flask_babel import gettext as _
from flask_login import current_user

from portal.domain.cases import Kind
from portal.domain.staff import CASE_WORKER_ROLES
from portal.services import case_state, gongwen_files, retention
from portal.web.errors import error_page
from portal.web.review import bp
from portal.web.staff import roles_required


@bp.app_template_global("archivable")
def archivable(state: str) -> bool:
    return retention.archivable(state)


def _page(case_id: str, fmt: str):
    copy = retention.export(current_user.user, current_user.private_key, case_id, fmt)
    return render_template(
        "review/archive.html",
        copy=copy,
        view=copy.view,
        clarification=copy.view.case.kind in (Kind.CLARIFICATION, Kind.FAULT_TOLERANCE),
        as_pdf=fmt == "pdf",
        taken_on=case_state.today(),
    )


def _not_closed():
    return error_page(409, _("Not closed yet"), _("Only a closed case is exported for the paper archive."))


@bp.get("/cases/<case_id>/archive")
@roles_required(*CASE_WORKER_ROLES)
def archive(case_id: str):
    try:
        return _page(case_id, "html")
    except retention.NotClosed:
        return _not_closed()


@bp.get("/cases/<case_id>/archive.pdf")
@roles_required(*CASE_WORKER_ROLES)
def archive_pdf(case_id: str):
    """The same copy as a PDF (WeasyPrint, print media): for the archive's files, audited the same way."""
    try:
        page = _page(case_id, "pdf")
    except retention.NotClosed:
        return _not_closed()
    response = make_response(gongwen_files.pdf_of_page(page))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="archive-{case_id[:8]}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response
