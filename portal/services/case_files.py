"""Writing and reading what lives under a case's data key: submission, messages, files."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import Row

from portal.domain import aad
from portal.domain.attachments import CleanFile
from portal.domain.clock import this_hour
from portal.domain.crypto import decrypt, encrypt
from portal.extensions import db
from portal.models import Attachment, Case, Message
from portal.models.types import new_id


@dataclass(frozen=True)
class FileInfo:
    """An attachment's decrypted name, type and size (not its bytes)."""

    id: str
    name: str
    mime: str
    size: int


@dataclass(frozen=True)
class ThreadMessage:
    """One decrypted message of the thread."""

    author: str
    created_at: dt.datetime
    body: str
    files: list[FileInfo]


def add_files(case_id: str, dk: bytes, files: list[CleanFile], message: Message | None) -> None:
    """Encrypt cleaned files into the session (caller commits)."""
    for clean in files:
        file_id = new_id()
        meta = json.dumps({"name": clean.name, "mime": clean.mime, "size": len(clean.data)})
        db.session.add(
            Attachment(
                id=file_id,
                case_id=case_id,
                message=message,
                meta=encrypt(dk, meta.encode(), aad.attachment_meta(case_id, file_id)),
                content=encrypt(dk, clean.data, aad.attachment_content(case_id, file_id)),
            )
        )


def add_message(
    case: Case, dk: bytes, author: str, body: str, files: list[CleanFile], user_id: int | None = None
) -> Message:
    """Encrypt a message and its files into the session (caller commits)."""
    last = db.session.scalar(db.select(db.func.max(Message.position)).where(Message.case_id == case.id))
    message_id = new_id()
    message = Message(
        id=message_id,
        case_id=case.id,
        position=(last or 0) + 1,
        author=author,
        author_user_id=user_id,
        created_at=this_hour(),
        body=encrypt(dk, body.encode(), aad.message_body(case.id, message_id)),
    )
    db.session.add(message)
    add_files(case.id, dk, files, message)
    case.updated_at = this_hour()
    return message


def read_submission(case: Case, dk: bytes) -> dict:
    """The decrypted form fields."""
    return json.loads(decrypt(dk, case.submission, aad.submission(case.id)))


def _file_info(case_id: str, dk: bytes, row: Attachment | Row) -> FileInfo:
    meta = json.loads(decrypt(dk, row.meta, aad.attachment_meta(case_id, row.id)))
    return FileInfo(id=row.id, name=meta["name"], mime=meta["mime"], size=meta["size"])


def list_files(case: Case, dk: bytes) -> tuple[list[FileInfo], dict[str, list[FileInfo]]]:
    """Files of the submission, and files per message id."""
    rows = db.session.execute(
        db.select(Attachment.id, Attachment.message_id, Attachment.meta).where(Attachment.case_id == case.id)
    ).all()
    original: list[FileInfo] = []
    by_message: dict[str, list[FileInfo]] = {}
    for row in rows:
        info = _file_info(case.id, dk, row)
        (by_message.setdefault(row.message_id, []) if row.message_id else original).append(info)
    return original, by_message


def read_thread(case: Case, dk: bytes, by_message: dict[str, list[FileInfo]]) -> list[ThreadMessage]:
    """The decrypted thread, oldest first."""
    rows = db.session.scalars(db.select(Message).where(Message.case_id == case.id).order_by(Message.position))
    return [
        ThreadMessage(
            author=m.author,
            created_at=m.created_at,
            body=decrypt(dk, m.body, aad.message_body(case.id, m.id)).decode(),
            files=by_message.get(m.id, []),
        )
        for m in rows
    ]


def read_file(case: Case, dk: bytes, file_id: str) -> tuple[FileInfo, bytes] | None:
    """One decrypted attachment of this case, or None."""
    row = db.session.scalar(db.select(Attachment).where(Attachment.case_id == case.id, Attachment.id == file_id))
    if row is None:
        return None
    data = decrypt(dk, row.content, aad.attachment_content(case.id, row.id))
    return _file_info(case.id, dk, row), data
