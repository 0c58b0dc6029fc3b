"""A draft 公文 of each kind, filled from the case: what the staff member sees before issuing.

The issuer and signatory are the handling body's full name; the addressee is whom the document
is for (an anonymous concern's submitter is 反映人, never a name); the text comes from the
case's decision, reply, finding or referral, in the words of 纪检监察 documents. The number is
left blank (``pending_number``): it is drawn only when the document is issued.
"""

from __future__ import annotations

import datetime as dt
import re

from portal.domain import aad
from portal.domain.cases import Finding, Kind, Origin, ReferralTarget, ToleranceOutcome
from portal.domain.crypto import decrypt
from portal.domain.documents import RULES, DocumentKind
from portal.domain.gongwen import Gongwen, written_date
from portal.domain.notice_text import plain_text
from portal.domain.workflow import Action
from portal.extensions import db
from portal.models import Body, Case, Referral
from portal.services import case_files, case_state, false_items, timeline, tolerance_store
from portal.services.notices_public import PublicNotice
from portal.services.timeline import TimelineEntry

#: What the cadre filed, as a document names it.
_FILED = {
    Kind.CONCERN: "反映的问题",
    Kind.CLARIFICATION: "提出的澄清正名申请",
    Kind.FAULT_TOLERANCE: "提出的容错纠错申请",
}
_TOLERANCE = {
    ToleranceOutcome.EXEMPT: "予以容错免责",
    ToleranceOutcome.REDUCED: "予以减责",
    ToleranceOutcome.REFUSED: "不予容错",
}
_FINDING = {
    Finding.SUBSTANTIATED: "经核查，反映问题属实。",
    Finding.UNVERIFIABLE: "经核查，反映问题查无实据。",
}
_RECEIVER = {
    ReferralTarget.DISCIPLINE: "纪检机关",
    ReferralTarget.SUPERVISION: "监察机关",
    ReferralTarget.POLICE: "公安机关",
    ReferralTarget.PARTY: "检举控告人所在党组织",
}


def pending_number(body: Body, kind: DocumentKind) -> str:
    """The number as the draft shows it: the year's, with the sequence left blank until issued."""
    return f"{body.short_name}{RULES[kind].word}〔{case_state.today().year}〕　号"


def _last_reason(steps: list[TimelineEntry], *actions: Action) -> str:
    values = {a.value for a in actions}
    found = next((s for s in reversed(steps) if s.action in values and s.reason), None)
    return found.reason.strip() if found and found.reason else ""


def _day_of(steps: list[TimelineEntry], action: Action, default: dt.date) -> dt.date:
    found = next((s for s in steps if s.action == action.value), None)
    return case_state.local_day(found.created_at) if found else default


def _addressee(case: Case, fields: dict) -> str:
    name = (fields.get("real_name") or "").strip()
    if case.kind == Kind.CONCERN and not (case.real_name and name):
        return "反映人"
    return f"{name}同志" if name else "申请人"


def _referral(case: Case, dk: bytes) -> tuple[str, str]:
    """The receiving body's name (as recorded) and its kind's words, of the latest referral."""
    row = db.session.scalars(
        db.select(Referral).where(Referral.case_id == case.id).order_by(Referral.position.desc()).limit(1)
    ).first()
    if row is None:
        return "", ""
    name = decrypt(dk, row.body_name, aad.referral_field(case.id, row.id, "body_name")).decode()
    return name, _RECEIVER[ReferralTarget(row.target)]


def _own_motion_opening(fields: dict, number: str) -> str:
    """How a clarification the body opened itself begins: the verification that found the accusation untrue."""
    body = (fields.get("origin_body") or "").strip() or "有关机关"
    reference = (fields.get("origin_number") or "").strip()
    concluded = fields.get("origin_concluded_on")
    on = written_date(dt.date.fromisoformat(concluded)) if concluded else ""
    of = f"（{reference}，{on}办结）" if reference or on else ""
    return f"{body}{of}对反映你的问题进行了核查，我委根据核查结论主动为你澄清正名{number}。"


def build(case: Case, dk: bytes, kind: DocumentKind) -> Gongwen:
    """The draft of one kind for this case (the caller checked the kind may be issued now)."""
    body = db.session.get(Body, case.body_id)
    assert body is not None
    fields = case_files.read_submission(case, dk)
    steps = timeline.read(case, dk, {})
    today = case_state.today()
    filed_on = case_state.local_day(case.created_at)
    case_kind = Kind(case.kind)
    opening = f"你于{written_date(filed_on)}{_FILED[case_kind]}"
    number = f"（受理编号：{case.number}）" if case.number else ""
    addressee = _addressee(case, fields)
    paragraphs: list[str]
    title = RULES[kind].title
    match kind:
        case DocumentKind.ACCEPTANCE:
            accepted_on = _day_of(steps, Action.ACCEPT, today)
            title = (
                "关于受理"
                + {"concern": "反映问题", "clarification": "澄清正名申请"}.get(case.kind, "容错纠错申请")
                + "的告知书"
            )
            paragraphs = [
                f"{opening}，我委已于{written_date(accepted_on)}依规受理{number}。",
                "我们将依规依纪依法办理，并按规定告知办理结果。你可凭查询码在本平台查询办理进展。",
                "特此告知。",
            ]
        case DocumentKind.REFUSAL:
            reason = _last_reason(steps, Action.REFUSE)
            refused = "不予澄清" if case_kind is Kind.CLARIFICATION else "不予受理"  # GLOSSARY: 不予澄清（附理由）
            paragraphs = [
                f"{opening}，经审查，决定{refused}。",
                f"理由：{reason}" if reason else "理由：不属于本机关受理范围。",
                "特此告知。",
            ]
        case DocumentKind.REPLY:
            if case_kind is Kind.CONCERN:
                answer = _last_reason(steps, Action.ANSWER)
                paragraphs = [f"{opening}{number}，我委已依规办理。现答复如下：", answer or "（答复意见）"]
                days = case_state.deadlines().objection_days
                paragraphs.append(f"如对本答复意见有异议，可在收到本答复意见书之日起{days}日内提出一次异议。")
            else:
                finding = Finding(case.finding) if case.finding else None
                reason = _last_reason(steps, Action.APPROVE_FINDING)
                paragraphs = [
                    f"{opening}{number}，我委已依规核查。",
                    _FINDING.get(finding, "经核查，反映问题不属失实。") if finding else "经核查，反映问题不属失实。",
                    reason or "（核查情况）",
                    "根据有关规定，不予澄清。特此答复。",
                ]
        case DocumentKind.CLARIFICATION:
            items = false_items.read(case, dk)
            allegation = (fields.get("allegation") or "").strip()
            about = f"（{allegation}）" if allegation else ""
            paragraphs = [f"{opening}{number}，我委已依规核查。"]
            if case.origin == Origin.OWN_MOTION:  # the cadre applied for nothing: the verification came first
                paragraphs = [_own_motion_opening(fields, number)]
            if Finding.PARTLY_FALSE in (case.finding, case.proposed_finding) and items:
                paragraphs.append(
                    f"经核查，反映你的问题{about}部分失实，以下事项经核查失实：" + "；".join(items) + "。"
                )
            else:
                paragraphs.append(f"经核查，反映你的问题{about}失实。")
            paragraphs += [
                "根据《中国共产党纪律检查机关监督执纪工作规则》等有关规定，对上述失实问题予以澄清正名。",
                "特此告知。",
            ]
        case DocumentKind.TOLERANCE:
            decision = tolerance_store.read(case, dk)
            outcome = _TOLERANCE[decision.outcome] if decision else "作出认定"
            paragraphs = [
                f"{opening}{number}，我委已依规核实，并经集体研究。",
                f"经研究，根据“三个区分开来”的要求和容错纠错有关规定，决定对你{outcome}。",
            ]
            if decision and decision.reasons.strip():
                paragraphs.append(f"理由：{decision.reasons.strip()}")
            paragraphs.append("特此认定。")
        case DocumentKind.REFERRAL:
            name, receiver = _referral(case, dk)
            addressee = name or receiver or "有关单位"
            paragraphs = [
                f"我委在办理{case.number or ''}澄清正名申请过程中，经核查，有关检举控告反映的问题失实，"
                "检举控告人涉嫌诬告陷害。",
                "根据《中国共产党纪律检查机关监督执纪工作规则》第三十九条等有关规定，现将有关问题线索移送你单位，"
                "请依规依纪依法处理，并将处理结果及时反馈我委。",
            ]
        case _:
            raise ValueError(f"{kind} is not drafted from a case")
    return Gongwen(
        issuer=body.name,
        number=pending_number(body, kind),
        title=title,
        paragraphs=tuple(paragraphs),
        signatory=body.name,
        date=today,
        addressee=addressee,
    )


# -- the public notice (澄清正名公告) as a 公文 (issue 11, h11d1) --
_BLOCK = re.compile(r"</?(?:p|br|li|ul|ol)\s*/?>", re.IGNORECASE)


def from_notice(notice: PublicNotice) -> Gongwen:
    """The published notice as the 公文 its PDF and .docx print: the public page's words, nothing more."""
    who = f"{notice.unit or ''}{notice.post or ''}{notice.person or ''}".strip() or "有关干部"
    if notice.clarified:
        about = f"{who}同志的问题，其中以下事项经核查失实：" + "；".join(notice.clarified) + "。"
    else:
        about = f"{who}同志{notice.allegation or ''}的问题，经核查，反映问题失实。"
    body = [plain_text(part) for part in _BLOCK.split(notice.body_html or "")]
    return Gongwen(
        issuer=notice.issuer,
        number=notice.number,
        title=notice.title,
        paragraphs=(
            f"有关反映{about}",
            *(p for p in body if p),
            "为保护干部干事创业的积极性，现予以澄清正名。",
            "特此公告。",
        ),
        signatory=notice.issuer,
        date=notice.issued_on,
    )
