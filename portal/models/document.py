"""Official documents (公文) a case produces, and the yearly number sequences they draw from.

Plain: the case, the body, the kind, the number, when and by whom it was issued and whether it
is meant for the cadre (what the documents list and the cadre's status page show without opening
the case), and when and by whom it was voided. Under the case's data key: the whole ``Gongwen``
(addressee, text), as JSON, and the reason it was voided.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.domain.documents import DocumentKind
from portal.extensions import db
from portal.models.types import new_id

_KINDS = ", ".join(f"'{k.value}'" for k in DocumentKind)


class DocumentSequence(db.Model):
    """The last number given, per body, year and kind; its row lock serialises issuing."""

    __tablename__ = "document_sequences"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_KINDS})", name="kind"),
        CheckConstraint("last >= 0", name="last_not_negative"),
    )

    #: The numbering body.
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True)
    #: The year the sequence counts in (China's calendar day).
    year: Mapped[int] = mapped_column(primary_key=True)
    #: The kind of number (portal.domain.documents.DocumentKind).
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    #: The last number given; the next is last + 1.
    last: Mapped[int] = mapped_column(default=0)


class Document(db.Model):
    """One issued document of a case: its number in plain, its content under the case key."""

    __tablename__ = "documents"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_KINDS})", name="kind"),
        UniqueConstraint("body_id", "number"),
        Index("ix_documents_case_issued", "case_id", "issued_at"),
        CheckConstraint("(voided_at IS NULL) = (void_reason IS NULL)", name="void_has_reason"),
    )

    #: Random id; names the document in its content's associated data.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    #: The case it was issued for.
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    #: The issuing body (whose sequence gave the number).
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    #: The kind (DocumentKind).
    kind: Mapped[str] = mapped_column(String(16))
    #: The 发文字号, e.g. 青纪受〔2026〕3号.
    number: Mapped[str] = mapped_column(String(64))
    #: Issued at, to the minute (a staff member's act).
    issued_at: Mapped[dt.datetime]
    #: Who issued it.
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Listed on the cadre's status page for download.
    for_cadre: Mapped[bool] = mapped_column(default=False)
    #: The Gongwen as JSON, under the case data key (aad.document_content).
    content: Mapped[bytes] = mapped_column(LargeBinary)
    #: Voided (作废) at, to the minute (a staff member's act); None while it stands. The number stays.
    voided_at: Mapped[dt.datetime | None]
    #: Who voided it.
    voided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The 作废原因, under the case data key (aad.document_void_reason).
    void_reason: Mapped[bytes | None] = mapped_column(LargeBinary)
