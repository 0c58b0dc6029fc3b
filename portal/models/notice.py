"""Public rehabilitation notices (澄清正名公告): plain text, because they are public by nature."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import CheckConstraint, ForeignKey, Index, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class Notice(db.Model):
    """A published notice; corrections update it in place and leave a revision behind."""

    __tablename__ = "notices"
    __table_args__ = (
        CheckConstraint("status IN ('published', 'withdrawn')", name="status"),
        Index("ix_notices_published", "published_at", "id"),
        Index("ix_notices_issuer_published", "issuer", "published_at", "id"),
        Index("ix_notices_issued_on", "issued_on", "published_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The case it clears; kept NULL-able so retention can shred the case and keep the notice.
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), unique=True)
    #: The body that issued it: only its supervisors and leaders correct or withdraw it (the case may
    #: be shredded after the archive period; the notice and its issuer stay).
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"))
    #: Notice number (文号).
    number: Mapped[str] = mapped_column(String(64))
    #: Title.
    title: Mapped[str] = mapped_column(String(200))
    #: The cleared cadre as they consented to be named (full name, surname with 某, or empty).
    person: Mapped[str] = mapped_column(String(64), default="")
    #: Unit.
    unit: Mapped[str] = mapped_column(String(200))
    #: Post.
    post: Mapped[str] = mapped_column(String(100))
    #: The allegation in brief (plain text).
    allegation: Mapped[str] = mapped_column(Text)
    #: How it was verified and the finding: HTML cleaned by bleach's allow-list.
    body_html: Mapped[str] = mapped_column(Text)
    #: Issuing body.
    issuer: Mapped[str] = mapped_column(String(200))
    #: Date on the notice.
    issued_on: Mapped[dt.date]
    #: published or withdrawn (a withdrawn notice keeps its page).
    status: Mapped[str] = mapped_column(String(16), default="published")
    #: First published, to the hour.
    published_at: Mapped[dt.datetime]
    #: Last publication, correction or withdrawal, to the hour (Last-Modified of its page).
    updated_at: Mapped[dt.datetime] = mapped_column(index=True)
    #: Why it was withdrawn.
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    #: Lower-cased words of every public field, for search.
    search_text: Mapped[str] = mapped_column(Text)
    #: 部分失实 (issue 10): the items found false, the only ones the notice clarifies (JSON list); NULL
    #: for a notice of a finding wholly untrue.
    clarified_items: Mapped[str | None] = mapped_column(Text)

    @property
    def clarified(self) -> list[str]:
        """The items found untrue that the notice clarifies (部分失实); empty for a wholly untrue finding."""
        return list(json.loads(self.clarified_items)) if self.clarified_items else []


class NoticeRevision(db.Model):
    """One event in a notice's public history: published, corrected or withdrawn."""

    __tablename__ = "notice_revisions"
    __table_args__ = (
        CheckConstraint("kind IN ('published', 'corrected', 'withdrawn')", name="kind"),
        Index("ix_notice_revisions_at", "at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The notice.
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    #: published, corrected or withdrawn.
    kind: Mapped[str] = mapped_column(String(16))
    #: When, to the hour.
    at: Mapped[dt.datetime]
    #: Reason given for a correction or withdrawal.
    reason: Mapped[str | None] = mapped_column(Text)
    #: For a correction, JSON {field: [before, after]}.
    changes: Mapped[str | None] = mapped_column(Text)


class NoticeGram(db.Model):
    """One character or pair of adjacent characters of a notice's search text: the search index.

    Chinese has no spaces, so a term of one or two characters (a surname, 王伟) is not a word
    any index on words could find; every notice is listed under each of its characters and
    character pairs, and a search looks its term's grams up here before checking the text.
    Kept in step with ``Notice.search_text`` by the service that publishes, corrects and
    withdraws (a withdrawn notice keeps only its number's grams, like its search text).
    """

    __tablename__ = "notice_grams"
    __table_args__ = (PrimaryKeyConstraint("gram", "notice_id"),)

    #: One character, or two adjacent characters of one word of the search text.
    gram: Mapped[str] = mapped_column(String(2))
    #: The notice.
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
