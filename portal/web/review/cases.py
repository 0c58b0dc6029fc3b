"""One case: the decrypted file, its timeline, notes, thread, and the actions allowed now."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.domain.cases import AccusationFlag, Finding, Kind, RefusalReason
from portal.domain.staff import CASE_WORKER_ROLES
from portal.domain.workflow import Action
from portal.services import casework, false_items
from portal.web import confirm, download, labels
from portal.web.fields import uploads_of
from portal.web.refusals import REFUSED, show_on
from portal.web.request_checks import optional_id
from portal.web.review import bp
from portal.web.review.case_forms import ActionForm, MessageForm, NoteForm
from portal.web.staff import roles_required

CASE_WORKERS = tuple(CASE_WORKER_ROLES)


def render_case(case_id: str, status: int = 200, action_form=None, message_form=None, note_form=None):
    view = casework.open_case(current_user.user, current_user.private_key, case_id)
    form = action_form or ActionForm()
    form.finding.choices = [SelectChoice(f.value, labels.FINDINGS[f]) for f in Finding]
    form.assignee.choices = [SelectChoice(str(u.id), u.username) for u in view.workers]
    # No judgement is preselected: the reviewer makes the choice explicitly.
    form.flag.choices = [SelectChoice("", _("Please choose"))] + [
        SelectChoice(f.value, labels.FLAGS[f]) for f in AccusationFlag if f is not AccusationFlag.NONE
    ]
    form.refusal_reason.choices = [SelectChoice(r.value, labels.REFUSAL_REASONS[r]) for r in RefusalReason]
    message, note = message_form or MessageForm(), note_form or NoteForm()
    # The cadre of a clarification or a fault-tolerance application is the applicant (申请人), never 反映人.
    clarification = view.case.kind in (Kind.CLARIFICATION, Kind.FAULT_TOLERANCE)
    if clarification:
        message.body.label.text = _("Message to the applicant")
        note.body.label.text = _("Internal note (never shown to the applicant)")
    return render_template(
        "review/case.html",
        view=view,
        form=form,
        message=message,
        note=note,
        clarification=clarification,
    ), status


@bp.get("/cases/<case_id>")
@roles_required(*CASE_WORKERS)
def case(case_id: str):
    return render_case(case_id)


@bp.post("/cases/<case_id>/act")
@roles_required(*CASE_WORKERS)
def act(case_id: str):
    form = ActionForm()
    if not form.validate() or form.action.data not in set(Action):
        return render_case(case_id, 400, action_form=form)
    action = Action(form.action.data)
    if confirm.revising():
        return render_case(case_id, action_form=form)
    step = casework.StepInput(
        reason=form.reason.data or None,
        finding=form.finding.data,
        assignee_id=optional_id(form.assignee.data),
        flag=form.flag.data,
        refusal_reason=form.refusal_reason.data,
        false_items=false_items.parse(form.false_items.data),  # 部分失实 (issue 10)
    )
    user, key = current_user.user, current_user.private_key
    try:
        if confirm.pending(action):
            case = casework.check(user, key, case_id, action, step)
            return _confirmation(case.kind, action, form)
        casework.act(user, key, case_id, action, step, form.form_token.data)
    except REFUSED as exc:
        return render_case(case_id, show_on(form, exc, "action"), action_form=form)
    flash(labels.done_message(form.action.data))
    return redirect(url_for("review.case", case_id=case_id), code=303)


def _confirmation(kind: str, action: Action, form: ActionForm):
    """What the step will do and the text and choices entered, for a second look."""
    clarification = kind == Kind.CLARIFICATION
    words = labels.for_kind(kind)
    wording = "refuse_clarification" if action is Action.REFUSE and clarification else action.value
    if action is Action.REFUSE and kind == Kind.FAULT_TOLERANCE:  # issue 10
        wording = "refuse_fault_tolerance"
    review = [(_("Step"), words.ACTIONS[action])]
    if action is Action.REFUSE and clarification:
        review.append((form.refusal_reason.label.text, labels.REFUSAL_REASONS.get(form.refusal_reason.data)))
    if action is Action.FLAG:
        review.append((form.flag.label.text, labels.FLAGS[AccusationFlag(form.flag.data)]))
    if action is Action.ANSWER:
        review.append((_("Answer (the submitter will see it)"), form.reason.data))
    elif action is Action.APPROVE_DECISION:  # issue 10
        review.append((_("Reasons for the decision (the applicant will read them)"), form.reason.data))
    elif action is Action.REFUSE:
        review.append(
            (
                _("Reason (the applicant will see it)")
                if clarification or kind == Kind.FAULT_TOLERANCE
                else _("Reason (the submitter will see it)"),
                form.reason.data,
            )
        )
    elif action is Action.TELL_RESULT:  # issue 10
        review.append((_("Result (the submitter will see it)"), form.reason.data))
    elif form.reason.data:
        review.append((_("Reason (internal)"), form.reason.data))
    return confirm.page(wording, review, staff=True)


@bp.post("/cases/<case_id>/messages")
@roles_required(*CASE_WORKERS)
def message(case_id: str):
    form = MessageForm()
    if not form.validate():
        return render_case(case_id, 400, message_form=form)
    try:
        casework.message(
            current_user.user,
            current_user.private_key,
            case_id,
            form.body.data,
            uploads_of(form.attachments),
            form.form_token.data,
        )
    except REFUSED as exc:
        return render_case(case_id, show_on(form, exc, "body"), message_form=form)
    flash(_("Message sent."))
    return redirect(url_for("review.case", case_id=case_id), code=303)


@bp.post("/cases/<case_id>/notes")
@roles_required(*CASE_WORKERS)
def note(case_id: str):
    form = NoteForm()
    if not form.validate():
        return render_case(case_id, 400, note_form=form)
    try:
        casework.note(current_user.user, current_user.private_key, case_id, form.body.data, form.form_token.data)
    except REFUSED as exc:
        return render_case(case_id, show_on(form, exc, "body"), note_form=form)
    return redirect(url_for("review.case", case_id=case_id), code=303)


@bp.get("/cases/<case_id>/files/<file_id>")
@roles_required(*CASE_WORKERS)
def file(case_id: str, file_id: str):
    found = casework.download(current_user.user, current_user.private_key, case_id, file_id)
    if found is None:
        abort(404)
    info, data = found
    return download.as_attachment(info.name, info.mime, data)
