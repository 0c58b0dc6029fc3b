"""Reviewer-side access to a case's key and the thread (the reviewer UI builds on it)."""

from __future__ import annotations

from portal.domain import aad
from portal.domain.cases import Author
from portal.domain.crypto import unseal
from portal.extensions import db
from portal.models import Case, CaseKey, User
from portal.services import case_files
from portal.services.errors import ServiceError
from portal.services.intake import Upload, clean_uploads


class NoAccess(ServiceError):
    """This user holds no key for this case."""


def case_key(case: Case, user: User, private_key: bytes) -> bytes:
    """Open the case data key sealed to this user."""
    row = db.session.get(CaseKey, (case.id, user.id))
    if row is None:
        raise NoAccess(case.id)
    return unseal(private_key, row.sealed_key, aad.user_key(case.id, user.id))


def send_to_submitter(
    case_id: str, user: User, private_key: bytes, body: str, uploads: list[Upload] | None = None
) -> None:
    """A reviewer's message to the submitter, shown on their status page."""
    files = clean_uploads(uploads or [])
    case = db.session.get(Case, case_id)
    if case is None:
        raise NoAccess(case_id)
    dk = case_key(case, user, private_key)
    case_files.add_message(case, dk, Author.REVIEWER.value, body, files, user_id=user.id)
    db.session.commit()
