"""A case's official documents (公文): the list, the issue form of each allowed kind, each document.

Holders only, as every case page: the services open the case with the viewer's key. A draft is
filled from the case; the staff member may change the addressee and the text (one paragraph a
line) and issues it, which draws its number. A supervisor or leader voids (作废) an issued document
with a reason, confirmed first; it keeps its number, marked voided.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField

from portal.domain.documents import VOIDABLE, DocumentKind
from portal.domain.gongwen import Gongwen
from portal.domain.staff import CASE_WORKER_ROLES, StaffRole
from portal.services import documents as document_service
from portal.services.documents import DocumentRow
from portal.web import confirm, document_files
from portal.web.fields import text_field
from portal.web.refusals import REFUSED, refusal, show_on
from portal.web.review import bp
from portal.web.staff import roles_required


class IssueForm(FlaskForm):
    """The draft as the staff member confirms it."""

    form_token = HiddenField()
    addressee = text_field(_l("Addressed to (主送)"), document_service.ADDRESSEE_MAX, required=False)
    text = text_field(
        _l("Text (正文), one paragraph a line"),
        document_service.PARAGRAPH_MAX * 4,
        required=False,
        area=True,
        render_kw={"rows": 12},
    )


class VoidForm(FlaskForm):
    """作废: the reason is required; the cadre reads it too if the document was issued to them."""

    form_token = HiddenField()
    reason = text_field(
        _l("Reason for voiding (作废原因)"), document_service.VOID_REASON_MAX, area=True, render_kw={"rows": 3}
    )


@bp.get("/cases/<case_id>/documents")
@roles_required(*CASE_WORKER_ROLES)
def documents(case_id: str):
    """What the case was issued, and the kinds it may be issued now."""
    page = document_service.listing(current_user.user, current_user.private_key, case_id)
    return render_template("review/documents.html", page=page)


def _issue_page(case_id: str, kind: str, doc: Gongwen, form: IssueForm, status: int = 200):
    return render_template(
        "review/document_issue.html", case_id=case_id, kind=DocumentKind(kind), doc=doc, form=form
    ), status


@bp.route("/cases/<case_id>/documents/new/<kind>", methods=["GET", "POST"])
@roles_required(*CASE_WORKER_ROLES)
def issue_document(case_id: str, kind: str):
    """The draft of one kind, filled from the case; a POST issues it as confirmed (its number drawn)."""
    form = IssueForm()
    try:
        doc = document_service.draft(current_user.user, current_user.private_key, case_id, kind)
    except document_service.WrongKind:
        abort(409)
    if not form.is_submitted():
        form.addressee.data = doc.addressee or ""
        form.text.data = "\n".join(doc.paragraphs)
        return _issue_page(case_id, kind, doc, form)
    if not form.validate():
        return _issue_page(case_id, kind, doc, form, 400)
    try:
        document_service.issue(
            current_user.user,
            current_user.private_key,
            case_id,
            kind,
            form.addressee.data or "",
            form.text.data or "",
            form.form_token.data,
        )
    except REFUSED as exc:
        return _issue_page(case_id, kind, doc, form, show_on(form, exc, "text"))
    flash(_l("The document was issued and numbered: it is listed below."))
    return redirect(url_for("review.documents", case_id=case_id), code=303)


def _document_page(
    case_id: str, row: DocumentRow, doc: Gongwen, form: VoidForm, status: int = 200, refused: str | None = None
):
    may_void = current_user.is_supervisor and row.voided_at is None and row.kind in VOIDABLE
    return render_template(
        "review/document.html",
        case_id=case_id,
        row=row,
        doc=doc,
        void_form=form if may_void else None,
        refused=refused,
    ), status


def _refused_page(case_id: str, doc_id: str, form: VoidForm, exc: Exception):
    """The document page again, with the refusal's words (on the reason when it is about the reason)."""
    answer = refusal(exc)
    if answer.field == "reason":
        form.reason.errors = [*form.reason.errors, str(answer.message)]
    row, doc = document_service.read(current_user.user, current_user.private_key, case_id, doc_id, "html")
    return _document_page(case_id, row, doc, form, answer.status, None if answer.field else str(answer.message))


@bp.get("/cases/<case_id>/documents/<doc_id>")
@roles_required(*CASE_WORKER_ROLES)
def document(case_id: str, doc_id: str):
    """One issued document, as it reads (audited); a supervisor or leader may void it from here."""
    try:
        row, doc = document_service.read(current_user.user, current_user.private_key, case_id, doc_id, "html")
    except document_service.NoSuchDocument:
        abort(404)
    return _document_page(case_id, row, doc, VoidForm(formdata=None))


@bp.post("/cases/<case_id>/documents/<doc_id>/void")
@roles_required(StaffRole.SUPERVISOR, StaffRole.LEADER)
def void_document(case_id: str, doc_id: str):
    """作废: the first POST shows what will happen (nothing written), the confirmed one voids it."""
    form = VoidForm()
    try:
        if confirm.revising() or not form.validate():
            row, doc = document_service.read(current_user.user, current_user.private_key, case_id, doc_id, "html")
            return _document_page(case_id, row, doc, form, 200 if confirm.revising() else 400)
        if confirm.pending("void_document"):
            row = document_service.voidable(current_user.user, current_user.private_key, case_id, doc_id)
            return confirm.page(
                "void_document", [(_("Document"), row.number), (form.reason.label.text, form.reason.data)], staff=True
            )
        document_service.void(
            current_user.user, current_user.private_key, case_id, doc_id, form.reason.data or "", form.form_token.data
        )
    except document_service.NoSuchDocument:
        abort(404)
    except REFUSED as exc:
        return _refused_page(case_id, doc_id, form, exc)
    flash(_l("The document was voided: it keeps its number, marked voided with the date and the reason."))
    return redirect(url_for("review.documents", case_id=case_id), code=303)


@bp.get("/cases/<case_id>/documents/<doc_id>.<any(html, pdf, docx):fmt>")
@roles_required(*CASE_WORKER_ROLES)
def document_file(case_id: str, doc_id: str, fmt: str):
    """The printable page, the PDF or the .docx of an issued document (each fetch audited)."""
    try:
        _row, doc = document_service.read(current_user.user, current_user.private_key, case_id, doc_id, fmt)
    except document_service.NoSuchDocument:
        abort(404)
    return document_files.respond(doc, fmt)
