"""Document numbers (发文字号) and the kinds of official document a case produces.

A number reads ``{body short name}{word}〔{year}〕{n}号`` (青纪信〔2026〕12号): the body's short
name, the kind's word, the year and the kind's yearly sequence at that body. The case itself
gets a number when it is accepted (受理编号); each document gets one when it is issued. Which
kind may be issued in which state, and which are meant for the cadre (their status page lists
them), is this module's to say, so the service and the pages never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from portal.domain.cases import Kind, State


class DocumentKind(StrEnum):
    """What a number is given to: the case at acceptance, or one kind of document."""

    CASE = "case"  # 受理编号: the case's own number, given when it is accepted
    ACCEPTANCE = "acceptance"  # 受理告知书
    REFUSAL = "refusal"  # 不予受理告知书
    REPLY = "reply"  # 答复意见书
    CLARIFICATION = "clarification"  # 澄清正名告知书
    TOLERANCE = "tolerance"  # 容错认定书
    REFERRAL = "referral"  # 移送函
    NOTICE = "notice"  # 澄清正名公告


class WrongKind(ValueError):
    """This kind of document is not issued for this case in its state."""


class NotVoidable(ValueError):
    """This kind is not voided (作废) like a case's documents: a public notice is corrected or withdrawn."""


@dataclass(frozen=True)
class KindRule:
    """One kind's number word, title, and when it may be issued."""

    word: str  # between the body's short name and the year: 青纪{word}〔2026〕1号
    title: str  # the document's title (标题)
    for_cadre: bool  # shown on the cadre's status page for download
    states: dict[Kind, frozenset[State]]  # the case kinds and states it may be issued in
    needs_referral: bool = False  # only once the accusation was referred (移送)


_AFTER_ACCEPT = frozenset(State) - {State.SUBMITTED, State.NOT_ACCEPTED}
_CLEARED = frozenset(
    {State.FOUND_FALSE, State.AWAITING_CONSENT, State.PLAN_CONSENTED, State.PLAN_APPROVED, State.CARRIED_OUT}
)
_ALL_KINDS = (Kind.CONCERN, Kind.CLARIFICATION, Kind.FAULT_TOLERANCE)

RULES: dict[DocumentKind, KindRule] = {
    DocumentKind.CASE: KindRule("信", "受理编号", False, {}),
    DocumentKind.ACCEPTANCE: KindRule("受", "受理告知书", True, dict.fromkeys(_ALL_KINDS, _AFTER_ACCEPT)),
    DocumentKind.REFUSAL: KindRule(
        "不受", "不予受理告知书", True, dict.fromkeys(_ALL_KINDS, frozenset({State.NOT_ACCEPTED}))
    ),
    DocumentKind.REPLY: KindRule(
        "复",
        "答复意见书",
        True,
        {
            Kind.CONCERN: frozenset({State.ANSWERED, State.CLOSED}),
            Kind.CLARIFICATION: frozenset({State.SUBSTANTIATED, State.UNVERIFIABLE}),
        },
    ),
    DocumentKind.CLARIFICATION: KindRule("澄告", "澄清正名告知书", True, {Kind.CLARIFICATION: _CLEARED}),
    DocumentKind.TOLERANCE: KindRule(
        "容", "容错认定书", True, {Kind.FAULT_TOLERANCE: frozenset({State.DECIDED, State.CLOSED})}
    ),
    DocumentKind.REFERRAL: KindRule("移", "移送函", False, {Kind.CLARIFICATION: _AFTER_ACCEPT}, needs_referral=True),
    DocumentKind.NOTICE: KindRule("澄", "澄清正名公告", False, {}),
}

#: The kinds a staff member issues from a case's documents page (the case number and the notice
#: are given by their own steps: acceptance and publication).
ISSUED_FROM_CASE: tuple[DocumentKind, ...] = (
    DocumentKind.ACCEPTANCE,
    DocumentKind.REFUSAL,
    DocumentKind.REPLY,
    DocumentKind.CLARIFICATION,
    DocumentKind.TOLERANCE,
    DocumentKind.REFERRAL,
)


#: The kinds an issued document may be voided (作废) in: those issued from the case's documents page.
#: The case number is the case's own, and a public notice has its corrections and withdrawal.
VOIDABLE: frozenset[DocumentKind] = frozenset(ISSUED_FROM_CASE)


def number(short_name: str, kind: DocumentKind, year: int, n: int) -> str:
    """The 发文字号: 青纪信〔2026〕12号."""
    if n < 1:
        raise ValueError("a sequence starts at 1")
    return f"{short_name}{RULES[kind].word}〔{year}〕{n}号"


def may_issue(kind: DocumentKind, case_kind: Kind, state: State, referred: bool = False) -> bool:
    """Whether a document of this kind may be issued for a case of this kind in this state."""
    rule = RULES[kind]
    if kind not in ISSUED_FROM_CASE or state not in rule.states.get(case_kind, frozenset()):
        return False
    return referred or not rule.needs_referral


def check_issue(kind: DocumentKind, case_kind: Kind, state: State, referred: bool = False) -> None:
    """Raise WrongKind unless ``may_issue``."""
    if not may_issue(kind, case_kind, state, referred):
        raise WrongKind(f"{kind} not issued for a {case_kind} case in {state}")


def issuable(case_kind: Kind, state: State, referred: bool = False) -> tuple[DocumentKind, ...]:
    """The kinds a case may be given now, in the order of the documents page."""
    return tuple(k for k in ISSUED_FROM_CASE if may_issue(k, case_kind, state, referred))


def for_cadre(kind: DocumentKind) -> bool:
    return RULES[kind].for_cadre


def check_void(kind: DocumentKind) -> None:
    """Raise NotVoidable unless documents of this kind are voided by the office that issued them."""
    if kind not in VOIDABLE:
        raise NotVoidable(str(kind))
