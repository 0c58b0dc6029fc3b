"""典型案例通报: the staff-side draft (under the case key) and the public bulletin (plain text)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class BulletinDraft(db.Model):
    """A bulletin being drafted or awaiting its leader: content encrypted under the case key."""

    __tablename__ = "bulletin_drafts"
    __table_args__ = (
        CheckConstraint("status IN ('submitted', 'returned', 'published')", name="status"),
        CheckConstraint("approver_id IS NULL OR approver_id <> drafter_id", name="four_eyes"),
        CheckConstraint("consent IS NULL OR consent IN ('asked', 'given', 'declined')", name="consent"),
        CheckConstraint("names_cadre OR consent IS NULL", name="consent_only_naming"),
    )

    #: The case (one bulletin per case).
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    #: Who drafted (or last redrafted) it.
    drafter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: The leader it is submitted to, who holds the case's key for that reason.
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: submitted, returned or published.
    status: Mapped[str] = mapped_column(String(16))
    #: Last change, to the hour.
    updated_at: Mapped[dt.datetime]
    #: JSON of the text (title, facts, treatment, date), under the case key.
    content: Mapped[bytes] = mapped_column(LargeBinary)
    #: The leader's reason for returning it, under the case key.
    return_reason: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: The public bulletin once approved.
    bulletin_id: Mapped[int | None] = mapped_column(ForeignKey("bulletins.id", ondelete="SET NULL"))
    #: The drafter means to name the cadre, with their consent (the name itself is only in ``content``).
    names_cadre: Mapped[bool] = mapped_column(default=False)
    #: The cadre's answer to being named: asked, given or declined (NULL when the draft names nobody).
    consent: Mapped[str | None] = mapped_column(String(16))
    #: The keyed digest of the text the cadre consented to (``BulletinText.digest``).
    consented_digest: Mapped[bytes | None] = mapped_column(LargeBinary)


class Bulletin(db.Model):
    """A published bulletin; corrections update it in place and leave a revision behind."""

    __tablename__ = "bulletins"
    __table_args__ = (
        CheckConstraint("status IN ('published', 'withdrawn')", name="status"),
        Index("ix_bulletins_published", "published_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The case it reports; NULL-able so retention can shred the case and keep the bulletin.
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), unique=True)
    #: The issuing body: only its supervisors and leaders correct or withdraw it.
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"))
    #: Title.
    title: Mapped[str] = mapped_column(String(200))
    #: What happened, anonymised (plain text).
    facts: Mapped[str] = mapped_column(Text)
    #: The accuser's treatment as decided (plain text).
    treatment: Mapped[str] = mapped_column(Text)
    #: Issuing body's name as published.
    issuer: Mapped[str] = mapped_column(String(200))
    #: Date on the bulletin.
    issued_on: Mapped[dt.date]
    #: published or withdrawn (a withdrawn bulletin keeps its page, marked so).
    status: Mapped[str] = mapped_column(String(16), default="published")
    #: Approved and published, to the hour.
    published_at: Mapped[dt.datetime]
    #: Last publication, correction or withdrawal, to the hour (Last-Modified of its page).
    updated_at: Mapped[dt.datetime] = mapped_column(index=True)
    #: Why it was withdrawn.
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    #: Lower-cased words of every public field, for search (a withdrawn one keeps its title's only).
    search_text: Mapped[str] = mapped_column(Text)
    #: The text names the cadre, who consented to it: a correction must take the name out.
    names_cadre: Mapped[bool] = mapped_column(default=False)


class BulletinRevision(db.Model):
    """One event in a bulletin's public history: published, corrected or withdrawn."""

    __tablename__ = "bulletin_revisions"
    __table_args__ = (CheckConstraint("kind IN ('published', 'corrected', 'withdrawn')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The bulletin.
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletins.id", ondelete="CASCADE"), index=True)
    #: published, corrected or withdrawn.
    kind: Mapped[str] = mapped_column(String(16))
    #: When, to the hour.
    at: Mapped[dt.datetime]
    #: Reason given for a correction or withdrawal.
    reason: Mapped[str | None] = mapped_column(Text)
    #: For a correction, JSON {field: [before, after]}.
    changes: Mapped[str | None] = mapped_column(Text)
