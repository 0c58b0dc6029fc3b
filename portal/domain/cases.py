"""What a case is: its kinds, the concern categories and the states it passes.

Labels for people live in the web layer (they need gettext); these are codes.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """The two things a cadre can file."""

    CONCERN = "concern"  # 意见反映, anonymous
    CLARIFICATION = "clarification"  # 澄清正名申请, real name to reviewers


class Category(StrEnum):
    """Concern categories of DESIGN.md (plain metadata for queues and statistics)."""

    IDENTITY_BARRIER = "identity_barrier"  # 身份壁垒与提拔任用
    ROTATION = "rotation"  # 交流轮岗
    FAULT_TOLERANCE = "fault_tolerance"  # 容错纠错与问责
    INCENTIVES = "incentives"  # 激励保障与待遇
    WORKLOAD = "workload"  # 工作负担与形式主义
    AUTHORITY = "authority"  # 权责不对等
    OTHER = "other"  # 其他


class State(StrEnum):
    """Every state of both workflows in DESIGN.md."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    NOT_ACCEPTED = "not_accepted"
    IN_PROGRESS = "in_progress"
    AWAITING_INFO = "awaiting_info"
    ANSWERED = "answered"
    CLOSED = "closed"
    VERIFYING = "verifying"
    FINDING_PROPOSED = "finding_proposed"
    FOUND_FALSE = "found_false"
    SUBSTANTIATED = "substantiated"
    UNVERIFIABLE = "unverifiable"
    AWAITING_CONSENT = "awaiting_consent"
    PLAN_CONSENTED = "plan_consented"
    PLAN_APPROVED = "plan_approved"
    CARRIED_OUT = "carried_out"


class Finding(StrEnum):
    """What verification concluded; a supervisor approves it before it counts."""

    FOUND_FALSE = "found_false"  # 经核查失实
    SUBSTANTIATED = "substantiated"  # 反映属实
    UNVERIFIABLE = "unverifiable"  # 无法证实


class RefusalReason(StrEnum):
    """Why a clarification request was not accepted (stored beside the free text)."""

    NO_CONCLUSION = "no_conclusion"  # 尚未形成结论
    NOT_RULED_OUT = "not_ruled_out"  # 问题未排除
    NO_HARM = "no_harm"  # 未造成不良影响
    OTHER = "other"


class AccusationFlag(StrEnum):
    """How the accusation behind a clarification request is judged, apart from its finding."""

    NONE = "none"
    MISTAKEN = "mistaken"  # 错告
    SUSPECTED_MALICIOUS = "suspected_malicious"  # 涉嫌诬告陷害


class Author(StrEnum):
    """Who wrote a message in the thread with the submitter."""

    SUBMITTER = "submitter"
    REVIEWER = "reviewer"


class Harm(StrEnum):
    """How an untrue report harmed the cadre (clarification form)."""

    PROMOTION = "promotion"
    EVALUATION = "evaluation"
    REPUTATION = "reputation"
    DISCIPLINE = "discipline"
    OTHER = "other"


class ClarificationMode(StrEnum):
    """Forms a clarification can take (书面 always; others on request)."""

    WRITTEN = "written"
    IN_PERSON = "in_person"
    MEETING = "meeting"
    PUBLIC_NOTICE = "public_notice"
