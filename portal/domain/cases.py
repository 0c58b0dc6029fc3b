"""What a case is: its kinds, the concern categories and the states it passes.

Labels for people live in the web layer (they need gettext); these are codes.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """The two things a cadre can file."""

    CONCERN = "concern"  # 意见反映, anonymous
    CLARIFICATION = "clarification"  # 澄清正名申请, real name to reviewers
    FAULT_TOLERANCE = "fault_tolerance"  # 容错纠错申请, real name to reviewers (issue 10)


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
    # -- fault tolerance (issue 10) --
    DECISION_PROPOSED = "decision_proposed"  # 容错纠错 decision proposed by the case worker
    COLLECTIVELY_DECIDED = "collectively_decided"  # 集体研究 recorded, awaiting the named leader
    DECIDED = "decided"  # approved by the leader; the applicant may object once


class Finding(StrEnum):
    """What verification concluded; a supervisor approves it before it counts."""

    FOUND_FALSE = "found_false"  # 经核查失实
    SUBSTANTIATED = "substantiated"  # 反映属实
    UNVERIFIABLE = "unverifiable"  # 无法证实
    PARTLY_FALSE = "partly_false"  # 部分失实: only the items found false are clarified (issue 10)


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


class Origin(StrEnum):
    """How a clarification case began."""

    APPLIED = "applied"  # 澄清正名申请: the cadre applied
    OWN_MOTION = "own_motion"  # 主动澄清: the body found an accusation untrue elsewhere and opened it


class ToleranceOutcome(StrEnum):
    """What a 容错纠错 application is decided to be."""

    EXEMPT = "exempt"  # 容错免责
    REDUCED = "reduced"  # 减责
    REFUSED = "refused"  # 不予容错


class Distinction(StrEnum):
    """The 三个区分开来 a fault-tolerance applicant invokes."""

    INEXPERIENCE = "inexperience"  # 缺乏经验、先行先试出现的失误错误 vs 明知故犯
    UNPRECEDENTED = "unprecedented"  # 上级尚无明确限制的探索性试验中的失误错误 vs 明令禁止后依然我行我素
    UNINTENDED = "unintended"  # 为推动发展的无意过失 vs 为谋取私利


class VisitForm(StrEnum):
    """How a follow-up visit (回访) after a clarification took place."""

    TALK = "talk"  # 谈心谈话
    PHONE = "phone"  # 电话回访
    SITE = "site"  # 实地回访


class Filing(StrEnum):
    """Where a carried-out clarification's material is filed (steps of the plan)."""

    INTEGRITY_FILE = "integrity_file"  # 归入廉政档案
    PERSONNEL = "personnel"  # 抄送组织人事部门


class ReferralTarget(StrEnum):
    """The kind of body a suspected malicious accusation is referred to (移送)."""

    DISCIPLINE = "discipline"  # 纪检机关
    SUPERVISION = "supervision"  # 监察机关
    POLICE = "police"  # 公安机关
    PARTY = "party"  # 检举控告人所在党组织


class ReferralOutcome(StrEnum):
    """What became of a referral, recorded as the receiving body reports back."""

    FILED = "filed"  # 立案
    HANDLED = "handled"  # 处理结果 (with its date)
    NOT_PURSUED = "not_pursued"  # 不予追究


# -- the 诬告陷害 ledger (issue 10) --
class ReminderForm(StrEnum):
    """How a mistaken accuser (错告) was reminded and educated (提醒教育)."""

    TALK = "talk"  # 谈话提醒
    WRITTEN = "written"  # 书面提醒
    CRITICISM = "criticism"  # 批评教育


# -- clarification on the body's own motion, and 部分失实 (issue 10) --

#: Findings that clear the cadre (wholly or in part) and lead to a clarification plan.
CLEARING_FINDINGS: frozenset[Finding] = frozenset({Finding.FOUND_FALSE, Finding.PARTLY_FALSE})


# -- fault tolerance (issue 10) --


class FiledBy(StrEnum):
    """Who files a 容错纠错 application."""

    SELF = "self"  # the cadre themselves
    UNIT = "unit"  # their unit on their behalf


class Accountability(StrEnum):
    """The accountability a fault-tolerance applicant faces."""

    PENDING = "pending"  # 问责程序进行中
    DISCIPLINE_PROPOSED = "discipline_proposed"  # 拟给予处分
    OTHER = "other"
