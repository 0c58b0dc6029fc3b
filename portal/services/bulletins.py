"""典型案例通报: drafting, four-eyes approval, publication, correction and withdrawal.

The draft lives under the case key (``BulletinDraft``): the drafter and the leader it is
submitted to read it, nobody else. Approval copies it, verbatim, to the public tables
(``Bulletin`` and its revisions), as an approved notice is. The rules are in
``portal.domain.bulletins``; each function here is one use case and one transaction. A draft that
names the cadre waits for their consent (``portal.services.bulletin_consent``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from portal.domain import aad
from portal.domain import bulletins as rules
from portal.domain.bodies import HoldReason
from portal.domain.bulletins import BulletinText, DraftStatus, PublicStatus
from portal.domain.cases import AccusationFlag, Kind
from portal.domain.clock import this_hour
from portal.domain.crypto import decrypt, encrypt
from portal.domain.notice_text import search_text
from portal.domain.staff import SUPERVISING_ROLES, StaffRole
from portal.extensions import db
from portal.models import Body, Bulletin, BulletinDraft, BulletinRevision, Case, User
from portal.services import (
    accounts,
    audit,
    bodies,
    bulletin_consent,
    case_files,
    case_state,
    form_tokens,
    holdings,
    referrals,
)
from portal.services.errors import ServiceError
from portal.services.opened_case import OpenedCase, open_for_staff
from portal.services.transaction import use_case


class NoSuchBulletin(ServiceError):
    """No bulletin (or no draft of one for this case)."""


class NotIssuer(ServiceError):
    """Only supervisors and leaders of the issuing body correct or withdraw its bulletins."""


class NoChange(ServiceError):
    """A correction must change something."""


def eligible(case: Case) -> bool:
    """Whether a bulletin may be drafted from this case: a clarification whose accusation was
    flagged 涉嫌诬告陷害, referred, and concluded there (a referral with a final outcome: the
    accuser's treatment is decided, so a bulletin can say what it was)."""
    return (
        case.kind == Kind.CLARIFICATION
        and case.flag == AccusationFlag.SUSPECTED_MALICIOUS
        and case.referred
        and referrals.concluded(case.id)
    )


def leaders(body_id: int) -> list[User]:
    """The leaders (分管领导) of a body a draft may be submitted to: active, confirmed, by name."""
    query = accounts.may_receive_new_case_keys().where(User.body_id == body_id, User.role == StaffRole.LEADER.value)
    return list(db.session.scalars(query.order_by(User.username)))


@dataclass(frozen=True)
class DraftView:
    """The case's bulletin as its staff page shows it, decrypted with the reader's key."""

    case: Case
    eligible: bool
    status: DraftStatus | None
    text: BulletinText | None
    drafter: str | None
    approver_id: int | None
    approver: str | None
    return_reason: str | None
    bulletin_id: int | None
    leaders: list[User]
    may_draft: bool
    may_decide: bool
    names_cadre: bool = False  # the draft names the cadre, with their consent
    consent: rules.ConsentStatus | None = None  # where the cadre's answer stands
    consented: bool = False  # the cadre consented to the text as it stands: a leader may approve


def _status(row: BulletinDraft | None) -> DraftStatus | None:
    return DraftStatus(row.status) if row is not None else None


def _read(row: BulletinDraft, dk: bytes) -> BulletinText:
    return BulletinText.from_json(json.loads(decrypt(dk, row.content, aad.bulletin_draft(row.case_id))))


def _cadre_names(opened: OpenedCase) -> list[str]:
    """The name the applicant gave: a bulletin holds it only with their consent."""
    name = case_files.read_submission(opened.case, opened.key).get("real_name")
    return [name] if name else []


def _allowed(check, *args) -> bool:
    try:
        check(*args)
    except rules.BulletinError:
        return False
    return True


@use_case
def draft_page(user: User, private_key: bytes | None, case_id: str) -> DraftView:
    """The bulletin of a case for a holder of its key (NoAccess otherwise); the reading is audited."""
    opened = open_for_staff(user, private_key, case_id)
    case, row = opened.case, db.session.get(BulletinDraft, case_id)
    status = _status(row)
    names = dict(db.session.execute(db.select(User.id, User.username)).all())
    ok = eligible(case)
    reason = None
    if row is not None and row.return_reason is not None:
        reason = decrypt(opened.key, row.return_reason, aad.bulletin_return(case_id)).decode()
    text = _read(row, opened.key) if row is not None else None
    consented = (
        row is not None and text is not None and _allowed(bulletin_consent.check_approval, row, opened.key, text)
    )
    view = DraftView(
        case=case,
        eligible=ok,
        status=status,
        text=text,
        drafter=names.get(row.drafter_id) if row is not None else None,
        approver_id=row.approver_id if row is not None else None,
        approver=names.get(row.approver_id) if row is not None and row.approver_id else None,
        return_reason=reason,
        bulletin_id=row.bulletin_id if row is not None else None,
        leaders=[leader for leader in leaders(case.body_id) if leader.id != user.id],
        may_draft=_allowed(rules.check_draft, user.role, ok, status),
        may_decide=row is not None
        and _allowed(rules.check_decision, user.role, user.id, status, row.drafter_id, row.approver_id),
        names_cadre=row is not None and row.names_cadre,
        consent=rules.ConsentStatus(row.consent) if row is not None and row.consent else None,
        consented=consented,
    )
    opened.audit("bulletin_viewed")
    db.session.commit()
    return view


def _approver(case: Case, approver_id: int | None, drafter: User) -> User:
    """The leader chosen, if they are one of the case's body's leaders and not the drafter."""
    chosen = next((u for u in leaders(case.body_id) if u.id == approver_id), None)
    rules.check_approver(chosen.role if chosen else None, approver_id or 0, drafter.id)
    assert chosen is not None
    return chosen


@use_case
def submit(
    user: User,
    private_key: bytes | None,
    case_id: str,
    text: BulletinText,
    approver_id: int | None,
    form_token: str | None,
    names_cadre: bool = False,
) -> None:
    """Write (or rewrite a returned) draft and submit it to one leader, who then holds the case's key.
    A draft naming the cadre (``names_cadre``) may hold their name, and asks for their consent."""
    opened = open_for_staff(user, private_key, case_id, lock=True)
    form_tokens.spend(form_token)
    case = opened.case
    row = db.session.get(BulletinDraft, case_id)
    rules.check_draft(user.role, eligible(case), _status(row))
    approver = _approver(case, approver_id, user)
    text.check(case_state.today(), [] if names_cadre else _cadre_names(opened))
    if row is not None and row.approver_id is not None and row.approver_id != approver.id:
        holdings.release(case_id, row.approver_id, HoldReason.APPROVER)
    holdings.seal_to(case, opened.key, approver, HoldReason.APPROVER)
    if row is None:
        row = BulletinDraft(case_id=case_id)
        db.session.add(row)
    row.drafter_id = user.id
    row.approver_id = approver.id
    row.status = DraftStatus.SUBMITTED.value
    row.updated_at = this_hour()
    row.content = encrypt(
        opened.key, json.dumps(text.to_json(), ensure_ascii=False).encode(), aad.bulletin_draft(case_id)
    )
    row.return_reason = None
    bulletin_consent.on_submit(opened, row, text, names_cadre)
    audit.record("bulletin_submitted", actor_id=user.id, case_id=case_id, target_user_id=approver.id)
    db.session.commit()


def _decided(user: User, private_key: bytes | None, case_id: str) -> tuple[OpenedCase, BulletinDraft]:
    """The draft for its named leader's decision: refused on who asks before any key is opened,
    and checked again once the case row is locked."""
    row = db.session.get(BulletinDraft, case_id)
    if row is None:
        raise NoSuchBulletin(case_id)
    rules.check_decision(user.role, user.id, _status(row), row.drafter_id, row.approver_id)
    opened = open_for_staff(user, private_key, case_id, lock=True)
    db.session.refresh(row)
    rules.check_decision(user.role, user.id, _status(row), row.drafter_id, row.approver_id)
    return opened, row


def _approvable(user: User, private_key: bytes | None, case_id: str) -> tuple[OpenedCase, BulletinDraft, BulletinText]:
    """The draft its leader may approve now: a naming draft only once the cadre consented to its text."""
    opened, row = _decided(user, private_key, case_id)
    text = _read(row, opened.key)
    bulletin_consent.check_approval(row, opened.key, text)
    text.check(case_state.today(), [] if row.names_cadre else _cadre_names(opened))
    return opened, row, text


def decidable(user: User, private_key: bytes | None, case_id: str) -> None:
    """Raise what approve() would refuse, writing nothing (before its confirmation page)."""
    _approvable(user, private_key, case_id)
    db.session.rollback()


@use_case
def approve(user: User, private_key: bytes | None, case_id: str, form_token: str | None) -> int:
    """The named leader approves: the bulletin is published; their copy of the key goes. Its id."""
    form_tokens.spend(form_token)
    opened, row, text = _approvable(user, private_key, case_id)
    bulletin = publish(text, opened.case.id, opened.case.body_id, names_cadre=row.names_cadre)
    row.status = DraftStatus.PUBLISHED.value
    row.bulletin_id = bulletin.id
    row.updated_at = this_hour()
    holdings.release(case_id, user.id, HoldReason.APPROVER)
    audit.record("bulletin_approved", actor_id=user.id, case_id=case_id, detail=f"bulletin:{bulletin.id}")
    db.session.commit()
    return bulletin.id


@use_case
def return_draft(user: User, private_key: bytes | None, case_id: str, reason: str, form_token: str | None) -> None:
    """The named leader returns the draft with a reason (kept under the case key); their copy goes."""
    form_tokens.spend(form_token)
    opened, row = _decided(user, private_key, case_id)
    if not reason.strip():
        raise rules.InvalidText("reason")
    row.status = DraftStatus.RETURNED.value
    row.return_reason = encrypt(opened.key, reason.encode(), aad.bulletin_return(case_id))
    row.updated_at = this_hour()
    holdings.release(case_id, user.id, HoldReason.APPROVER)
    audit.record("bulletin_returned", actor_id=user.id, case_id=case_id, target_user_id=row.drafter_id)
    db.session.commit()


def _index(bulletin: Bulletin) -> None:
    if bulletin.status == PublicStatus.WITHDRAWN:
        # Only the stub stays findable: what it said about the case leaves the search.
        bulletin.search_text = search_text(bulletin.title, bulletin.issuer)
        return
    bulletin.search_text = search_text(bulletin.title, bulletin.facts, bulletin.treatment, bulletin.issuer)


def publish(text: BulletinText, case_id: str | None, body_id: int | None, names_cadre: bool = False) -> Bulletin:
    """Make an approved text public, verbatim, in the name of its body (caller audits, commits);
    ``names_cadre`` when the cadre consented to be named in it."""
    if body_id is None:
        body_id = bodies.default_id()
    body = db.session.get(Body, body_id) if body_id is not None else None
    now = this_hour()
    bulletin = Bulletin(
        case_id=case_id,
        body_id=body_id,
        title=text.title,
        facts=text.facts,
        treatment=text.treatment,
        issuer=body.name if body is not None else "",
        issued_on=text.issued_on,
        status=PublicStatus.PUBLISHED.value,
        published_at=now,
        updated_at=now,
        names_cadre=names_cadre,
    )
    _index(bulletin)
    db.session.add(bulletin)
    db.session.flush()
    db.session.add(BulletinRevision(bulletin_id=bulletin.id, kind="published", at=now))
    return bulletin


def for_staff(user: User, bulletin_id: int) -> Bulletin:
    """A bulletin for its issuing body's supervisors and leaders, whatever its status."""
    if user.role not in SUPERVISING_ROLES:
        raise NotIssuer()
    bulletin = db.session.get(Bulletin, bulletin_id)
    if bulletin is None:
        raise NoSuchBulletin(str(bulletin_id))
    if bulletin.body_id != user.body_id:
        raise NotIssuer("another body issued it")
    return bulletin


def text_of(bulletin: Bulletin) -> BulletinText:
    return BulletinText(bulletin.title, bulletin.facts, bulletin.treatment, bulletin.issued_on)


def _names_for_correction(user: User, private_key: bytes | None, bulletin: Bulletin) -> list[str]:
    """The cadre's name to keep out of a correction: read with the corrector's key while the case
    exists (a supervisor of the issuing body who does not hold it cannot correct it); after the
    case is shredded there is no name left to compare with."""
    if bulletin.case_id is None:
        return []
    return _cadre_names(open_for_staff(user, private_key, bulletin.case_id))


@use_case
def correct(
    user: User, private_key: bytes | None, bulletin_id: int, text: BulletinText, reason: str, form_token: str | None
) -> None:
    """更正: the public text changes at once; what changed and why stay in its public history.

    A bulletin naming the cadre is corrected only to take their name out: they consented to the
    published text, not to a new one (the correction is checked against their name as any draft
    is). Once its case is shredded there is no cadre to ask nor a name to check: it is refused
    (a withdrawal stays possible)."""
    form_tokens.spend(form_token)
    bulletin = for_staff(user, bulletin_id)
    rules.check_public_edit(PublicStatus(bulletin.status))
    rules.check_correction(bulletin.names_cadre, bulletin.case_id is not None)
    try:
        text.check(case_state.today(), _names_for_correction(user, private_key, bulletin))
    except rules.NamesTheCadre as exc:
        if bulletin.names_cadre:
            raise rules.StillNamesTheCadre(exc.field) from exc
        raise
    if not reason.strip():
        raise rules.InvalidText("reason")
    diff = rules.changed(text_of(bulletin), text, named=bulletin.names_cadre)
    if not diff:
        raise NoChange()
    bulletin.title, bulletin.facts, bulletin.treatment = text.title, text.facts, text.treatment
    bulletin.issued_on = text.issued_on
    bulletin.names_cadre = False  # a correction never holds the name (see above)
    _index(bulletin)
    bulletin.updated_at = this_hour()
    db.session.add(
        BulletinRevision(
            bulletin_id=bulletin.id,
            kind="corrected",
            at=bulletin.updated_at,
            reason=reason,
            changes=json.dumps(diff, ensure_ascii=False),
        )
    )
    audit.record("bulletin_corrected", actor_id=user.id, case_id=bulletin.case_id, detail=f"bulletin:{bulletin.id}")
    db.session.commit()


def withdrawable(user: User, bulletin_id: int) -> Bulletin:
    """Raise what withdraw() would refuse, writing nothing."""
    bulletin = for_staff(user, bulletin_id)
    rules.check_public_edit(PublicStatus(bulletin.status))
    return bulletin


@use_case
def withdraw(user: User, bulletin_id: int, reason: str, form_token: str | None) -> None:
    """撤回: a public stub stays (title, issuer, date), marked withdrawn, with the reason."""
    form_tokens.spend(form_token)
    bulletin = withdrawable(user, bulletin_id)
    if not reason.strip():
        raise rules.InvalidText("reason")
    bulletin.status = PublicStatus.WITHDRAWN.value
    bulletin.withdrawn_reason = reason
    _index(bulletin)
    bulletin.updated_at = this_hour()
    db.session.add(BulletinRevision(bulletin_id=bulletin.id, kind="withdrawn", at=bulletin.updated_at, reason=reason))
    audit.record("bulletin_withdrawn", actor_id=user.id, case_id=bulletin.case_id, detail=f"bulletin:{bulletin.id}")
    db.session.commit()


@dataclass(frozen=True)
class Worklist:
    """A supervisor's or leader's bulletins: drafts awaiting them, drafts they wrote, their body's bulletins."""

    awaiting: list[BulletinDraft]
    mine: list[BulletinDraft]
    published: list[Bulletin]


def worklist(user: User) -> Worklist:
    """No content: drafts are named by their case, bulletins (public anyway) by their title."""
    if user.role not in SUPERVISING_ROLES:
        raise NotIssuer()
    drafts = db.select(BulletinDraft).order_by(BulletinDraft.updated_at.desc())
    awaiting = db.session.scalars(
        drafts.where(BulletinDraft.approver_id == user.id, BulletinDraft.status == DraftStatus.SUBMITTED.value)
    )
    mine = db.session.scalars(drafts.where(BulletinDraft.drafter_id == user.id))
    published = db.session.scalars(
        db.select(Bulletin).where(Bulletin.body_id == user.body_id).order_by(Bulletin.published_at.desc()).limit(100)
    )
    return Worklist(list(awaiting), list(mine), list(published))


def history(bulletin_id: int) -> list[BulletinRevision]:
    return list(
        db.session.scalars(
            db.select(BulletinRevision).where(BulletinRevision.bulletin_id == bulletin_id).order_by(BulletinRevision.id)
        )
    )


def parse_changes(raw: str | None) -> list[tuple[str, str, str]]:
    """A revision's stored changes as (field, before, after)."""
    if not raw:
        return []
    return [(name, before, after) for name, (before, after) in json.loads(raw).items()]


# -- h11x: the case's bulletin in its paper-archive copy --


@dataclass(frozen=True)
class CaseBulletin:
    """The 典型案例通报 of a case as its archive copy shows it: the public one with its history, or the
    draft (decrypted) while none is published; ``history`` is (kind, when, reason) oldest first."""

    status: str  # DraftStatus of a draft, PublicStatus of a published bulletin
    text: BulletinText
    number: int | None  # the public bulletin's id
    issuer: str
    drafter: str
    approver: str
    withdrawn_reason: str | None
    history: list[tuple[str, dt.datetime, str | None]]
    names_cadre: bool = False  # the bulletin (the public one as it stands now) names the cadre
    consent: str | None = None  # ConsentStatus of the cadre's answer to a naming draft, if one was asked


def of_case(opened: OpenedCase) -> CaseBulletin | None:
    """The case's bulletin for a holder of its key (the caller audits the reading), if it has one."""
    case_id = opened.case.id
    draft = db.session.get(BulletinDraft, case_id)
    public = db.session.scalar(db.select(Bulletin).where(Bulletin.case_id == case_id))
    if draft is None and public is None:
        return None
    names = dict(db.session.execute(db.select(User.id, User.username)).all())
    drafter = names.get(draft.drafter_id, "") if draft is not None else ""
    approver = names.get(draft.approver_id, "") if draft is not None and draft.approver_id else ""
    if public is not None:
        revisions = [(r.kind, r.at, r.reason) for r in history(public.id)]
        return CaseBulletin(
            public.status,
            text_of(public),
            public.id,
            public.issuer,
            drafter,
            approver,
            public.withdrawn_reason,
            revisions,
            public.names_cadre,
            draft.consent if draft is not None else None,
        )
    assert draft is not None
    text = _read(draft, opened.key)
    return CaseBulletin(draft.status, text, None, "", drafter, approver, None, [], draft.names_cadre, draft.consent)
