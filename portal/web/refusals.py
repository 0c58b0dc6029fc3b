"""The one table from a refused request to what the person sees: status, message, field.

Every domain and service refusal a person can cause is listed here once. Views catch
``REFUSED`` and hand the exception to :func:`refusal` (or :func:`show_on`), so the same
refusal answers with the same status and words on every page. "No such case" and "no
access" are pages, not form errors: ``portal.web.errors`` renders them for every view.

Status codes: 400 for input that is incomplete or not one of the choices offered, 409 for a
step the case's state, its deadlines or the four-eyes rule refuse now, 403 for a role or
person who may not do it at all, 404 for what does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from portal.domain import bulletins as bulletin_rules
from portal.domain.attachments import AttachmentError
from portal.domain.documents import NotVoidable, WrongKind  # h11d1
from portal.domain.plan import FutureDay, PlanError
from portal.domain.referral import BadDate, CheckDateRefused, OutcomeRefused
from portal.domain.tolerance import DecisionError
from portal.domain.workflow import (
    AlreadyUsed,
    Choice,
    FourEyes,
    ItemsRequired,
    MeasuresIncomplete,
    MissingChoice,
    NotAnApprover,
    NotAssignable,
    NotPermitted,
    PlanIncomplete,
    ReasonRequired,
    WindowClosed,
    WorkflowError,
    WrongState,
)
from portal.services.bodies import AlreadyDefault, CannotReceive, InvalidBody, NoEscrowYet, NoSuchBody
from portal.services.body_escrow import EscrowExists, PassphrasesDiffer
from portal.services.bulletins import NoChange as BulletinUnchanged
from portal.services.clarification import NoPlan
from portal.services.documents import (  # h11d1
    ADDRESSEE_MAX,
    PARAGRAPH_MAX,
    PARAGRAPHS_MAX,
    VOID_REASON_MAX,
    AlreadyVoided,
    BadDocument,
    NotAVoider,
)
from portal.services.errors import WrongPassphrase
from portal.services.false_items import TooManyItems
from portal.services.grants import (
    AlreadyHolds,
    HoldersRemain,
    NotAGrant,
    NotConfirmed,
    NotOfThisBody,
    NotRecoverable,
    NotSupervising,
    ReasonMissing,
)
from portal.services.notices import ClarifiedItemsFixed, FutureNoticeDate, NothingChanged, NotPublished, SupervisorsOnly
from portal.services.own_motion import NoApprover, NotOwnMotion, OpeningRefused
from portal.services.referrals import AlreadyChecked, MissingField, NoSuchReferral
from portal.services.staff_admin import NotYourBody
from portal.services.transfers import (
    NotAbove,
    NotADepartment,
    NotDiscipline,
    NotReceiving,
    TransferRefused,
    UnknownReason,
    UnknownTarget,
)
from portal.web.attachment_errors import attachment_message


@dataclass(frozen=True)
class Refusal:
    """What a refused request answers: the status, the words, and the form field they belong to."""

    status: int
    message: Any  # a lazy string, rendered in the user's language
    field: str | None = None


#: Why a notice date after today is refused (a notice is public from its approval or correction).
FUTURE_DATE = _l(
    "The date of the notice cannot be later than today: a notice is public from the moment it is published."
)

_CHOICE_MESSAGES = {
    Choice.FLAG: _l("Choose a judgement."),
    Choice.REFUSAL_REASON: _l("Choose a reason for not accepting."),
    Choice.TOLERANCE: _l("Please choose an outcome."),  # fault tolerance (issue 10)
    Choice.APPROVER: _l("Choose a confirmed leader of the body handling this case."),
}


def _window_closed(exc: Exception) -> Refusal:
    days = current_app.config["OBJECTION_DAYS"]
    return Refusal(409, _l("The %(days)d-day period for an objection has ended.", days=days))


def _missing_choice(exc: Exception) -> Refusal:
    assert isinstance(exc, MissingChoice)
    return Refusal(400, _CHOICE_MESSAGES.get(exc.choice, _l("Please make a choice for this step.")), exc.choice.value)


def _fixed(status: int, message: Any, field: str | None = None) -> Callable[[Exception], Refusal]:
    refused = Refusal(status, message, field)
    return lambda exc: refused


def _plan_error(exc: Exception) -> Refusal:
    assert isinstance(exc, PlanError)
    return Refusal(400, _l("Please fill this in."), exc.field)


def _decision_error(exc: Exception) -> Refusal:
    """Fault tolerance (issue 10): what a decision, collective record or measure record lacks."""
    assert isinstance(exc, DecisionError)
    words = {
        "held_on": _l("Enter a date that is not later than today."),
        "done_on": _l("Enter a date that is not later than today."),
        "measures": _l("At most 20 measures of 500 characters each, one per line."),
        "measure": _l("This measure is not open: it was recorded already or does not exist."),
    }
    status = 409 if exc.field == "measure" else 400  # a measure already recorded is the case's state
    return Refusal(status, words.get(exc.field, _l("Please fill this in.")), exc.field)


def _attachment(exc: Exception) -> Refusal:
    assert isinstance(exc, AttachmentError)
    return Refusal(400, attachment_message(exc), "attachments")


#: What each rule a new body breaks reads as, and the field it belongs to (InvalidBody's argument).
_INVALID_BODY = {
    "name": (_l("Between 2 and 100 characters."), "name"),
    "name_taken": (_l("A body with this name exists already."), "name"),
    "short_name": (_l("Between 1 and 20 characters."), "short_name"),
    "kind": (_l("Choose one of the kinds listed."), "kind"),
    "level": (_l("Choose one of the levels listed."), "level"),
    "parent": (_l("Choose one of the bodies listed."), "parent"),
    "category": (_l("Choose one of the categories listed."), "category"),
}


def _invalid_body(exc: Exception) -> Refusal:
    message, field = _INVALID_BODY.get(str(exc), (_l("Please fill this in."), None))
    return Refusal(400, message, field)


# -- the 诬告陷害 ledger (issue 10) --
#: Fields of the referral records that are choices, not text.
_CHOSEN = frozenset({"target", "outcome", "form"})


def _missing_field(exc: Exception) -> Refusal:
    assert isinstance(exc, MissingField)
    if exc.field in _CHOSEN:
        return Refusal(400, _l("Please choose one of the options listed."), exc.field)
    return Refusal(400, _l("Please fill this in."), exc.field)


def _bad_date(exc: Exception) -> Refusal:
    assert isinstance(exc, BadDate)
    message = _l(
        "The date cannot be later than today, nor earlier than the referral (a check of the accuser not later)."
    )
    return Refusal(400, message, exc.field)


_WRONG_STATE = _l("This is not possible in the case's current state.")

#: What each refused part of a clarification opened on the body's own motion reads as (issue 10).
_OPENING = {
    "origin_concluded_on": _l("The date of the conclusion cannot be later than today."),
    "approver": _l("Choose one of the approvers listed."),
}


def _opening_refused(exc: Exception) -> Refusal:
    assert isinstance(exc, OpeningRefused)
    return Refusal(400, _OPENING.get(exc.field, _l("Please fill this in.")), exc.field)


# -- 典型案例通报 (issue 10) --
def _invalid_text(exc: Exception) -> Refusal:
    assert isinstance(exc, bulletin_rules.InvalidText)
    if exc.field == "issued_on":
        return Refusal(
            409, _l("The date of the bulletin cannot be later than today: it is public once approved."), "issued_on"
        )
    return Refusal(400, _l("Please fill this in."), exc.field)


def _names_the_cadre(exc: Exception) -> Refusal:
    assert isinstance(exc, bulletin_rules.NamesTheCadre)
    if isinstance(exc, bulletin_rules.StillNamesTheCadre):
        message = _l(
            "The cadre consented to be named in the published text only: a correction must take their name "
            "out (or withdraw the bulletin)."
        )
    else:
        message = _l(
            "Without the cadre's consent a bulletin does not name them: take their name out of the text, or "
            'tick "name the cadre, with their consent" to ask them.'
        )
    return Refusal(400, message, exc.field)


# -- h11d1: official documents (issue 11) --
def _bad_document(exc: Exception) -> Refusal:
    assert isinstance(exc, BadDocument)
    if exc.field == "addressee":
        return Refusal(400, _l("At most %(max)d characters.", max=ADDRESSEE_MAX), "addressee")
    if exc.field == "reason":  # h12v
        return Refusal(
            400, _l("Give the reason for voiding, at most %(max)d characters.", max=VOID_REASON_MAX), "reason"
        )
    return Refusal(
        400,
        _l(
            "A document needs its text: at most %(count)d paragraphs of %(max)d characters.",
            count=PARAGRAPHS_MAX,
            max=PARAGRAPH_MAX,
        ),
        "text",
    )


#: Every refusal, most specific first (a subclass is looked up before its base).
_TABLE: dict[type[Exception], Callable[[Exception], Refusal]] = {
    ReasonRequired: _fixed(400, _l("Please give a reason or text for this step."), "reason"),
    MissingChoice: _missing_choice,
    NotAssignable: _fixed(400, _l("Choose a confirmed case worker of the body handling this case."), "assignee"),
    NotPermitted: _fixed(403, _l("Your role or assignment does not allow this.")),
    FourEyes: _fixed(409, _l("Four eyes: someone other than the proposer must approve or return this.")),
    WindowClosed: _window_closed,
    AlreadyUsed: _fixed(409, _l("An objection can be made only once.")),
    PlanIncomplete: _fixed(
        409, _l("Record every form of the plan as carried out, and both filings (廉政档案, 组织人事部门), first.")
    ),
    WrongState: _fixed(409, _WRONG_STATE),
    WorkflowError: _fixed(409, _WRONG_STATE),
    NoPlan: _fixed(409, _WRONG_STATE),
    FutureDay: _fixed(400, _l("The day cannot be later than today: record it once it has happened.")),  # issue 10
    PlanError: _plan_error,
    AttachmentError: _attachment,
    FutureNoticeDate: _fixed(409, FUTURE_DATE, "issued_on"),
    NothingChanged: _fixed(400, _l("Nothing was changed."), "reason"),
    NotPublished: _fixed(409, _l("This notice was withdrawn: it can no longer be corrected or withdrawn.")),
    SupervisorsOnly: _fixed(403, _l("Your role or assignment does not allow this.")),
    NotSupervising: _fixed(403, _l("Only a supervisor or leader of the case's body can do this.")),
    NotOfThisBody: _fixed(400, _l("This colleague belongs to another body than the case."), "user_id"),
    NotConfirmed: _fixed(
        400, _l("This colleague's account is not active or not yet confirmed by a supervisor."), "user_id"
    ),
    AlreadyHolds: _fixed(409, _l("This colleague already holds the case."), "user_id"),
    NotAGrant: _fixed(
        409, _l("Only a colleague added to the case (协办) is removed here; reassign the case to change its assignee.")
    ),
    HoldersRemain: _fixed(
        409,
        _l("Someone can still open this case: ask them to add the colleague instead of using the escrow."),
        "case_id",
    ),
    NotRecoverable: _fixed(404, _l("Your body has no case with this number."), "case_id"),
    ReasonMissing: _fixed(400, _l("Please give a reason or text for this step."), "reason"),
    WrongPassphrase: _fixed(400, _l("The escrow passphrase is wrong."), "passphrase"),
    EscrowExists: _fixed(409, _l("Your body has its escrow key already: change its passphrase instead.")),
    PassphrasesDiffer: _fixed(400, _l("The two passphrases differ. Type the same one twice."), "repeat"),
    NoSuchBody: _fixed(
        400, _l("The body chosen is not one of those listed. Choose one of the list; nothing was sent."), "body"
    ),
    InvalidBody: _invalid_body,
    NotYourBody: _fixed(403, _l("This account or body is outside your body and the bodies below it.")),
    NoEscrowYet: _fixed(409, _l("This body cannot receive cases until its supervisors set its escrow key."), "body"),
    UnknownReason: _fixed(400, _l("Choose a reason for the transfer."), "reason"),
    UnknownTarget: _fixed(400, _l("Choose another body to send the case to."), "to_body"),
    NotADepartment: _fixed(
        400, _l("转送 sends a case to a department (组织部, 人社, 编办…), not to a discipline body."), "to_body"
    ),
    NotDiscipline: _fixed(
        400,
        _l("This case can go only to a discipline body; a clarification request is never sent to a department."),
        "to_body",
    ),
    NotAbove: _fixed(400, _l("报送上一级 sends a case to a body above this one."), "to_body"),
    NotReceiving: _fixed(
        409,
        _l("That body cannot receive cases yet: it needs an escrow key and a confirmed intake officer."),
        "to_body",
    ),
    TransferRefused: _fixed(400, _l("Choose another body to send the case to."), "to_body"),
    # -- the 诬告陷害 ledger (issue 10) --
    MissingField: _missing_field,
    BadDate: _bad_date,
    OutcomeRefused: _fixed(409, _l("This referral cannot take that outcome now: its course is further on or over.")),
    NoSuchReferral: _fixed(400, _l("Choose one of the referrals listed."), "outcome"),
    # -- 部分失实 and 主动澄清 (issue 10) --
    ItemsRequired: _fixed(400, _l("A partly untrue finding names the items found untrue, one a line."), "false_items"),
    OpeningRefused: _opening_refused,
    TooManyItems: _fixed(400, _l("At most 20 items, each at most 500 characters."), "false_items"),
    NotOwnMotion: _fixed(409, _WRONG_STATE),
    ClarifiedItemsFixed: _fixed(
        400,
        _l("This notice clarifies only the items found untrue: it has no free-text allegation to correct."),
        "allegation",
    ),
    NoApprover: _fixed(
        409,
        _l("Nobody else in your body can approve this finding yet: a supervisor or leader must be confirmed first."),
    ),
    # -- fault tolerance (issue 10) --
    DecisionError: _decision_error,
    NotAnApprover: _fixed(400, _l("Choose a confirmed leader of the body handling this case."), "approver"),
    MeasuresIncomplete: _fixed(409, _l("Record every correction measure as done first.")),
    # -- 典型案例通报 (issue 10) --
    bulletin_rules.NotEligible: _fixed(
        409,
        _l(
            "A bulletin is drafted only from a clarification case whose accusation was judged a suspected "
            "malicious accusation, referred, and concluded where it was referred (its outcome recorded)."
        ),
    ),
    bulletin_rules.NotDrafter: _fixed(403, _l("Only a supervisor or leader holding the case drafts a bulletin.")),
    bulletin_rules.NotALeader: _fixed(403, _l("Only a leader (分管领导) of the body approves a bulletin."), "approver"),
    bulletin_rules.NotTheApprover: _fixed(403, _l("This bulletin was submitted to another leader.")),
    bulletin_rules.FourEyes: _fixed(
        409, _l("Four eyes: the drafter of a bulletin never approves or returns it."), "approver"
    ),
    bulletin_rules.WrongStatus: _fixed(409, _l("This is not possible where the bulletin stands now.")),
    bulletin_rules.InvalidText: _invalid_text,
    bulletin_rules.NamesTheCadre: _names_the_cadre,
    # -- h12b: naming the cadre, with their consent --
    bulletin_rules.ConsentMissing: _fixed(
        409,
        _l(
            "This bulletin names the cadre: it can be approved only once they have consented to its text as it "
            "stands. Nothing was changed."
        ),
    ),
    bulletin_rules.NotAsked: _fixed(409, _l("No bulletin awaits your answer about being named now.")),
    bulletin_rules.TextChanged: _fixed(
        409, _l("The bulletin's text changed since you read it. Read it again below before you answer.")
    ),
    bulletin_rules.NoCadreToAsk: _fixed(
        409,
        _l(
            "The case of this bulletin was destroyed under the retention rules: there is no cadre to ask, so a "
            "bulletin that names them cannot be corrected. It can be withdrawn."
        ),
    ),
    BulletinUnchanged: _fixed(400, _l("Nothing was changed."), "reason"),
    # -- h11x --
    CannotReceive: _fixed(
        409,
        _l("This body cannot receive cases yet: it needs an escrow key and a confirmed intake officer."),
        "body",
    ),
    AlreadyDefault: _fixed(400, _l("This body is the default already: choose another."), "body"),
    AlreadyChecked: _fixed(
        409, _l("一信双查 is recorded already for this referral: it is recorded once."), "checked_on"
    ),
    CheckDateRefused: _fixed(
        400, _l("The date cannot be later than today, nor earlier than the day the case was filed."), "checked_on"
    ),
    # -- h11d1: official documents (issue 11) --
    WrongKind: _fixed(409, _l("This document is not issued for this case in its current state.")),
    BadDocument: _bad_document,
    # -- h12v: voiding an issued document --
    AlreadyVoided: _fixed(409, _l("This document was voided already; nothing was changed.")),
    NotVoidable: _fixed(409, _l("A public notice is not voided: correct or withdraw the notice instead.")),
    NotAVoider: _fixed(403, _l("Only a supervisor or leader may void an issued document.")),
}

#: What views catch: every exception the table answers.
REFUSED: tuple[type[Exception], ...] = tuple(_TABLE)


def refusal(exc: Exception) -> Refusal:
    """The table's answer for a refusal; a failure not in the table is a bug and goes on up."""
    for cls in type(exc).__mro__:
        if cls in _TABLE:
            return _TABLE[cls](exc)
    raise exc


def show_on(form: Any, exc: Exception, fallback: str) -> int:
    """Put the refusal's words on its field of ``form`` (or on ``fallback`` when the form has no
    such field or does not show it); return the status to answer with."""
    refused = refusal(exc)
    shown = getattr(form, "SHOWS_ERRORS_OF", None)
    name = refused.field if refused.field and (shown is None or refused.field in shown) else fallback
    field = getattr(form, name, None) or getattr(form, fallback)
    field.errors = [*field.errors, str(refused.message)]
    return refused.status
