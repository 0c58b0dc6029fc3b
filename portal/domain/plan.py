"""The clarification plan (澄清方案) and its notice draft: what the cadre consents to.

Pure data and rules; the service encrypts it under the case key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum

from portal.domain.cases import ClarificationMode, Filing, VisitForm
from portal.domain.notice_text import clean_html

#: Two-character surnames, so 欧阳修 becomes 欧阳某 rather than 欧某.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 西门 南宫 独孤 万俟 闻人".split()
)


class Naming(StrEnum):
    """How the cleared cadre is named in a public notice (their choice)."""

    FULL = "full"
    SURNAME = "surname"  # 王某
    NONE = "none"


class PlanError(ValueError):
    """The plan is incomplete; `field` names what is missing."""

    def __init__(self, field_name: str) -> None:
        super().__init__(field_name)
        self.field = field_name


class FutureDay(PlanError):
    """A filing or 回访 dated after today: it is recorded once it happened."""


def displayed_name(real_name: str, naming: Naming) -> str:
    """The name exactly as the notice will print it."""
    name = (real_name or "").strip()
    if naming is Naming.FULL:
        return name
    if naming is Naming.SURNAME and name:
        surname = name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]
        return surname + "某"
    return ""


@dataclass(frozen=True)
class NoticeDraft:
    """The public notice as drafted; published verbatim once consented and approved."""

    number: str
    title: str
    naming: Naming
    person: str  # derived from the real name and `naming`, stored so the cadre sees it exactly
    unit: str
    post: str
    allegation: str
    body_html: str  # how it was verified and the finding; cleaned HTML
    issuer: str
    issued_on: dt.date
    # 部分失实 (issue 10): the items found untrue, the only ones the notice clarifies (from the finding)
    clarified_items: tuple[str, ...] = ()


@dataclass(frozen=True)
class FilingRecord:
    """One filing as recorded (issue 10)."""

    filing: Filing
    on: dt.date
    number: str


@dataclass(frozen=True)
class VisitRecord:
    """The 回访 as recorded (issue 10); the summary is for staff."""

    form: VisitForm
    on: dt.date
    summary: str


@dataclass(frozen=True)
class Plan:
    """Modes (written always), scope, the notice draft if a public notice is one, and what is done."""

    modes: tuple[ClarificationMode, ...]
    scope: str
    notice: NoticeDraft | None = None
    done: dict[str, str] = field(default_factory=dict)  # mode -> record (meeting date, letter sent...)
    # -- 回访 and filing (issue 10) --
    filed: dict[str, dict[str, str]] = field(default_factory=dict)  # Filing -> {"on": iso date, "number": 文号}
    visit: dict[str, str] | None = None  # the 回访: {"on": iso date, "form": VisitForm, "summary": text}

    @property
    def all_done(self) -> bool:
        """Every mode carried out and every filing recorded: what carrying out waits for."""
        return all(m.value in self.done for m in self.modes) and all(f.value in self.filed for f in Filing)

    @property
    def filing_records(self) -> tuple[FilingRecord, ...]:
        """The filings recorded, in the order of ``Filing``."""
        return tuple(
            FilingRecord(f, dt.date.fromisoformat(self.filed[f.value]["on"]), self.filed[f.value]["number"])
            for f in Filing
            if f.value in self.filed
        )

    @property
    def visit_record(self) -> VisitRecord | None:
        """The 回访, once recorded."""
        if not self.visit:
            return None
        return VisitRecord(
            VisitForm(self.visit["form"]), dt.date.fromisoformat(self.visit["on"]), self.visit["summary"]
        )

    def with_filing(self, filing: Filing, on: dt.date | None, number: str, today: dt.date) -> Plan:
        """Record where the material went (归入廉政档案, 抄送组织人事部门): the day and the document number."""
        if not isinstance(on, dt.date):
            raise PlanError("filed_on")
        if on > today:
            raise FutureDay("filed_on")
        if not (number or "").strip():
            raise PlanError("number")
        return replace(self, filed={**self.filed, filing.value: {"on": on.isoformat(), "number": number.strip()}})

    def with_visit(self, form: VisitForm, on: dt.date | None, summary: str, today: dt.date) -> Plan:
        """Record the 回访: when it took place (not in the future), how, and what was said."""
        if not isinstance(on, dt.date):
            raise PlanError("visited_on")
        if on > today:
            raise FutureDay("visited_on")
        if not (summary or "").strip():
            raise PlanError("summary")
        return replace(self, visit={"on": on.isoformat(), "form": form.value, "summary": summary.strip()})

    def with_done(self, mode: ClarificationMode, record: str) -> Plan:
        if mode not in self.modes:
            raise PlanError("mode")
        return replace(self, done={**self.done, mode.value: record})

    def to_json(self) -> dict:
        data = asdict(self)
        data["modes"] = [m.value for m in self.modes]
        if self.notice:
            data["notice"]["naming"] = self.notice.naming.value
            data["notice"]["issued_on"] = self.notice.issued_on.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict) -> Plan:
        notice = data.get("notice")
        return cls(
            # "forms" is how plans stored before the rename name their modes.
            modes=tuple(ClarificationMode(m) for m in data.get("modes", data.get("forms", []))),
            scope=data["scope"],
            notice=NoticeDraft(
                **{
                    **notice,
                    "naming": Naming(notice["naming"]),
                    "issued_on": dt.date.fromisoformat(notice["issued_on"]),
                    "clarified_items": tuple(notice.get("clarified_items", ())),
                }
            )
            if notice
            else None,
            done=dict(data.get("done", {})),
            filed={k: dict(v) for k, v in data.get("filed", {}).items()},
            visit=dict(data["visit"]) if data.get("visit") else None,
        )


def make_plan(
    modes: list[str], scope: str, real_name: str, notice: dict | None, false_items: tuple[str, ...] = ()
) -> Plan:
    """Build and check a plan from form input; PlanError names the first missing piece.

    For a partly-untrue finding (``false_items``) the notice clarifies those items and nothing else:
    they replace the free-text allegation, which could name others."""
    chosen = {ClarificationMode(m) for m in modes if m in set(ClarificationMode)}
    chosen.add(ClarificationMode.WRITTEN)
    ordered = tuple(m for m in ClarificationMode if m in chosen)
    if not (scope or "").strip():
        raise PlanError("scope")
    draft = None
    if ClarificationMode.PUBLIC_NOTICE in chosen:
        notice = notice or {}
        required = ("number", "title", "unit", "post", "body", "issuer") + (() if false_items else ("allegation",))
        for name in required:
            if not (notice.get(name) or "").strip():
                raise PlanError(name)
        if not isinstance(notice.get("issued_on"), dt.date):
            raise PlanError("issued_on")
        named = notice.get("naming")
        naming = Naming(named) if isinstance(named, str) and named in set(Naming) else None
        if naming is None:
            raise PlanError("naming")
        body = clean_html(notice["body"])
        if not body:
            raise PlanError("body")
        draft = NoticeDraft(
            number=notice["number"].strip(),
            title=notice["title"].strip(),
            naming=naming,
            person=displayed_name(real_name, naming),
            unit=notice["unit"].strip(),
            post=notice["post"].strip(),
            allegation="" if false_items else notice["allegation"].strip(),
            body_html=body,
            issuer=notice["issuer"].strip(),
            issued_on=notice["issued_on"],
            clarified_items=tuple(false_items),
        )
    return Plan(modes=ordered, scope=scope.strip(), notice=draft)
