"""Staff pages speak the words of 纪检监察 documents: the applicant of a clarification is never 反映人."""

from __future__ import annotations

import html
import re

from tests.conftest import only_case_id

#: 反映人 is whoever raised a concern; 被反映人 (the accused) is a different word.
SUBMITTER_WORD = re.compile(r"(?<!被)反映人")


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_a_clarification_case_page_names_its_cadre_the_applicant_never_the_submitter(intake, app, cadre, staff):
    reviewer = staff("li.rev", "reviewer")
    receipt = cadre.receipt_of(cadre.file_clarification(harms=["promotion", "reputation"]))
    case_id = only_case_id(app)
    page = f"/review/cases/{case_id}"
    assert intake.accept(case_id, reviewer).status_code == 303
    assert "已受理并分办。" in text_of(intake.get(page))  # not 已完成：受理。
    reviewer.act(case_id, "verify")
    reviewer.act(case_id, "ask", reason="请提供三月份的会议记录。")
    cadre.follow_up(receipt)
    cadre.reply("会议记录见附件说明。")
    reviewer.post(f"{page}/messages", {"body": "已收到，谢谢。"}, form_page=page)

    shown = text_of(reviewer.get(page))
    assert not SUBMITTER_WORD.search(shown), SUBMITTER_WORD.search(shown)
    for words in (
        "申请人已回复",
        "与申请人往来留言",
        "给申请人的留言",
        "内部备注（不向申请人显示）",
        "发送给申请人",
        "对申请人造成的影响",
        "申请人要求的澄清方式",
        "提拔任用受阻、名誉受损",
    ):
        assert words in shown, words

    reviewer.act(case_id, "propose_finding", finding="found_false", reason="经查，反映问题失实。")
    shown = text_of(reviewer.get(page))
    assert not SUBMITTER_WORD.search(shown)
    assert "已提出核查结论建议" in shown and "核查认定意见" not in shown


def test_a_concern_case_page_keeps_the_submitter(intake, app, cadre, staff):
    reviewer = staff("li.rev", "reviewer")
    cadre.file_concern()
    case_id = only_case_id(app)
    intake.accept(case_id, reviewer)
    reviewer.act(case_id, "start")
    shown = text_of(reviewer.get(f"/review/cases/{case_id}"))
    assert "向反映人提问" in shown and "与反映人往来留言" in shown and "申请人" not in shown
    assert "作出答复" in shown and "答复办结" not in shown


def test_the_clarification_wording_reads_right_in_english_too(app, cadre, staff):
    reviewer = staff("xin.fang", "intake")  # new cases are sealed to intake
    reviewer.client.set_cookie("zm_lang", "en")
    cadre.file_clarification()
    case_id = only_case_id(app)
    shown = text_of(reviewer.get(f"/review/cases/{case_id}"))
    assert "Decline to clarify (with reasons)" in shown and "Messages with the applicant" in shown
    assert "submitter" not in shown.lower()
    assert "How it harmed the applicant" in shown and "How it harmed you" not in shown


def test_dates_in_running_chinese_text_read_year_month_day(app, cadre, staff):
    reviewer = staff("xin.fang", "intake")  # new cases are sealed to intake
    cadre.file_concern()
    case_id = only_case_id(app)
    shown = text_of(reviewer.get(f"/review/cases/{case_id}"))
    assert re.search(r"办理期限 <span[^>]*>\d{4}年\d{1,2}月\d{1,2}日", shown), shown[:3000]
