"""Opening a clarification on the body's own motion, as staff do it through the page (issue 10)."""

from __future__ import annotations

import re

from tests.conftest import Staff

PAGE = "/review/clarifications/new"

#: The items the finding names as untrue; only these may be clarified.
FALSE_ITEMS = ("收受项目礼金一事经核查失实", "违规安排亲属工作一事经核查失实")
#: An item of the same accusation that was NOT found untrue: it must never reach the cadre or the public.
OTHER_ITEM = "公车私用一事另案处理"

OPENING = {
    "origin_number": "X纪核〔2026〕88号",
    "origin_body": "X县纪委监委第三审查调查室",
    "origin_concluded_on": "2026-11-20",
    "finding": "partly_false",
    "false_items": "\n".join(FALSE_ITEMS),
    "grounds": f"核查组调取项目账目、询问证人六人；{OTHER_ITEM}。",
    "real_name": "李某某",
    "unit_name": "某县某乡人民政府",
    "post": "乡长",
    "rank": "section",
}

RECEIPT = re.compile(r'<p class="receipt">(\d{4} \d{4} \d{4} \d{4})</p>')


def open_own_motion(opener: Staff, approver: Staff, **changes):
    """Post the opening form; the answer is the 澄清告知书 (or the form again, refused)."""
    return opener.post(PAGE, {**OPENING, "approver": str(approver.user_id), **changes})


def receipt_on(response) -> str:
    match = RECEIPT.search(response.get_data(as_text=True))
    assert match, "no receipt on the page"
    return match.group(1)
