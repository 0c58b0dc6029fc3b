"""A 公文 as GB/T 9704 lays it out, independent of any output format.

Every official document the portal issues (受理告知书, 答复意见书, 移送函, the public
notice...) is first built as a ``Gongwen`` from the case data the staff confirmed; the
HTML, PDF and .docx files are three renderings of the same value, so they never disagree.

The parts, top to bottom (GB/T 9704-2012, 7.2 to 7.4):

- 版头 (head): the issuing body's mark (``issuer``) and the 发文字号 (``number``) under it;
- 主体 (body): the centred ``title``, the 主送 line (``addressee``), the text
  (``paragraphs``), an optional 附件说明 (``attachments``), then the 落款 (``signatory``,
  the body's name, over a blank seal area) and the 成文日期 (``date``, written out in full);
- 版记 (record): an optional 附注 (``notes``), such as "本告知书附查询码，请妥善保管".

A voided document (作废) keeps all of this and carries ``voided``: the line its files print under
the ``VOID_MARK`` between the 版头 and the title, with the day and the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


class GongwenError(ValueError):
    """A document value missing a part GB/T 9704 requires."""


@dataclass(frozen=True)
class Gongwen:
    """One official document, ready to render."""

    #: 发文机关标志: the issuing body's full name, e.g. 中共青山区纪律检查委员会.
    issuer: str
    #: 发文字号, e.g. 青纪信〔2026〕12号.
    number: str
    #: 标题, e.g. 关于受理反映事项的告知书.
    title: str
    #: 正文: one string per paragraph, plain text (never markup).
    paragraphs: tuple[str, ...]
    #: 落款: the issuing body's name over the seal area.
    signatory: str
    #: 成文日期.
    date: dt.date
    #: 主送: whom it is addressed to, e.g. 张三同志 (the colon is added by the renderer); None if none.
    addressee: str | None = None
    #: 附件说明: one line per attachment.
    attachments: tuple[str, ...] = field(default_factory=tuple)
    #: 附注 in the 版记.
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: 作废说明 (day and reason) when the issuing office voided it; None while it stands. Never stored
    #: with the content: it is added from the document's own void record each time it is read.
    voided: str | None = None

    def __post_init__(self) -> None:
        for name in ("issuer", "number", "title", "signatory"):
            if not getattr(self, name).strip():
                raise GongwenError(f"a 公文 needs its {name}")
        if not any(p.strip() for p in self.paragraphs):
            raise GongwenError("a 公文 needs its text")


#: The mark a voided document's files carry above the 作废说明.
VOID_MARK = "（已作废）"


def written_date(day: dt.date) -> str:
    """成文日期 as GB/T 9704 writes it: Arabic numerals, year, month and day in full (2026年12月1日)."""
    return f"{day.year}年{day.month}月{day.day}日"


def void_line(day: dt.date, reason: str) -> str:
    """The 作废说明 a voided document's files print: 本文件已于2026年12月2日作废。作废原因：…"""
    return f"本文件已于{written_date(day)}作废。作废原因：{reason}"
