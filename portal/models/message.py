"""The thread between the submitter and reviewers, and attached files."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.types import new_id


class Message(db.Model):
    """One message, either way; body encrypted under the case data key."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("case_id", "position"),
        CheckConstraint("author IN ('submitter', 'reviewer')", name="author"),
    )

    #: Random id; names the message in its ciphertext's associated data.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    #: The case.
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: Order within the thread.
    position: Mapped[int]
    #: submitter or reviewer.
    author: Mapped[str] = mapped_column(String(16))
    #: The reviewer who wrote it (never shown to the submitter).
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: When, to the hour.
    created_at: Mapped[dt.datetime]
    #: Text, under the case data key.
    body: Mapped[bytes] = mapped_column(LargeBinary)

    files: Mapped[list[Attachment]] = relationship(back_populates="message", passive_deletes=True)


class Attachment(db.Model):
    """A file sent with the submission or a message, cleaned then encrypted."""

    __tablename__ = "attachments"

    #: Random id; names the file in its ciphertexts' associated data.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    #: The case.
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: The message it came with; NULL for files of the original submission.
    message_id: Mapped[str | None] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    #: Name, type and size (JSON), under the case data key.
    meta: Mapped[bytes] = mapped_column(LargeBinary)
    #: The cleaned bytes, under the case data key.
    content: Mapped[bytes] = mapped_column(LargeBinary)

    message: Mapped[Message | None] = relationship(back_populates="files")
