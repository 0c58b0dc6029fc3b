"""Filing a concern or a clarification request: one transaction, one receipt."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError

from portal.domain import aad, receipts, workflow
from portal.domain.attachments import CleanFile, clean
from portal.domain.cases import Kind, State
from portal.domain.clock import this_hour
from portal.domain.crypto import encrypt, random_key
from portal.extensions import db
from portal.models import Case
from portal.models.types import new_id
from portal.services import accounts, bodies, case_files, case_state, form_tokens, held_receipts, holdings, timeline
from portal.services.errors import FormReplayed, NotInitialised
from portal.services.settings import argon2_profile, receipt_pepper, setting
from portal.services.transaction import use_case


@dataclass(frozen=True)
class Upload:
    """A file as received: the name the browser gave and the bytes."""

    name: str
    data: bytes


def clean_uploads(uploads: list[Upload]) -> list[CleanFile]:
    """Check and strip every file; raises the domain's AttachmentError on the first bad one."""
    return [clean(u.name, u.data, setting("MAX_ATTACHMENT_BYTES"), setting("MAX_IMAGE_PIXELS")) for u in uploads]


class _ReceiptTaken(Exception):
    """The new receipt's lookup value exists already (astronomically rare): derive another."""


def _new_receipt() -> tuple[str, receipts.ReceiptKeys]:
    """A new receipt and its keys. The derivation is the slow part of filing: it runs before the
    transaction opens, so no submission waits on another's locks while a receipt is derived."""
    receipt = receipts.new_receipt()
    return receipt, receipts.derive(receipt, receipt_pepper(), argon2_profile())


@use_case
def file_case(
    kind: Kind,
    category: str | None,
    fields: dict,
    uploads: list[Upload],
    form_token: str,
    holder: str | None = None,
    body_id: int | None = None,
    real_name: bool = False,
) -> str:
    """Encrypt and store a new case; return its receipt, kept only sealed for the `holder` browser.

    ``real_name`` files a concern as real-name (实名反映): its clocks to tell the submitter start.
    The case goes to ``body_id`` when the cadre chose one, else to its category's body, else to
    the default body; it is sealed to that body's intake officers and escrow key only.
    FormReplayed if this form was sent already, also when a concurrent copy of it won.
    """
    files = clean_uploads(uploads)
    db.session.rollback()  # nothing read so far holds a transaction (or SQLite's write lock) open
    while True:
        receipt, keys = _new_receipt()
        try:
            return _store(kind, category, fields, files, receipt, keys, form_token, holder, body_id, real_name)
        except _ReceiptTaken:
            db.session.rollback()
        except DBAPIError:
            db.session.rollback()
            if form_tokens.spent_meanwhile(form_token):
                raise FormReplayed("a concurrent copy of this form was filed") from None
            raise


def _store(
    kind: Kind,
    category: str | None,
    fields: dict,
    files: list[CleanFile],
    receipt: str,
    keys: receipts.ReceiptKeys,
    form_token: str,
    holder: str | None,
    chosen_body_id: int | None,
    real_name: bool = False,
) -> str:
    """The one transaction of a filing; only fast work happens inside it."""
    try:
        body = bodies.route_for(category, chosen_body_id)
    except bodies.NoSuchBody:
        if chosen_body_id is not None:
            raise
        raise NotInitialised("run flask init first") from None
    if accounts.escrow(body.id) is None:
        raise NotInitialised("the body has no escrow key: run flask init first")
    spent = form_tokens.spend(form_token)
    if db.session.scalar(db.select(Case.id).where(Case.receipt_lookup == keys.lookup)) is not None:
        raise _ReceiptTaken()
    dk = random_key()
    case_id = new_id()
    now = this_hour()
    case = Case(
        id=case_id,
        kind=kind.value,
        state=State.SUBMITTED.value,
        category=category,
        created_at=now,
        updated_at=now,
        receipt_lookup=keys.lookup,
        submitter_wrapped_key=encrypt(keys.wrap_key, dk, aad.submitter_key(case_id)),
        submission=encrypt(dk, json.dumps(fields, ensure_ascii=False).encode(), aad.submission(case_id)),
    )
    case_state.store(case, workflow.new_case(kind, case_state.local_day(now), case_state.deadlines(), real_name))
    db.session.add(case)
    holdings.seal_for_body(case, dk, body.id)
    db.session.flush()  # the case row first: its timeline and attachments refer to it
    timeline.add_event(case, dk, case.state, "submit", None, True, None)
    case_files.add_files(case_id, dk, files, message=None)
    held_receipts.hold(spent, holder, receipt)
    db.session.commit()
    return receipt
