"""A confirmation page before an irreversible step, without JavaScript.

The first POST of such a step changes nothing: it shows what will happen, who will see it, and the
text entered, with a form that re-posts the same fields plus ``confirmed`` and one that goes back
with the text kept (``revise``). Only the confirmed POST calls the service, so the one-time form
token is spent then, and a replayed confirmation is refused like any replayed form.

Case steps say whether they need this in their rule (``Rule.confirm``); the steps outside the
case workflow are declared in ``OTHER_STEPS`` here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from portal.domain.workflow_rules import RULES, Action

CONFIRMED = "confirmed"
REVISE = "revise"
#: Fields the confirmation page does not carry over: the CSRF token is issued afresh.
_NOT_REPOSTED = frozenset({"csrf_token", CONFIRMED, REVISE})


@dataclass(frozen=True)
class Wording:
    """What the confirmation page of one step says."""

    title: LazyString
    effect: LazyString  # what happens, who sees it, that it cannot be undone
    button: LazyString
    #: Placeholders of ``effect`` filled from the configuration: (placeholder, setting).
    limits: tuple[tuple[str, str], ...] = ()

    def effect_now(self) -> str:
        """The effect in words, with the limits it names as configured."""
        text = str(self.effect)
        if not self.limits:
            return text
        return text % {name: current_app.config[setting] for name, setting in self.limits}


#: Irreversible steps outside the case workflow (case steps: ``Rule.confirm``).
OTHER_STEPS = frozenset(
    {
        "withdraw_notice",
        "disable_account",
        "reset_account",
        "approve_bulletin",
        "withdraw_bulletin",
        "make_default_body",  # h11x
        "consent_naming",  # h12b: the cadre consents to be named in a bulletin
        "void_document",  # h12v: 作废 of an issued document
    }  # bulletins: issue 10
)

WORDINGS: dict[str, Wording] = {
    "void_document": Wording(
        _l("Void this document?"),
        _l(
            "The document keeps its number and is marked voided (作废), with today's date and the reason "
            "below, on every list and in its files; the cadre sees it too if it was issued to them. The number "
            "is not given again: a corrected document is issued anew with the next number. A void cannot be "
            "undone."
        ),
        _l("Confirm: void the document"),
    ),
    Action.REFUSE.value: Wording(
        _l("Do not accept this concern?"),
        _l(
            "The concern is closed as not accepted. The submitter sees this decision and the reason below on "
            "their status page. This cannot be undone."
        ),
        _l("Confirm: do not accept"),
    ),
    "refuse_clarification": Wording(
        _l("Decline to clarify?"),
        _l(
            "The request is closed without clarification. The applicant sees this decision and the reasons "
            "below on their status page. This cannot be undone."
        ),
        _l("Confirm: decline to clarify"),
    ),
    Action.ANSWER.value: Wording(
        _l("Give this answer?"),
        _l(
            "The submitter sees the answer below on their status page and may object once within %(days)d "
            "days. An answer given cannot be taken back."
        ),
        _l("Confirm: give the answer"),
        limits=(("days", "OBJECTION_DAYS"),),
    ),
    Action.APPROVE_PLAN.value: Wording(
        _l("Approve the plan and publish?"),
        _l(
            "The clarification plan is approved; a public notice in it is published at once on the public "
            "site, in its search and its feed, for anyone to read. A published notice cannot be unpublished, "
            "only corrected or withdrawn with a public reason."
        ),
        _l("Confirm: approve and publish"),
    ),
    Action.FLAG.value: Wording(
        _l("Record this judgement of the accusation?"),
        _l(
            "The judgement below is recorded in the case's timeline and in the audit log, where it stays; "
            "staff who hold the case see it, the applicant does not. A suspected malicious accusation can "
            "then be referred."
        ),
        _l("Confirm the judgement"),
    ),
    Action.OBJECT.value: Wording(
        _l("Object to the answer?"),
        _l(
            "You can object only once. The reviewers read your reasons below and handle the case again; an "
            "objection cannot be taken back, and you cannot object a second time."
        ),
        _l("Confirm: object (only once)"),
    ),
    Action.CONSENT.value: Wording(
        _l("Consent to the plan?"),
        _l(
            "After a supervisor approves the plan, the notice is published exactly as shown on your status "
            "page, for anyone to read, and the other forms of clarification are carried out. Your consent "
            "cannot be taken back."
        ),
        _l("Confirm: I consent"),
    ),
    Action.CONSENT_CORRECTION.value: Wording(
        _l("Consent to the correction?"),
        _l(
            "The new text replaces the published notice at once, for anyone to read. Your consent cannot be taken back."
        ),
        _l("Confirm: I consent to the correction"),
    ),
    Action.TRANSFER.value: Wording(
        _l("Send this case to another body?"),
        _l(
            "The body below receives the case and its key, and accepts or refuses it within %(days)d working "
            "days. You and everyone else here lose the key at once: only a record of the transfer stays "
            "here. The cadre's page says that another body handles the case. This cannot be undone."
        ),
        _l("Confirm: send the case"),
        limits=(("days", "DEADLINE_TRANSFER_WORKING_DAYS"),),
    ),
    # -- fault tolerance (issue 10) --
    "refuse_fault_tolerance": Wording(
        _l("Do not accept this application?"),
        _l(
            "The fault-tolerance application is closed as not accepted. The applicant sees this decision and "
            "the reasons below on their status page. This cannot be undone."
        ),
        _l("Confirm: do not accept"),
    ),
    "object_decision": Wording(
        _l("Ask for a review of the decision?"),
        _l(
            "You can object only once. Your application is verified and decided again; the reviewers read "
            "your reasons below. An objection cannot be taken back, and you cannot object a second time."
        ),
        _l("Confirm: object (only once)"),
    ),
    Action.APPROVE_DECISION.value: Wording(
        _l("Approve this fault-tolerance decision?"),
        _l(
            "The decision takes effect: the applicant reads it and the reasons below on their status page, "
            "and may object once within %(days)d days. An approval cannot be taken back."
        ),
        _l("Confirm: approve the decision"),
        limits=(("days", "OBJECTION_DAYS"),),
    ),
    # issue 10: a real-name submitter is told the result once
    Action.TELL_RESULT.value: Wording(
        _l("Tell the submitter this result?"),
        _l(
            "The submitter reads the result below on their status page; it meets the deadline to tell them. "
            "It is told once and cannot be taken back."
        ),
        _l("Confirm: tell the result"),
    ),
    "withdraw_notice": Wording(
        _l("Withdraw this notice?"),
        _l(
            "The name, unit, post, allegation and text come down from the public site, its search and its feed "
            "at once; a public stub stays with the withdrawal and the reason below. A withdrawal cannot be "
            "undone."
        ),
        _l("Confirm: withdraw the notice"),
    ),
    "disable_account": Wording(
        _l("Disable this account?"),
        _l(
            "The person can no longer sign in, and their open sessions end at once; enabling the account "
            "later does not bring those sessions back."
        ),
        _l("Confirm: disable the account"),
    ),
    "reset_account": Wording(
        _l("Reset this account?"),
        _l(
            "The account gets a new temporary password, a new authenticator and a new key pair: the old ones "
            "stop working at once and it loses access to its cases until a supervisor confirms it again. "
            "This cannot be undone."
        ),
        _l("Confirm: reset the account"),
    ),
    # -- 典型案例通报 (issue 10) --
    "approve_bulletin": Wording(
        _l("Approve and publish this bulletin?"),
        _l(
            "The bulletin is published on the public site, its list and its feed at once, in the name of your "
            "body. From then on it can be corrected or withdrawn, with its history shown."
        ),
        _l("Confirm: approve and publish the bulletin"),
    ),
    "withdraw_bulletin": Wording(
        _l("Withdraw this bulletin?"),
        _l(
            "What the bulletin says about the case comes down from the public site, its search and its feed at "
            "once; a public stub stays with the withdrawal and the reason below. A withdrawal cannot be undone."
        ),
        _l("Confirm: withdraw the bulletin"),
    ),
    # -- h12b: a 典型案例通报 naming the cadre, with their consent --
    "consent_naming": Wording(
        _l("Consent to be named in the bulletin?"),
        _l(
            "Once a leader approves it, the bulletin is published with your name, exactly as shown on your "
            "status page, for anyone to read. Until then you may withdraw your consent; if the text changes, "
            "you are asked again."
        ),
        _l("Confirm: I consent to be named"),
    ),
    # -- h11x --
    "make_default_body": Wording(
        _l("Make this body the default?"),
        _l(
            "From now on every new concern that neither its cadre nor its category sends elsewhere goes to the "
            "body below, and the cadre's forms preselect it; cases already filed stay where they are. The "
            "change is recorded in the audit log; it can be changed again here."
        ),
        _l("Confirm: make it the default"),
    ),
}


def needed(step: Action | str) -> bool:
    """Whether this step is confirmed first: a case step by its rule, any other by OTHER_STEPS."""
    if step in {a.value for a in Action}:
        return RULES[Action(step)].confirm
    return step in OTHER_STEPS


def confirmed() -> bool:
    """The POST came from the confirmation page's confirm button."""
    return request.form.get(CONFIRMED) == "1"


def pending(step: Action | str) -> bool:
    """This POST of the step must first show its confirmation page (it is needed and not yet given)."""
    return needed(step) and not confirmed()


def revising() -> bool:
    """The POST came from the confirmation page's back button: show the form again, text kept."""
    return request.form.get(REVISE) == "1"


def page(wording: str, review: Iterable[tuple[object, object]] = (), *, staff: bool):
    """The confirmation page: nothing was written; both buttons re-post the same fields here."""
    fields = [(name, value) for name, values in request.form.lists() if name not in _NOT_REPOSTED for value in values]
    layout = "staff_base.html" if staff else "base.html"
    return render_template(
        "confirm.html",
        layout=layout,
        wording=WORDINGS[wording],
        effect=WORDINGS[wording].effect_now(),
        action=request.path,
        fields=fields,
        review=[(label, value) for label, value in review if value],
    ), 200
