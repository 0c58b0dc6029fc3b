"""A case: routing metadata in plain text, everything else encrypted under its key."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.bodies import HoldReason
from portal.domain.cases import AccusationFlag, Category, Finding, Kind, Origin, RefusalReason, State, ToleranceOutcome
from portal.domain.workflow_rules import CORRECTABLE
from portal.extensions import db
from portal.models.types import new_id

_KINDS = ", ".join(f"'{k.value}'" for k in Kind)
_STATES = ", ".join(f"'{s.value}'" for s in State)
_CATEGORIES = ", ".join(f"'{c.value}'" for c in Category)
_FLAGS = ", ".join(f"'{f.value}'" for f in AccusationFlag)
_FINDINGS = ", ".join(f"'{f.value}'" for f in Finding)
_REFUSALS = ", ".join(f"'{r.value}'" for r in RefusalReason)
_HOLDS = ", ".join(f"'{h.value}'" for h in HoldReason)
_CORRECTABLE = ", ".join(f"'{s.value}'" for s in sorted(CORRECTABLE))
#: States with a pending proposal (a finding proposed, or a plan drafted) and so a proposer.
_PROPOSED = "'finding_proposed', 'awaiting_consent', 'plan_consented', 'decision_proposed', 'collectively_decided'"
# -- fault tolerance (issue 10) --
_TOLERANCES = ", ".join(f"'{t.value}'" for t in ToleranceOutcome)
#: States with a pending 容错纠错 decision (proposed, or collectively decided and awaiting its leader).
_DECISION_PENDING = "'decision_proposed', 'collectively_decided'"

#: What the engine keeps true of every case, kept by the database too (a state implies its columns).
WORKFLOW_INVARIANTS = (
    CheckConstraint(f"proposed_finding IS NULL OR proposed_finding IN ({_FINDINGS})", name="proposed_finding"),
    CheckConstraint("(state = 'finding_proposed') = (proposed_finding IS NOT NULL)", name="finding_while_proposed"),
    CheckConstraint(f"(state IN ({_PROPOSED})) = (proposer_id IS NOT NULL)", name="proposer_while_proposed"),
    CheckConstraint(f"paused_from IS NULL OR paused_from IN ({_STATES})", name="paused_from"),
    CheckConstraint("(state = 'awaiting_info') = (paused_from IS NOT NULL)", name="paused_from_while_awaiting"),
    CheckConstraint("(state = 'awaiting_info') = (paused_on IS NOT NULL)", name="paused_on_while_awaiting"),
    CheckConstraint(
        "state IN ('submitted', 'not_accepted') OR (assignee_id IS NOT NULL AND answer_due IS NOT NULL)",
        name="accepted_cases_have_assignee_and_due",
    ),
    CheckConstraint("kind = 'clarification' OR flag = 'none'", name="flag_only_for_clarifications"),
    CheckConstraint("NOT referred OR flag = 'suspected_malicious'", name="referred_only_if_malicious"),
    CheckConstraint(f"NOT correction_pending OR state IN ({_CORRECTABLE})", name="correction_only_when_published"),
    CheckConstraint(
        f"refusal_reason IS NULL OR (refusal_reason IN ({_REFUSALS}) AND kind = 'clarification'"
        " AND state = 'not_accepted')",
        name="refusal_reason_of_refused_clarification",
    ),
    # -- 主动澄清 and 部分失实 (issue 10) --
    CheckConstraint(f"finding IS NULL OR finding IN ({_FINDINGS})", name="finding"),
    CheckConstraint(
        "(false_items IS NOT NULL) = (COALESCE(proposed_finding, '') = 'partly_false'"
        " OR COALESCE(finding, '') = 'partly_false')",
        name="false_items_of_partly_false",
    ),
    # -- fault tolerance (issue 10) --
    CheckConstraint(f"proposed_tolerance IS NULL OR proposed_tolerance IN ({_TOLERANCES})", name="proposed_tolerance"),
    CheckConstraint(
        f"(state IN ({_DECISION_PENDING})) = (proposed_tolerance IS NOT NULL)", name="tolerance_while_proposed"
    ),
    CheckConstraint("(state = 'collectively_decided') = (approver_id IS NOT NULL)", name="approver_while_collective"),
    CheckConstraint(
        f"tolerance_outcome IS NULL OR (tolerance_outcome IN ({_TOLERANCES}) AND kind = 'fault_tolerance')",
        name="tolerance_outcome",
    ),
    # -- real-name concerns and 回访 (issue 10) --
    CheckConstraint("kind = 'concern' OR NOT real_name", name="real_name_only_for_concerns"),
    CheckConstraint(
        "real_name OR (tell_accept_due IS NULL AND tell_result_due IS NULL)", name="tell_clocks_only_if_real_name"
    ),
    CheckConstraint("visit_due IS NULL OR state = 'carried_out'", name="visit_after_carry_out"),
)

_ORIGINS = ", ".join(f"'{o.value}'" for o in Origin)


class Case(db.Model):
    """One concern, clarification request or fault-tolerance application."""

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_KINDS})", name="kind"),
        CheckConstraint(f"state IN ({_STATES})", name="state"),
        CheckConstraint(f"category IS NULL OR category IN ({_CATEGORIES})", name="category"),
        CheckConstraint("(kind = 'concern') = (category IS NOT NULL)", name="category_only_for_concerns"),
        CheckConstraint(f"flag IN ({_FLAGS})", name="flag"),
        *WORKFLOW_INVARIANTS,
        CheckConstraint(f"origin IN ({_ORIGINS})", name="origin"),
        CheckConstraint("kind = 'clarification' OR origin = 'applied'", name="origin_only_for_clarifications"),
        Index("ix_cases_state_created", "state", "created_at", "id"),
        Index("ix_cases_created", "created_at", "id"),
        Index("ix_cases_assignee_created", "assignee_id", "created_at", "id"),
        Index("ix_cases_due_id", "due_on", "id"),
        Index("ix_cases_state_due_id", "state", "due_on", "id"),
        # -- h11s1: statistics (event-dated counts per body, kind and category: index-only when a year is a
        # small part of the table; a young deployment's year is most of it and is scanned) --
        Index("ix_cases_stats_accepted", "accepted_on", "body_id", "kind", "category"),
        Index("ix_cases_stats_refused", "refused_on", "body_id", "kind", "category"),
        Index("ix_cases_stats_concluded", "concluded_on", "body_id", "kind", "category"),
        Index("ix_cases_stats_carried_out", "carried_out_on", "body_id", "kind", "category"),
    )

    #: Random id; names the case in every ciphertext's associated data.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    #: concern, clarification or fault_tolerance.
    kind: Mapped[str] = mapped_column(String(16))
    #: Current workflow state; only the workflow module changes it.
    state: Mapped[str] = mapped_column(String(32), default=State.SUBMITTED.value)
    #: Concern category (plain metadata); NULL for clarification requests.
    category: Mapped[str | None] = mapped_column(String(32))
    #: Filed at, to the hour.
    created_at: Mapped[dt.datetime]
    #: Last change, to the hour.
    updated_at: Mapped[dt.datetime]
    #: HKDF(Argon2id(receipt)) "lookup" value; a receipt check is one indexed query.
    receipt_lookup: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    #: The body handling the case now (its intake officers and escrow hold the key).
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    #: The case data key, wrapped under the receipt's wrap key (AES-GCM).
    submitter_wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    #: The case data key sealed to the handling body's escrow public key.
    escrow_sealed_key: Mapped[bytes] = mapped_column(LargeBinary)
    #: The submission's form fields (JSON) under the data key.
    submission: Mapped[bytes] = mapped_column(LargeBinary)

    # Workflow facts (portal.domain.workflow.Facts); only services.casework writes them.
    #: The reviewer or supervisor handling the case.
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Who proposed the pending finding or drafted the pending plan (four eyes).
    proposer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The finding awaiting a supervisor.
    proposed_finding: Mapped[str | None] = mapped_column(String(16))
    #: State to return to when the submitter answers a question.
    paused_from: Mapped[str | None] = mapped_column(String(32))
    #: Day the answer clock stopped.
    paused_on: Mapped[dt.date | None]
    #: Accept or refuse by this day (7 working days).
    accept_due: Mapped[dt.date | None]
    #: Answer by this day (90 days from acceptance, plus time paused).
    answer_due: Mapped[dt.date | None]
    #: Carry the clarification out by this day (5 working days from approval).
    carry_out_due: Mapped[dt.date | None]
    #: Day a concern was answered: opens the 15-day objection window.
    answered_on: Mapped[dt.date | None]
    #: The submitter's one objection is used.
    objected: Mapped[bool] = mapped_column(default=False)
    #: Mistaken report or suspected malicious accusation.
    flag: Mapped[str] = mapped_column(String(24), default=AccusationFlag.NONE.value)
    #: Referred to another body (details in an internal event).
    referred: Mapped[bool] = mapped_column(default=False)
    #: A correction of the published notice awaits the cadre's consent (text in pending_corrections).
    correction_pending: Mapped[bool] = mapped_column(default=False)
    #: Refusal reason code for a clarification request not accepted.
    refusal_reason: Mapped[str | None] = mapped_column(String(16))
    #: The deadline of the current state (NULL while paused or finished), for the overdue queue.
    due_on: Mapped[dt.date | None]
    # -- fault tolerance (issue 10) --
    #: The 容错纠错 outcome proposed, until the leader approves it or it is returned.
    proposed_tolerance: Mapped[str | None] = mapped_column(String(16))
    #: The outcome the leader approved (the applicant is told it with its reasons).
    tolerance_outcome: Mapped[str | None] = mapped_column(String(16))
    #: The leader the collective decision is submitted to (only they approve it).
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    # -- clarification on the body's own motion, and 部分失实 (issue 10) --
    #: applied (the cadre filed it) or own_motion (主动澄清: a body opened it from a verification elsewhere).
    origin: Mapped[str] = mapped_column(String(16), default=Origin.APPLIED.value)
    #: The approved finding (失实 or 部分失实 both lead to found_false), kept once the case moves on.
    finding: Mapped[str | None] = mapped_column(String(16))
    #: The items a partly-false finding found false (JSON list) under the data key.
    false_items: Mapped[bytes | None] = mapped_column(LargeBinary)
    # -- real-name concerns and 回访 (issue 10) --
    #: A real-name concern (实名反映); says nothing of who (the name is in the encrypted submission).
    real_name: Mapped[bool] = mapped_column(default=False)
    #: Tell the real-name submitter whether the case is accepted by this day (15 working days).
    tell_accept_due: Mapped[dt.date | None]
    #: The day the accept or refuse step told them.
    told_accept_on: Mapped[dt.date | None]
    #: Tell the real-name submitter the result by this day (15 working days from closing).
    tell_result_due: Mapped[dt.date | None]
    #: The day the result was told.
    told_result_on: Mapped[dt.date | None]
    #: The 回访 is due by this day (months from carrying the clarification out).
    visit_due: Mapped[dt.date | None]
    #: The day the 回访 was recorded.
    visited_on: Mapped[dt.date | None]
    #: The applicant left their one feedback on the 回访.
    feedback_given: Mapped[bool] = mapped_column(default=False)
    # -- document numbers (issue 11, h11d1) --
    #: 受理编号, given when the case is accepted (青纪信〔2026〕12号); NULL before.
    number: Mapped[str | None] = mapped_column(String(64))
    # -- h11s1: statistics milestones (portal.domain.milestones; days only, written by OpenedCase.step) --
    #: The day the case was accepted (受理).
    accepted_on: Mapped[dt.date | None]
    #: The day it was not accepted (不予受理).
    refused_on: Mapped[dt.date | None]
    #: The day it was concluded (办结: a concern answered, a finding or a 容错 decision approved).
    concluded_on: Mapped[dt.date | None]
    #: The day the clarification was carried out.
    carried_out_on: Mapped[dt.date | None]
    #: Working days from filing to acceptance or refusal.
    days_to_accept: Mapped[int | None]
    #: Working days from acceptance to conclusion.
    days_to_conclude: Mapped[int | None]
    #: Working days from the finding's approval to the clarification carried out.
    days_to_carry_out: Mapped[int | None]
    #: Accepted or refused by its accept_due.
    accept_met: Mapped[bool | None]
    #: Concluded by its answer_due.
    conclude_met: Mapped[bool | None]
    #: Carried out by its carry_out_due.
    carry_out_met: Mapped[bool | None]

    keys: Mapped[list[CaseKey]] = relationship(back_populates="case", cascade="all, delete-orphan")
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.position"
    )


class CaseKey(db.Model):
    """A holder row: the case data key sealed to one staff member's public key, and why they hold it.

    It carries the case's filing time so that a holder's queue is one bounded scan of
    ``ix_case_keys_holder_filed`` (user, filed, case), however many cases the deployment has.
    """

    __tablename__ = "case_keys"
    __table_args__ = (
        CheckConstraint(f"reason IN ({_HOLDS})", name="hold_reason"),
        Index("ix_case_keys_holder_filed", "user_id", "case_filed_at", "case_id"),
    )

    #: The case.
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    #: The staff member who can open it.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    #: Sealed box of the data key.
    sealed_key: Mapped[bytes] = mapped_column(LargeBinary)
    #: Why they hold it (portal.domain.bodies.HoldReason).
    reason: Mapped[str] = mapped_column(String(16))
    #: The case's filing time (copied; it never changes), for the holder's queue order.
    case_filed_at: Mapped[dt.datetime]

    case: Mapped[Case] = relationship(back_populates="keys")


class CaseEvent(db.Model):
    """One step of a case's timeline (state changes, mostly)."""

    __tablename__ = "case_events"
    __table_args__ = (UniqueConstraint("case_id", "position"),)

    #: Random id; names the event in its reason's associated data.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    #: The case.
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: Order within the case (times are only to the hour).
    position: Mapped[int]
    #: When, to the hour.
    created_at: Mapped[dt.datetime]
    #: State the case entered.
    state: Mapped[str] = mapped_column(String(32))
    #: The workflow action that made this step.
    action: Mapped[str] = mapped_column(String(32), default="submit")
    #: Staff member who acted (never shown to the submitter); NULL for the submitter.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Whether the submitter's status page shows this step.
    visible_to_submitter: Mapped[bool] = mapped_column(default=True)
    #: Reason or remark for the step, under the case data key; optional.
    reason: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: The code the step chose, where it chose one (the proposed finding), plain like the state.
    detail: Mapped[str | None] = mapped_column(String(32))

    case: Mapped[Case] = relationship(back_populates="events")
