"""Internal notes on a case: encrypted, for reviewers only, never shown to the submitter."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.types import new_id


class Note(db.Model):
    """One internal note."""

    __tablename__ = "notes"

    #: Random id; names the note in its ciphertext's associated data.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    #: The case.
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: Order within the case.
    position: Mapped[int]
    #: Who wrote it.
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: When, to the hour.
    created_at: Mapped[dt.datetime]
    #: Text, under the case data key.
    body: Mapped[bytes] = mapped_column(LargeBinary)
