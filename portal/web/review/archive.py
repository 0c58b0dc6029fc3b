"""The paper-archive copy of a closed case: one print page (timeline and documents), audited."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from portal.domain.cases import Kind
from portal.domain.staff import CASE_WORKER_ROLES
from portal.services import retention
from portal.web.errors import error_page
from portal.web.review import bp
from portal.web.staff import roles_required


@bp.app_template_global("archivable")
def archivable(state: str) -> bool:
    return retention.archivable(state)


@bp.get("/cases/<case_id>/archive")
@roles_required(*CASE_WORKER_ROLES)
def archive(case_id: str):
    try:
        copy = retention.export(current_user.user, current_user.private_key, case_id)
    except retention.NotClosed:
        return error_page(409, _("Not closed yet"), _("Only a closed case is exported for the paper archive."))
    return render_template(
        "review/archive.html",
        copy=copy,
        view=copy.view,
        clarification=copy.view.case.kind in (Kind.CLARIFICATION, Kind.FAULT_TOLERANCE),
    )
