"""Retention: closed cases past the archive period are crypto-shredded; the audit trail stays.

Shredding a case deletes every wrapped copy of its data key (the submitter's, the
escrow's, each holder's) and every ciphertext under it (submission, events' reasons,
messages, files, notes, plan, pending correction), with the case row and its routing
metadata. The audit entries keep naming the case id (they never held content), so the
hash chain still verifies; a published notice stays public, no longer linked to a case.
One transaction per case: a failure leaves that case whole and the ones before it shredded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, update

from portal.domain.cases import State
from portal.domain.gongwen import Gongwen
from portal.domain.retention import ClosedCase, is_due, latest_closing_due
from portal.domain.workflow_rules import TERMINAL
from portal.extensions import db
from portal.models import (
    AccuserReminder,
    Attachment,
    Bulletin,
    BulletinDraft,
    Case,
    CaseEvent,
    CaseKey,
    ClarificationPlan,
    Document,
    Message,
    Note,
    Notice,
    PendingCorrection,
    Referral,
    ToleranceDecision,
    User,
)
from portal.services import audit, bulletins, case_state, casework, documents, holdings, referrals
from portal.services.bulletins import CaseBulletin
from portal.services.case_keys import NoAccess
from portal.services.casework import CaseFile, NoSuchCase
from portal.services.documents import DocumentRow
from portal.services.errors import ServiceError
from portal.services.opened_case import open_for_staff
from portal.services.referrals import ReferralView, ReminderView
from portal.services.settings import setting
from portal.services.transaction import use_case

_TERMINAL = sorted(s.value for s in TERMINAL)
#: Rows under the case key, children first (files before their messages).
#: (Referral and AccuserReminder: the 诬告陷害 ledger, issue 10.)
_CASE_ROWS = (
    Attachment,
    Message,
    Note,
    CaseEvent,
    CaseKey,
    ClarificationPlan,
    PendingCorrection,
    Referral,
    AccuserReminder,
    ToleranceDecision,
    BulletinDraft,
    Document,  # issue 11 (h11d1): the case's issued documents, under its key
)


class NotClosed(ServiceError):
    """Only a closed case goes to the paper archive."""


@dataclass(frozen=True)
class Due:
    """A case the archive period lets go: its id and the day it closed (nothing else is listed)."""

    case_id: str
    closed_on: dt.date


def today() -> dt.date:
    """Today in China; the one place a retention drill moves the clock."""
    return case_state.today()


def _closed(case_ids: list[str] | None = None, closed_before: dt.datetime | None = None):
    """(id, state, first terminal step, correction pending) of terminal cases."""
    closed_at = func.min(CaseEvent.created_at)
    query = (
        select(Case.id, Case.state, closed_at, Case.correction_pending)
        .join(CaseEvent, CaseEvent.case_id == Case.id)
        .where(Case.state.in_(_TERMINAL), CaseEvent.state.in_(_TERMINAL))
        .group_by(Case.id, Case.state, Case.correction_pending)
        .order_by(closed_at, Case.id)
    )
    if case_ids is not None:
        query = query.where(Case.id.in_(case_ids))
    if closed_before is not None:
        query = query.having(closed_at < closed_before)
    for case_id, state, at, pending in db.session.execute(query):
        yield ClosedCase(case_id, State(state), case_state.local_day(at), bool(pending))


def due(on: dt.date | None = None) -> list[Due]:
    """The cases `purge` would shred on that day, oldest closing first; writes nothing."""
    day = on or today()
    years = int(setting("ARCHIVE_YEARS"))
    # A generous bound in SQL (a day for the time zone), the exact rule in the domain.
    bound = dt.datetime.combine(latest_closing_due(day, years) + dt.timedelta(days=2), dt.time())
    found = [Due(c.case_id, c.closed_on) for c in _closed(closed_before=bound) if is_due(c, day, years)]
    db.session.rollback()
    return found


def _shred(case_id: str, day: dt.date, years: int) -> bool:
    """Shred one case in its own transaction; False if it is no longer due (it changed meanwhile)."""
    locked = db.session.scalar(select(Case.id).where(Case.id == case_id).with_for_update())
    facts = next(iter(_closed([case_id])), None) if locked else None
    if facts is None or not is_due(facts, day, years):
        db.session.rollback()
        return False
    if db.session.get_bind().dialect.name == "sqlite":
        # Freed pages are overwritten with zeros, so the file keeps no copy of what was deleted.
        db.session.execute(db.text("PRAGMA secure_delete = ON"))
    db.session.execute(update(Notice).where(Notice.case_id == case_id).values(case_id=None))
    db.session.execute(update(Bulletin).where(Bulletin.case_id == case_id).values(case_id=None))
    for model in _CASE_ROWS:
        db.session.execute(delete(model).where(model.case_id == case_id))
    db.session.execute(delete(Case).where(Case.id == case_id))
    audit.record("case_purged", case_id=case_id, detail=f"closed:{facts.closed_on.isoformat()}")
    db.session.commit()
    return True


def purge(on: dt.date | None = None) -> list[Due]:
    """Shred every case due on that day (today in China by default); the ones shredded."""
    day = on or today()
    years = int(setting("ARCHIVE_YEARS"))
    shredded = []
    for item in due(day):
        try:
            if _shred(item.case_id, day, years):
                shredded.append(item)
        except Exception:
            db.session.rollback()
            raise
    db.session.expunge_all()
    return shredded


@dataclass(frozen=True)
class ArchiveCopy:
    """A closed case for the paper archive: the decrypted file, the day it closed, when it is shredded."""

    view: CaseFile
    closed_on: dt.date
    shredded_from: dt.date
    # -- h11x: the 诬告陷害 ledger of the case, decrypted --
    referrals: list[ReferralView] = field(default_factory=list)
    reminders: list[ReminderView] = field(default_factory=list)
    bulletin: CaseBulletin | None = None
    #: Every official document issued in the case (issue 11), decrypted, oldest first.
    documents: list[tuple[DocumentRow, Gongwen]] = field(default_factory=list)


def archivable(state: str) -> bool:
    """Whether a case in this state may be exported for the paper archive (it is closed)."""
    return state in _TERMINAL


@use_case
def export(user: User, private_key: bytes | None, case_id: str, fmt: str = "html") -> ArchiveCopy:
    """A holder's copy of a closed case for the paper archive; audited as an export.

    Opening it is the case page's use case (audited as a view); the export itself is audited
    apart, so the log says who took a copy out of the portal and when.
    """
    case = db.session.get(Case, case_id)
    if case is None:
        raise NoSuchCase(case_id)
    if not holdings.holds(user.id, case_id):
        raise NoAccess(case_id)  # before anything about the case is told: need-to-know first
    facts = next(iter(_closed([case_id])), None)
    if facts is None:
        db.session.rollback()
        raise NotClosed(case_id)
    view = casework.open_case(user, private_key, case_id)
    opened = open_for_staff(user, private_key, case_id)  # the same key, for the ledger and the bulletin
    referred, reminders = referrals.records(opened)
    bulletin = bulletins.of_case(opened)
    issued = documents.of_opened(opened)
    audit.record("case_exported", actor_id=user.id, case_id=case_id, detail=fmt)
    db.session.commit()
    years = int(setting("ARCHIVE_YEARS"))
    try:
        until = facts.closed_on.replace(year=facts.closed_on.year + years)
    except ValueError:  # closed on 29 February
        until = dt.date(facts.closed_on.year + years, 3, 1)
    return ArchiveCopy(view, facts.closed_on, until, referred, reminders, bulletin, issued)
