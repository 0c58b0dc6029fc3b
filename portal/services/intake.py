"""Filing a concern or a clarification request: one transaction, one receipt."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError

from portal.domain import aad, receipts, workflow
from portal.domain.attachments import CleanFile, clean
from portal.domain.cases import Kind, State
from portal.domain.clock import this_hour
from portal.domain.crypto import encrypt, random_key, seal
from portal.extensions import db
from portal.models import Case, CaseEvent, CaseKey
from portal.models.types import new_id
from portal.services import accounts, case_files, case_state, form_tokens, held_receipts
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


def _unused_receipt() -> tuple[str, receipts.ReceiptKeys]:
    """A new receipt whose lookup value is not taken (a clash is astronomically rare)."""
    while True:
        receipt = receipts.new_receipt()
        keys = receipts.derive(receipt, receipt_pepper(), argon2_profile())
        if db.session.scalar(db.select(Case.id).where(Case.receipt_lookup == keys.lookup)) is None:
            return receipt, keys


@use_case
def file_case(
    kind: Kind,
    category: str | None,
    fields: dict,
    uploads: list[Upload],
    form_token: str,
    holder: str | None = None,
) -> str:
    """Encrypt and store a new case; return its receipt, kept only sealed for the `holder` browser.

    FormReplayed if this form was sent already, also when a concurrent copy of it won.
    """
    files = clean_uploads(uploads)
    escrow = accounts.escrow()
    if escrow is None:
        raise NotInitialised("run flask init first")
    try:
        return _store(kind, category, fields, files, escrow, form_token, holder)
    except DBAPIError:
        if form_tokens.spent_meanwhile(form_token):
            raise FormReplayed("a concurrent copy of this form was filed") from None
        raise


def _store(
    kind: Kind, category: str | None, fields: dict, files: list[CleanFile], escrow, form_token: str, holder: str | None
) -> str:
    spent = form_tokens.spend(form_token)
    receipt, keys = _unused_receipt()
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
        submitter_key=encrypt(keys.wrap_key, dk, aad.submitter_key(case_id)),
        escrow_key=seal(escrow.public_key, dk, aad.escrow_key(case_id)),
        submission=encrypt(dk, json.dumps(fields, ensure_ascii=False).encode(), aad.submission(case_id)),
    )
    case_state.store(case, workflow.new_case(kind, case_state.local_day(now), case_state.deadlines()))
    db.session.add(case)
    workers = db.session.scalars(accounts.may_receive_new_case_keys())
    for user in workers:
        sealed = seal(user.public_key, dk, aad.user_key(case_id, user.id))
        db.session.add(CaseKey(case_id=case_id, user_id=user.id, sealed_key=sealed))
    db.session.add(
        CaseEvent(
            id=new_id(), case_id=case_id, position=1, created_at=now, state=State.SUBMITTED.value, action="submit"
        )
    )
    db.session.flush()  # the case row first: attachments refer to it
    case_files.add_files(case_id, dk, files, message=None)
    held_receipts.hold(spent, holder, receipt)
    db.session.commit()
    return receipt
