"""Clarification on the body's own motion (主动澄清): a case opened by staff, and its receipt.

A reviewer (or supervisor, or leader) records a verification concluded elsewhere that found an
accusation untrue (失实) or partly untrue (部分失实): the original reference, the finding with
the items found false, and the cadre. The case enters at the finding step with the opener as
proposer and assignee, so another supervisor approves it (four eyes). The portal issues the
cadre a receipt, derived before the transaction opens as a filing's is, shown once on the
澄清告知书 handed over in person; from then on the cadre follows up as an applicant does.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace

from portal.domain import aad, receipts, workflow
from portal.domain.cases import Finding, Kind, Origin
from portal.domain.clock import this_hour
from portal.domain.crypto import decrypt, encrypt, random_key
from portal.domain.documents import DocumentKind
from portal.domain.gongwen import Gongwen
from portal.domain.staff import ASSIGNABLE_ROLES, SUPERVISING_ROLES, StaffRole
from portal.domain.workflow import Action, Record
from portal.extensions import db
from portal.models import Body, Case, User
from portal.models.types import new_id
from portal.services import (
    accounts,
    audit,
    case_state,
    documents,
    false_items,
    form_tokens,
    holdings,
    numbering,
    timeline,
)
from portal.services.bodies import NoEscrowYet
from portal.services.errors import ServiceError
from portal.services.opened_case import OpenedCase, actor_of, open_for_staff
from portal.services.settings import argon2_profile, receipt_pepper
from portal.services.transaction import use_case

#: The timeline step that starts such a case; the cadre's status page begins with it.
OPENED = "own_motion"

#: The fields the case records, in the order its pages show them (the cadre's as the applicant's form has them).
FIELDS = ("real_name", "unit_name", "post", "rank", "origin_number", "origin_body", "origin_concluded_on")


class OpeningRefused(ServiceError):
    """Something the opening form needs is missing or wrong; ``field`` names it."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class NoApprover(ServiceError):
    """Nobody else of the body can approve the opener's finding: the case cannot be opened."""


@dataclass(frozen=True)
class Opening:
    """What the opener recorded."""

    real_name: str
    unit_name: str
    post: str
    rank: str
    origin_number: str  # the original case's reference (编号)
    origin_body: str  # the body that concluded it
    origin_concluded_on: dt.date
    finding: str  # found_false or partly_false
    false_items: tuple[str, ...]  # the items found false (a partly-false finding names them)
    grounds: str  # how the verification concluded, for the approver (internal)
    approver_id: int | None


@dataclass(frozen=True)
class Issued:
    """What the 澄清告知书 prints: the cadre's receipt (shown once, never stored readable) and the case."""

    case_id: str
    receipt: str
    issuer: str  # the opening body's name
    real_name: str
    origin_number: str
    origin_body: str
    origin_concluded_on: dt.date
    finding: str
    false_items: tuple[str, ...]
    reissued: bool = False  # a re-issue replaced a lost receipt
    document: Gongwen | None = None  # issue 11: the numbered 澄清正名告知书, this copy with the receipt


class NotOwnMotion(ServiceError):
    """Only a receipt the body issued itself (主动澄清) is re-issued; an applicant keeps their own."""


def approvers(user: User) -> list[User]:
    """Who may approve what this person opens: a reviewer's supervisors; for a supervisor or leader,
    the body's other confirmed supervisors and leaders."""
    if user.role == StaffRole.REVIEWER:
        query = accounts.supervisors_of(user)
    else:
        query = accounts.may_receive_new_case_keys().where(
            User.body_id == user.body_id, User.role.in_(sorted(SUPERVISING_ROLES)), User.id != user.id
        )
    return list(db.session.scalars(query.order_by(User.username)))


def may_open(user: User) -> bool:
    """Whether this person opens such cases: a confirmed reviewer, supervisor or leader."""
    if user.role not in ASSIGNABLE_ROLES:
        return False
    return db.session.scalar(accounts.assignable(user.body_id).where(User.id == user.id)) is not None


def _check(user: User, opening: Opening) -> User:
    """Every refusal before the slow receipt derivation; the approver named."""
    if not may_open(user):
        raise workflow.NotPermitted("only a confirmed reviewer, supervisor or leader opens a clarification")
    if opening.origin_concluded_on > case_state.today():
        raise OpeningRefused("origin_concluded_on")
    false_items.check(opening.false_items)
    if not opening.grounds.strip():
        raise workflow.ReasonRequired("the grounds of the finding")
    offered = approvers(user)
    if not offered:
        raise NoApprover(user.username)
    approver = next((u for u in offered if u.id == opening.approver_id), None)
    if approver is None:
        raise OpeningRefused("approver")
    if accounts.escrow(user.body_id) is None:
        raise NoEscrowYet(str(user.body_id))
    return approver


def _facts(user: User, opening: Opening) -> workflow.Facts:
    """The engine's facts of the new case (it refuses a finding that clears no one, or no items)."""
    return workflow.own_motion_case(
        case_state.today(), case_state.deadlines(), actor_of(user), opening.finding, opening.false_items
    )


def _new_receipt() -> tuple[str, receipts.ReceiptKeys]:
    """A receipt whose lookup value no case has: the slow derivation, run outside any transaction."""
    db.session.rollback()  # nothing holds a transaction (or SQLite's write lock) open meanwhile
    while True:
        receipt = receipts.new_receipt()
        keys = receipts.derive(receipt, receipt_pepper(), argon2_profile())
        if db.session.scalar(db.select(Case.id).where(Case.receipt_lookup == keys.lookup)) is None:
            return receipt, keys


def _issued(case: Case, dk: bytes, receipt: str, reissued: bool = False) -> Issued:
    """The 告知书 of a case, from what it records."""
    fields = json.loads(decrypt(dk, case.submission, aad.submission(case.id)).decode())
    body = db.session.get(Body, case.body_id)
    return Issued(
        case_id=case.id,
        receipt=receipt,
        issuer=body.name if body else "",
        real_name=fields.get("real_name", ""),
        origin_number=fields.get("origin_number", ""),
        origin_body=fields.get("origin_body", ""),
        origin_concluded_on=dt.date.fromisoformat(fields["origin_concluded_on"]),
        finding=case.finding or case.proposed_finding or "",
        false_items=false_items.read(case, dk),
        reissued=reissued,
    )


def _with_document(issued: Issued, case: Case, dk: bytes, actor_id: int) -> Issued:
    """Issue 11: the numbered 澄清正名告知书 goes with each receipt handed over (caller's transaction)."""
    document = documents.issue_with_receipt(case, dk, actor_id, receipts.grouped(issued.receipt))
    return replace(issued, document=document)


@use_case
def open_case(user: User, opening: Opening, form_token: str | None) -> Issued:
    """Open the case and issue the cadre's receipt (one transaction; the derivation runs before it)."""
    _check(user, opening)
    _facts(user, opening)
    form_tokens.spend(form_token)  # a replay is refused before the slow derivation (rolled back there)
    receipt, keys = _new_receipt()
    approver = _check(user, opening)  # again inside the transaction: nothing changed meanwhile
    facts = _facts(user, opening)
    form_tokens.spend(form_token)
    dk = random_key()
    case_id = new_id()
    now = this_hour()
    fields = {
        "real_name": opening.real_name,
        "unit_name": opening.unit_name,
        "post": opening.post,
        "rank": opening.rank,
        "origin_number": opening.origin_number,
        "origin_body": opening.origin_body,
        "origin_concluded_on": opening.origin_concluded_on.isoformat(),
    }
    case = Case(
        id=case_id,
        kind=Kind.CLARIFICATION.value,
        origin=Origin.OWN_MOTION.value,
        category=None,
        created_at=now,
        updated_at=now,
        receipt_lookup=keys.lookup,
        submitter_wrapped_key=encrypt(keys.wrap_key, dk, aad.submitter_key(case_id)),
        submission=encrypt(dk, json.dumps(fields, ensure_ascii=False).encode(), aad.submission(case_id)),
    )
    case_state.store(case, facts)
    false_items.write(case, dk, opening.false_items if facts.proposed_finding is Finding.PARTLY_FALSE else ())
    db.session.add(case)
    holdings.seal_for_own_motion(case, dk, user, approver)
    case.number = numbering.allocate(case.body_id, DocumentKind.CASE)  # issue 11: opening it is accepting it
    db.session.flush()  # the case row first: its timeline refers to it
    timeline.add_event(case, dk, case.state, OPENED, user.id, True, None)
    timeline.add_event(
        case, dk, case.state, Action.PROPOSE_FINDING.value, user.id, False, opening.grounds, case.proposed_finding
    )
    audit.record("own_motion_opened", actor_id=user.id, case_id=case_id, target_user_id=approver.id)
    issued = _with_document(_issued(case, dk, receipt), case, dk, user.id)
    db.session.commit()
    return issued


#: The timeline step of a re-issued receipt; the cadre sees it (and so learns of a re-issue they did not ask for).
REISSUED = "receipt_reissued"


def _reissuable(user: User, private_key: bytes | None, case_id: str, lock: bool = False) -> OpenedCase:
    """The case, if this person may re-issue its receipt: a body's own case, and one they may write
    to the cadre on (its assignee, or a supervisor or leader holding it)."""
    opened = open_for_staff(user, private_key, case_id, lock=lock)
    if opened.case.origin != Origin.OWN_MOTION.value:
        raise NotOwnMotion(case_id)
    opened.check_write(Record.MESSAGE)
    return opened


@use_case
def reissue(user: User, private_key: bytes | None, case_id: str, form_token: str | None) -> Issued:
    """A lost receipt: a new one replaces it (the old one opens nothing from now on), audited."""
    _reissuable(user, private_key, case_id)
    form_tokens.spend(form_token)  # a replay is refused before the slow derivation (rolled back there)
    receipt, keys = _new_receipt()
    opened = _reissuable(user, private_key, case_id, lock=True)
    form_tokens.spend(form_token)
    case, dk = opened.case, opened.key
    case.receipt_lookup = keys.lookup
    case.submitter_wrapped_key = encrypt(keys.wrap_key, dk, aad.submitter_key(case.id))
    case.updated_at = this_hour()
    timeline.add_event(case, dk, case.state, REISSUED, user.id, True, None)
    opened.audit("own_motion_receipt_reissued")
    issued = _with_document(_issued(case, dk, receipt, reissued=True), case, dk, user.id)
    db.session.commit()
    return issued
