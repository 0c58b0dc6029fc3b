"""典型案例通报 that names the cadre: their consent, asked and given through the receipt (issue 10).

The drafter ticks "name the cadre, with their consent"; submitting asks the cadre, whose status
page shows the text exactly as it would be published. The cadre consents to that text (its keyed
digest is kept) or declines; a consent may be withdrawn until publication. A decline returns the
draft to its drafter. The leader approves a naming draft only once the cadre consented to its text
as it stands. The name stays in the draft's ciphertext; the consent's state is plain.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from portal.domain import aad
from portal.domain import bulletins as rules
from portal.domain.bodies import HoldReason
from portal.domain.bulletins import BulletinText, ConsentStatus, DraftStatus
from portal.domain.clock import this_hour
from portal.domain.crypto import decrypt, equal
from portal.extensions import db
from portal.models import Body, BulletinDraft, Case
from portal.services import holdings, timeline
from portal.services.opened_case import OpenedCase

#: Timeline steps the cadre sees (their page words them; no content is kept with them).
ASKED, CONSENTED, DECLINED, WITHDRAWN = (
    rules.NAMING_ASKED,
    rules.NAMING_CONSENTED,
    rules.NAMING_DECLINED,
    rules.NAMING_WITHDRAWN,
)


@dataclass(frozen=True)
class NamingDraft:
    """The naming draft as the cadre reads it: the text as it would be published, and their answer so far."""

    text: BulletinText
    issuer: str
    consent: ConsentStatus
    digest: str  # hex of the text's keyed digest: the consent form carries it back


def _consent(row: BulletinDraft) -> ConsentStatus | None:
    return ConsentStatus(row.consent) if row.consent else None


def _text(row: BulletinDraft, dk: bytes) -> BulletinText:
    return BulletinText.from_json(json.loads(decrypt(dk, row.content, aad.bulletin_draft(row.case_id))))


def on_submit(opened: OpenedCase, row: BulletinDraft, text: BulletinText, names_cadre: bool) -> None:
    """A (re)submitted draft: a consent to this very text stands, any other naming text asks the cadre."""
    consent = rules.consent_on_submit(names_cadre, _consent(row), row.consented_digest, text.digest(opened.key))
    row.names_cadre = names_cadre
    row.consent = consent.value if consent else None
    if consent is not ConsentStatus.GIVEN:
        row.consented_digest = None
    if consent is ConsentStatus.ASKED:
        timeline.add_event(opened.case, opened.key, opened.case.state, ASKED, opened.actor_id, True, None)


def check_approval(row: BulletinDraft, dk: bytes, text: BulletinText) -> None:
    """ConsentMissing unless the draft names nobody or the cadre consented to its text as it stands."""
    rules.check_consented(row.names_cadre, _consent(row), row.consented_digest, text.digest(dk))


def for_cadre(case: Case, dk: bytes) -> NamingDraft | None:
    """The unpublished draft that would name the cadre, for their status page (None if there is none)."""
    row = db.session.get(BulletinDraft, case.id)
    consent = _consent(row) if row is not None else None
    if row is None or not row.names_cadre or consent is None or row.status == DraftStatus.PUBLISHED:
        return None
    text = _text(row, dk)
    body = db.session.get(Body, case.body_id) if case.body_id is not None else None
    return NamingDraft(text, body.name if body is not None else "", consent, text.digest(dk).hex())


def _seen(seen_digest: str | None) -> bytes:
    try:
        return bytes.fromhex(seen_digest or "")
    except ValueError:
        return b""


def check(opened: OpenedCase, agree: bool, seen_digest: str | None) -> tuple[BulletinDraft, ConsentStatus]:
    """The draft and the answer it would take, or the refusal; nothing is written. A consent names
    the text the cadre read: if the draft changed since, they read it again first."""
    row = db.session.get(BulletinDraft, opened.case.id, populate_existing=True)
    if row is None:
        raise rules.NotAsked()
    status = DraftStatus(row.status)
    after = rules.answer(status, row.names_cadre, _consent(row), agree)
    if agree and not equal(_seen(seen_digest), _text(row, opened.key).digest(opened.key)):
        raise rules.TextChanged()
    return row, after


def record(opened: OpenedCase, agree: bool, seen_digest: str | None) -> None:
    """The cadre's answer, after the case row is locked (a leader's approval waits): consent binds the
    digest; a decline or a withdrawn consent returns a pending draft to its drafter (caller commits)."""
    db.session.execute(db.select(Case.id).where(Case.id == opened.case.id).with_for_update())
    row, after = check(opened, agree, seen_digest)
    before = _consent(row)
    row.consent = after.value
    row.updated_at = this_hour()
    if after is ConsentStatus.GIVEN:
        row.consented_digest = _text(row, opened.key).digest(opened.key)
        event = CONSENTED
    else:
        row.consented_digest = None
        event = WITHDRAWN if before is ConsentStatus.GIVEN else DECLINED
        if row.status == DraftStatus.SUBMITTED.value:
            row.status = DraftStatus.RETURNED.value
            if row.approver_id is not None:
                holdings.release(row.case_id, row.approver_id, HoldReason.APPROVER)
    timeline.add_event(opened.case, opened.key, opened.case.state, event, None, True, None)
    opened.audit(event)
