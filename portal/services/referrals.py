"""The 诬告陷害 ledger: referring a suspected malicious accusation, its outcomes, 一信双查, 提醒教育.

Each write opens the case through ``opened_case`` and takes one engine step (REFER, an
outcome step, EDUCATE), so role, assignment and state are the engine's to refuse; what one
referral may become next is ``portal.domain.referral``'s. Names, references and notes are
encrypted under the case key; the ledger reads only plain columns of the viewer's held cases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.domain import aad
from portal.domain import referral as course_of
from portal.domain.cases import AccusationFlag, ReferralOutcome, ReferralTarget, ReminderForm
from portal.domain.clock import this_hour
from portal.domain.crypto import decrypt, encrypt
from portal.domain.referral import Course
from portal.domain.workflow import Action
from portal.domain.workflow_rules import REFERRAL_ACTIONS
from portal.extensions import db
from portal.models import AccuserReminder, Case, CaseKey, Referral, User
from portal.models.types import new_id
from portal.services import case_state, form_tokens
from portal.services.errors import ServiceError
from portal.services.opened_case import OpenedCase, open_for_staff
from portal.services.transaction import use_case

__all__ = [
    "AccusationPage",
    "AlreadyChecked",
    "LedgerRow",
    "MissingField",
    "NoSuchReferral",
    "ReferralInput",
    "ReferralView",
    "ReminderView",
    "concluded",
    "educate",
    "ledger",
    "overdue_count",
    "page",
    "record_check",
    "records",
    "record_outcome",
    "refer",
]

#: Longest text kept for a name or reference, and for a note.
SHORT_TEXT, LONG_TEXT = 200, 5000

#: The steps of the accusation page.
PAGE_ACTIONS = frozenset({Action.REFER, *REFERRAL_ACTIONS, Action.EDUCATE, Action.CHECK_ACCUSER})


class MissingField(ServiceError):
    """A field the record is meaningless without is empty or not one of the choices."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class NoSuchReferral(ServiceError):
    """No referral with this id on this case."""


class AlreadyChecked(ServiceError):
    """一信双查 is recorded once per referral: this one has it already."""


@dataclass(frozen=True)
class ReferralInput:
    """What a supervisor records when referring (移送), 一信双查 included."""

    target: str | None
    body_name: str
    reference: str
    referred_on: dt.date | None
    notes: str = ""
    double_check: bool = False
    checked_on: dt.date | None = None
    check_note: str = ""


@dataclass(frozen=True)
class ReferralView:
    """One referral, decrypted for a holder."""

    id: str
    target: ReferralTarget
    course: Course
    double_check: bool
    checked_on: dt.date | None
    body_name: str
    reference: str
    notes: str
    check_note: str
    filed_note: str
    result: str
    next_outcomes: tuple[ReferralOutcome, ...]  # what this person may record for it now
    overdue: bool
    # -- h11x --
    referred_by: str = ""  # who referred it
    checked_by: str = ""  # who recorded its 一信双查
    may_check: bool = False  # this person may record its 一信双查 now (not recorded yet)


@dataclass(frozen=True)
class ReminderView:
    given_on: dt.date
    form: ReminderForm
    note: str
    recorded_by: str = ""  # h11x: who recorded it


@dataclass(frozen=True)
class AccusationPage:
    """The accusation page of a case: its flag, referrals, reminders and what may be recorded now."""

    case: Case
    flag: AccusationFlag
    referrals: list[ReferralView]
    reminders: list[ReminderView]
    offered: frozenset[Action]
    today: dt.date


@dataclass(frozen=True)
class LedgerRow:
    """One referral in the ledger: plain columns only, nothing decrypted."""

    case_id: str
    target: ReferralTarget
    course: Course
    overdue: bool
    checked_on: dt.date | None = None  # h11x: the day of its 一信双查, if recorded


def _text(key: bytes, blob: bytes | None, case_id: str, referral_id: str, field: str) -> str:
    if blob is None:
        return ""
    return decrypt(key, blob, aad.referral_field(case_id, referral_id, field)).decode()


def _seal(key: bytes, text: str, case_id: str, referral_id: str, field: str) -> bytes:
    return encrypt(key, text.encode(), aad.referral_field(case_id, referral_id, field))


def _course(row: Referral) -> Course:
    outcome = ReferralOutcome(row.outcome) if row.outcome else None
    return Course(row.referred_on, outcome, row.filed_on, row.concluded_on, row.feedback_due)


def _referrals(case_id: str) -> list[Referral]:
    return list(db.session.scalars(db.select(Referral).where(Referral.case_id == case_id).order_by(Referral.position)))


def records(
    opened: OpenedCase, offered: frozenset[Action] = frozenset()
) -> tuple[list[ReferralView], list[ReminderView]]:
    """The case's referrals and reminders decrypted with the opened key (the caller audits the reading);
    ``offered`` are the steps this person may take now, for what each referral offers them."""
    case, key, today = opened.case, opened.key, case_state.today()
    names = dict(db.session.execute(db.select(User.id, User.username)).all())
    views = []
    for row in _referrals(case.id):
        course = _course(row)
        views.append(
            ReferralView(
                id=row.id,
                target=ReferralTarget(row.target),
                course=course,
                double_check=row.double_check,
                checked_on=row.checked_on,
                body_name=_text(key, row.body_name, case.id, row.id, "body_name"),
                reference=_text(key, row.reference, case.id, row.id, "reference"),
                notes=_text(key, row.notes, case.id, row.id, "notes"),
                check_note=_text(key, row.check_note, case.id, row.id, "check_note"),
                filed_note=_text(key, row.filed_note, case.id, row.id, "filed_note"),
                result=_text(key, row.result, case.id, row.id, "result"),
                next_outcomes=tuple(
                    o
                    for o in ReferralOutcome
                    if o in course.next_outcomes() and course_of.OUTCOME_ACTIONS[o] in offered
                ),
                overdue=course.overdue(today),
                referred_by=names.get(row.actor_id, "") if row.actor_id else "",
                checked_by=names.get(row.checked_by_id, "") if row.checked_by_id else "",
                may_check=not row.double_check and Action.CHECK_ACCUSER in offered,
            )
        )
    reminders = [
        ReminderView(
            r.given_on,
            ReminderForm(r.form),
            decrypt(key, r.note, aad.reminder_note(case.id, r.id)).decode(),
            names.get(r.actor_id, "") if r.actor_id else "",
        )
        for r in db.session.scalars(
            db.select(AccuserReminder).where(AccuserReminder.case_id == case.id).order_by(AccuserReminder.given_on)
        )
    ]
    return views, reminders


@use_case
def page(user: User, private_key: bytes | None, case_id: str) -> AccusationPage:
    """Decrypt the case's referrals and reminders for its accusation page; the view is audited."""
    opened = open_for_staff(user, private_key, case_id)
    offered = frozenset(opened.allowed()) & PAGE_ACTIONS
    views, reminders = records(opened, offered)
    opened.audit("case_view")
    db.session.commit()
    return AccusationPage(opened.case, AccusationFlag(opened.case.flag), views, reminders, offered, case_state.today())


def _required(value: str, field: str, limit: int = SHORT_TEXT) -> str:
    value = (value or "").strip()
    if not value or len(value) > limit:
        raise MissingField(field)
    return value


def _optional(value: str, field: str) -> str:
    value = (value or "").strip()
    if len(value) > LONG_TEXT:
        raise MissingField(field)
    return value


def _opened(user: User, private_key: bytes | None, case_id: str, action: Action) -> OpenedCase:
    """The case locked for a step, refused first by the engine (who, and in which state)."""
    opened = open_for_staff(user, private_key, case_id, lock=True)
    opened.check(action)
    return opened


@use_case
def refer(user: User, private_key: bytes | None, case_id: str, given: ReferralInput, form_token: str | None) -> str:
    """Refer the accusation to a receiving body (移送), with 一信双查 if ticked; the new referral's id."""
    opened = _opened(user, private_key, case_id, Action.REFER)
    today = case_state.today()
    if given.target not in set(ReferralTarget):
        raise MissingField("target")
    body_name = _required(given.body_name, "body_name")
    reference = _required(given.reference, "reference")
    notes = _optional(given.notes, "notes")
    if given.referred_on is None:
        raise MissingField("referred_on")
    course = course_of.opened(given.referred_on, today, case_state.deadlines())
    check_note = ""
    if given.double_check:
        if given.checked_on is None:
            raise MissingField("checked_on")
        course_of.checked_on_valid(given.referred_on, given.checked_on, today)
        check_note = _required(given.check_note, "check_note", LONG_TEXT)
    form_tokens.spend(form_token)
    opened.step(Action.REFER)
    case = opened.case
    last = db.session.scalar(db.select(db.func.max(Referral.position)).where(Referral.case_id == case.id))
    referral_id, key = new_id(), opened.key
    row = Referral(
        id=referral_id,
        case_id=case.id,
        position=(last or 0) + 1,
        target=ReferralTarget(given.target).value,
        referred_on=course.referred_on,
        feedback_due=course.feedback_due,
        double_check=given.double_check,
        checked_on=given.checked_on if given.double_check else None,
        checked_by_id=user.id if given.double_check else None,
        actor_id=user.id,
        created_at=this_hour(),
        body_name=_seal(key, body_name, case.id, referral_id, "body_name"),
        reference=_seal(key, reference, case.id, referral_id, "reference"),
        notes=_seal(key, notes, case.id, referral_id, "notes") if notes else None,
        check_note=_seal(key, check_note, case.id, referral_id, "check_note") if given.double_check else None,
    )
    db.session.add(row)
    if given.double_check:
        opened.audit("accuser_checked", detail=row.target)
    db.session.commit()
    return row.id


@use_case
def record_outcome(
    user: User,
    private_key: bytes | None,
    case_id: str,
    referral_id: str | None,
    outcome: str | None,
    on: dt.date | None,
    text: str,
    form_token: str | None,
) -> None:
    """Record what the receiving body reported: 立案, 处理结果 (what it decided) or 不予追究 (why)."""
    opened = open_for_staff(user, private_key, case_id, lock=True)  # a non-holder learns nothing more
    if outcome not in set(ReferralOutcome):
        opened.check(Action.REFERRAL_FILED)  # who may not record any outcome is told so first
        raise MissingField("outcome")
    reported = ReferralOutcome(outcome)
    action = course_of.OUTCOME_ACTIONS[reported]
    opened.check(action)
    row = db.session.get(Referral, referral_id) if referral_id else None
    if row is None or row.case_id != opened.case.id:
        raise NoSuchReferral(str(referral_id))
    if on is None:
        raise MissingField("on")
    course = course_of.record(_course(row), reported, on, case_state.today(), case_state.deadlines())
    if reported is ReferralOutcome.FILED:
        note = _optional(text, "text")
    else:
        note = _required(text, "text", LONG_TEXT)
    form_tokens.spend(form_token)
    opened.step(action)
    row.outcome = reported.value
    row.filed_on, row.concluded_on, row.feedback_due = course.filed_on, course.concluded_on, course.feedback_due
    if reported is ReferralOutcome.FILED:
        row.filed_note = _seal(opened.key, note, row.case_id, row.id, "filed_note") if note else None
    else:
        row.result = _seal(opened.key, note, row.case_id, row.id, "result")
    db.session.commit()


@use_case
def record_check(
    user: User,
    private_key: bytes | None,
    case_id: str,
    referral_id: str | None,
    checked_on: dt.date | None,
    note: str,
    form_token: str | None,
) -> None:
    """Record 一信双查 on a referral made without it: its own record (date, who, what was checked), once."""
    opened = _opened(user, private_key, case_id, Action.CHECK_ACCUSER)  # nothing referred: refused here
    row = db.session.get(Referral, referral_id) if referral_id else None
    if row is None or row.case_id != opened.case.id:
        raise NoSuchReferral(str(referral_id))
    if row.double_check:
        raise AlreadyChecked(row.id)
    if checked_on is None:
        raise MissingField("checked_on")
    course_of.checked_later_valid(opened.case.created_at.date(), checked_on, case_state.today())
    text = _required(note, "check_note", LONG_TEXT)
    form_tokens.spend(form_token)
    opened.step(Action.CHECK_ACCUSER)
    row.double_check, row.checked_on, row.checked_by_id = True, checked_on, user.id
    row.check_note = _seal(opened.key, text, row.case_id, row.id, "check_note")
    opened.audit("accuser_checked", detail=row.target)
    db.session.commit()


@use_case
def educate(
    user: User,
    private_key: bytes | None,
    case_id: str,
    form: str | None,
    given_on: dt.date | None,
    note: str,
    form_token: str | None,
) -> None:
    """Record the 提醒教育 given to a mistaken accuser (错告)."""
    opened = _opened(user, private_key, case_id, Action.EDUCATE)
    if form not in set(ReminderForm):
        raise MissingField("form")
    if given_on is None:
        raise MissingField("given_on")
    if given_on > case_state.today():
        raise course_of.BadDate("given_on")
    text = _required(note, "note", LONG_TEXT)
    form_tokens.spend(form_token)
    opened.step(Action.EDUCATE)
    reminder_id = new_id()
    db.session.add(
        AccuserReminder(
            id=reminder_id,
            case_id=opened.case.id,
            given_on=given_on,
            form=ReminderForm(form).value,
            actor_id=user.id,
            created_at=this_hour(),
            note=encrypt(opened.key, text.encode(), aad.reminder_note(opened.case.id, reminder_id)),
        )
    )
    db.session.commit()


def _held(user: User):
    """The referrals of the cases this person holds a key for (need-to-know)."""
    held = (CaseKey.case_id == Referral.case_id) & (CaseKey.user_id == user.id)
    return db.select(Referral).join(CaseKey, held)


def ledger(user: User) -> list[LedgerRow]:
    """Every referral of the viewer's held cases: those awaiting feedback soonest first, concluded last."""
    today = case_state.today()
    rows = db.session.scalars(
        _held(user).order_by(Referral.feedback_due.is_(None), Referral.feedback_due, Referral.referred_on.desc())
    )
    return [
        LedgerRow(row.case_id, ReferralTarget(row.target), course, course.overdue(today), row.checked_on)
        for row in rows
        for course in (_course(row),)
    ]


def overdue_count(user: User) -> int:
    """How many referrals of the viewer's held cases wait for feedback past the day to ask for it."""
    held = (CaseKey.case_id == Referral.case_id) & (CaseKey.user_id == user.id)
    query = (
        db.select(db.func.count())
        .select_from(Referral)
        .join(CaseKey, held)
        .where(Referral.feedback_due < case_state.today())
    )
    return db.session.scalar(query) or 0


def concluded(case_id: str) -> bool:
    """Whether a referral of the case has a final outcome (handled or not pursued): a bulletin needs one."""
    final = [o.value for o in course_of.FINAL]
    query = db.select(Referral.id).where(Referral.case_id == case_id, Referral.outcome.in_(final)).limit(1)
    return db.session.scalar(query) is not None
