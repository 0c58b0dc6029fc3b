"""Opening a case's data key with a staff member's private key."""

from __future__ import annotations

from portal.domain import aad
from portal.domain.crypto import unseal
from portal.extensions import db
from portal.models import Case, CaseKey, User
from portal.services.errors import ServiceError


class NoAccess(ServiceError):
    """This user holds no key for this case (a supervisor's grant gives one)."""


def case_key(case: Case, user: User, private_key: bytes) -> bytes:
    """Open the case data key sealed to this user."""
    row = db.session.get(CaseKey, (case.id, user.id))
    if row is None:
        raise NoAccess(case.id)
    return unseal(private_key, row.sealed_key, aad.user_key(case.id, user.id))
