"""Routes of the anonymous side. Thin: validate, call a service, render."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from portal.domain import receipts
from portal.domain.cases import Kind
from portal.domain.workflow import Action
from portal.services import bodies, followup, form_tokens, held_receipts, intake
from portal.services.bodies import BodyChoice
from portal.services.errors import FormReplayed, ReceiptNotFound, SessionExpired
from portal.web import confirm, download
from portal.web.errors import error_page
from portal.web.fields import uploads_of
from portal.web.notices import labels as notice_labels
from portal.web.rate_limits import limiter
from portal.web.refusals import REFUSED, refusal, show_on
from portal.web.submit.forms import (
    ClarificationRequestForm,
    ConcernForm,
    ConsentForm,
    CorrectionConsentForm,
    CorrectionDeclineForm,
    DeclineForm,
    FaultToleranceForm,
    LeaveForm,
    NamingConsentForm,
    NamingDeclineForm,
    ObjectionForm,
    ReceiptDoneForm,
    ReceiptForm,
    ReplyForm,
    discipline_only,
    offer_bodies,
)

bp = Blueprint("submit", __name__)
_ACCESS = "followup"
#: This browser's key to the receipt it is shown (see services.held_receipts).
_HOLDER = "holder"
#: The one-time token of the form whose receipt is waiting to be written down.
_RECEIPT = "receipt_form"


def _limit(name: str):
    return limiter.limit(lambda: current_app.config[name], methods=["POST"])


def _failed(response) -> bool:
    return response.status_code >= 400


@bp.get("/")
def landing():
    return render_template("submit/landing.html")


def _waiting_receipt() -> str | None:
    """The receipt this browser was given and has not confirmed yet, if it is still held."""
    receipt = held_receipts.read(session.get(_RECEIPT), session.get(_HOLDER))
    if receipt is None:
        session.pop(_RECEIPT, None)
    return receipt


def _to_receipt(token: str):
    """POST, redirect, GET: a reload shows the receipt again instead of re-sending the form."""
    session[_RECEIPT] = token
    return redirect(url_for("submit.receipt"), code=303)


def _offer_bodies(form, kind: Kind) -> BodyChoice | None:
    """Fill the 受理机关 select; the one body there is when the choice is no choice (shown as a line)."""
    choices = bodies.receiving()
    if kind in (Kind.CLARIFICATION, Kind.FAULT_TOLERANCE):
        choices = discipline_only(choices)
    default = bodies.default()
    offer_bodies(form.body, choices, default.id if default else None, auto=kind is Kind.CONCERN)
    if len(choices) != 1:
        return None
    only = choices[0]
    if kind is Kind.CONCERN and set(bodies.routes().values()) - {only.id}:
        return None  # a category goes to a body not listed: "decided by the category" is a real choice
    return only


def _file(form, kind: Kind, template: str):
    only_body = _offer_bodies(form, kind)
    if not form.is_submitted():
        if _waiting_receipt() is not None:  # Back from the receipt: write it down before anything else
            return redirect(url_for("submit.receipt"), code=303)
        form.form_token.data = form_tokens.issue()
        session.setdefault(_HOLDER, held_receipts.new_holder())
        return render_template(template, form=form, only_body=only_body)
    if form.validate():
        fields = {name: getattr(form, name).data for name in form.text_fields}
        if kind is Kind.CLARIFICATION:
            fields["rank"] = form.rank.data
            fields["harms"] = form.harms.data or []
            fields["wanted"] = ["written", *(form.wanted.data or [])]
        if kind is Kind.FAULT_TOLERANCE:  # issue 10
            fields.update(form.choice_fields())
        category = form.category.data if kind is Kind.CONCERN else None
        real_name = kind is Kind.CONCERN and form.is_real_name  # issue 10: 实名反映
        if real_name:
            fields.update(form.reporter())
        token, holder = form.form_token.data, session.setdefault(_HOLDER, held_receipts.new_holder())
        try:
            intake.file_case(
                kind, category, fields, uploads_of(form.attachments), token, holder, form.body.data, real_name
            )
        except REFUSED as exc:
            status = show_on(form, exc, "attachments")
            return render_template(template, form=form, only_body=only_body), status
        except FormReplayed:
            # A double tap or a resend: the same browser sees the receipt of the case it made.
            if held_receipts.read(token, holder, resend=True) is None:
                raise
            return _to_receipt(token)
        else:
            return _to_receipt(token)
    return render_template(template, form=form, only_body=only_body), 400


@bp.get("/submit/receipt")
def receipt():
    found = _waiting_receipt()
    if found is None:
        return error_page(
            404,
            _("No receipt to show"),
            _(
                "A receipt is shown only in the browser that sent the form, until you confirm you have "
                "written it down. It cannot be shown again."
            ),
        )
    return render_template("submit/receipt.html", receipt=receipts.grouped(found), done=ReceiptDoneForm())


@bp.post("/submit/receipt")
def receipt_written_down():
    if ReceiptDoneForm().validate():
        held_receipts.forget(session.pop(_RECEIPT, None))
        flash(_("The receipt is no longer shown in this browser. Keep it safe: it is your only way back to the case."))
    return redirect(url_for("submit.landing"), code=303)


@bp.route("/submit/concern", methods=["GET", "POST"])
@_limit("LIMIT_SUBMIT")
def concern():
    return _file(ConcernForm(), Kind.CONCERN, "submit/concern.html")


@bp.route("/submit/clarification", methods=["GET", "POST"])
@_limit("LIMIT_SUBMIT")
def clarification():
    return _file(ClarificationRequestForm(), Kind.CLARIFICATION, "submit/clarification.html")


@bp.route("/submit/fault-tolerance", methods=["GET", "POST"])
@_limit("LIMIT_SUBMIT")
def fault_tolerance():
    return _file(FaultToleranceForm(), Kind.FAULT_TOLERANCE, "submit/fault_tolerance.html")


def _stored_access() -> followup.Access | None:
    stored = session.get(_ACCESS)
    if not isinstance(stored, dict):
        return None
    return followup.Access(case_id=str(stored.get("case")), session_secret=str(stored.get("key")))


def _access() -> followup.Access:
    access = _stored_access()
    if access is None:
        raise SessionExpired("no follow-up session")
    return access


@bp.route("/followup", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LIMIT_FOLLOWUP"], methods=["POST"], deduct_when=_failed)
def followup_start():
    form = ReceiptForm()
    if not form.is_submitted():
        return render_template("submit/followup.html", form=form)
    if form.validate():
        try:
            access = followup.sign_in(form.receipt.data)
        except ReceiptNotFound:
            form.receipt.errors = [_("This receipt was not found. Check the digits and try again.")]
        else:
            session.clear()
            session[_ACCESS] = {"case": access.case_id, "key": access.session_secret}
            return redirect(url_for("submit.status"), code=303)
    return render_template("submit/followup.html", form=form), 400


def _status_page(access: followup.Access, status: int = 200, refused: str | None = None, **forms):
    """The status page; ``refused`` says why a step without a field of its own was not taken."""
    view = followup.status(access)
    forms = {
        "form": ReplyForm(),
        "objection": ObjectionForm(),
        "consent": ConsentForm(),
        "decline": DeclineForm(),
        "correction_consent": CorrectionConsentForm(),
        "correction_decline": CorrectionDeclineForm(),
        "naming_consent": NamingConsentForm(),
        "naming_decline": NamingDeclineForm(),
        **forms,
    }
    for form in forms.values():
        form.form_token.data = form.form_token.data or form_tokens.issue()
    return render_template(
        "submit/status.html",
        view=view,
        leave=LeaveForm(),
        field_label=notice_labels.field_label,
        long_date=lambda day: format_date(day, "long"),
        refused=refused,
        **forms,
    ), status


@bp.get("/followup/status")
def status():
    return _status_page(_access())


@bp.post("/followup/object")
@_limit("LIMIT_REPLY")
def object_to_answer():
    access = _access()
    form = ObjectionForm()
    if confirm.revising():
        return _status_page(access, objection=form)
    if form.validate():
        try:
            if confirm.pending(Action.OBJECT):
                kind = followup.check(access, Action.OBJECT, form.reason.data)
                wording = "object_decision" if kind == Kind.FAULT_TOLERANCE else Action.OBJECT.value  # issue 10
                return confirm.page(wording, [(form.reason.label.text, form.reason.data)], staff=False)
            followup.object_to_answer(access, form.reason.data, form.form_token.data)
        except REFUSED as exc:
            return _status_page(access, status=show_on(form, exc, "reason"), objection=form)
        flash(_("Your objection was received; the case will be handled again."))
        return redirect(url_for("submit.status"), code=303)
    return _status_page(access, status=400, objection=form)


@bp.post("/followup/reply")
@_limit("LIMIT_REPLY")
def reply():
    access = _access()
    form = ReplyForm()
    if form.validate():
        try:
            followup.reply(access, form.body.data, uploads_of(form.attachments), form.form_token.data)
        except REFUSED as exc:
            return _status_page(access, status=show_on(form, exc, "attachments"), form=form)
        flash(_("Your message was sent."))
        return redirect(url_for("submit.status"), code=303)
    return _status_page(access, status=400, form=form)


def _consent_step(form: FlaskForm, action: Action, record: Callable[[followup.Access, str], None], done: str):
    """本人同意 to a plan or a correction: asked once more on a page of its own, then recorded."""
    access = _access()
    if confirm.revising():
        return redirect(url_for("submit.status"), code=303)
    if form.validate():
        try:
            if confirm.pending(action):
                followup.check(access, action)
                return confirm.page(action.value, staff=False)
            record(access, form.form_token.data)
        except REFUSED as exc:
            refused = refusal(exc)
            return _status_page(access, status=refused.status, refused=str(refused.message))
        flash(done)
        return redirect(url_for("submit.status"), code=303)
    return _status_page(access, status=400)


def _decline_step(form: FlaskForm, page_form: str, record: Callable[[followup.Access, str, str], None], done: str):
    """The cadre declines a plan or a correction with a comment for the reviewer."""
    access = _access()
    if form.validate():
        try:
            record(access, form.comment.data, form.form_token.data)
        except REFUSED as exc:
            return _status_page(access, status=show_on(form, exc, "comment"), **{page_form: form})
        flash(done)
        return redirect(url_for("submit.status"), code=303)
    return _status_page(access, status=400, **{page_form: form})


@bp.post("/followup/consent")
@_limit("LIMIT_REPLY")
def consent():
    return _consent_step(
        ConsentForm(),
        Action.CONSENT,
        followup.consent,
        _("Thank you. Your consent was recorded; a supervisor will now review the plan."),
    )


@bp.post("/followup/decline")
@_limit("LIMIT_REPLY")
def decline():
    return _decline_step(
        DeclineForm(),
        "decline",
        followup.decline,
        _("You declined the plan. The reviewer will read your comment and prepare a new one."),
    )


@bp.post("/followup/correction/consent")
@_limit("LIMIT_REPLY")
def consent_to_correction():
    return _consent_step(
        CorrectionConsentForm(),
        Action.CONSENT_CORRECTION,
        followup.consent_to_correction,
        _("Thank you. The correction you consented to is now published."),
    )


@bp.post("/followup/correction/decline")
@_limit("LIMIT_REPLY")
def decline_correction():
    return _decline_step(
        CorrectionDeclineForm(),
        "correction_decline",
        followup.decline_correction,
        _("You declined the correction. The published notice stays as it is."),
    )


#: The confirmation page of the cadre's consent to be named in a bulletin (portal.web.confirm).
NAMING_CONSENT = "consent_naming"


@bp.post("/followup/bulletin/consent")
@_limit("LIMIT_REPLY")
def consent_to_naming():
    """同意公开姓名: asked once more on a page of its own, then recorded for the text the cadre read."""
    access = _access()
    form = NamingConsentForm()
    if confirm.revising():
        return redirect(url_for("submit.status"), code=303)
    if not form.validate():
        return _status_page(access, status=400)
    try:
        if confirm.pending(NAMING_CONSENT):
            followup.check_naming(access, True, form.text_digest.data)
            return confirm.page(NAMING_CONSENT, staff=False)
        followup.answer_naming(access, True, form.text_digest.data, form.form_token.data)
    except REFUSED as exc:
        refused = refusal(exc)
        return _status_page(access, status=refused.status, refused=str(refused.message))
    flash(_("Thank you. Your consent to be named was recorded; a leader may now approve the bulletin."))
    return redirect(url_for("submit.status"), code=303)


@bp.post("/followup/bulletin/decline")
@_limit("LIMIT_REPLY")
def decline_naming():
    """不同意 (or a consent withdrawn): the draft goes back to its drafter, who may redraft it without the name."""
    access = _access()
    form = NamingDeclineForm()
    if not form.validate():
        return _status_page(access, status=400)
    try:
        followup.answer_naming(access, False, None, form.form_token.data)
    except REFUSED as exc:
        refused = refusal(exc)
        return _status_page(access, status=refused.status, refused=str(refused.message))
    flash(_("You did not consent to be named. The bulletin will not name you."))
    return redirect(url_for("submit.status"), code=303)


@bp.get("/followup/files/<file_id>")
def file(file_id: str):
    found = followup.download(_access(), file_id)
    if found is None:
        abort(404)
    info, data = found
    return download.as_attachment(info.name, info.mime, data)


@bp.post("/followup/leave")
def leave():
    followup.leave(_stored_access())
    session.clear()
    flash(_("You have left. Nothing of this visit is kept in this browser."))
    return redirect(url_for("submit.landing"), code=303)
