"""The case page: actions grouped, each saying what it does and who sees it; file and work apart."""

from __future__ import annotations

import re

from tests.conftest import only_case_id


def _sections(html: str) -> dict[str, str]:
    return dict(re.findall(r'<section class="actions" aria-labelledby="group-(\w+)">(.*?)</section>', html, re.S))


def test_actions_come_in_groups_with_one_line_each(app, cadre, staff):
    supervisor = staff("xin.fang", "intake")  # a new case: intake registers, accepts and assigns it
    supervisor.client.set_cookie("zm_lang", "en")
    cadre.file_concern()
    case_id = only_case_id(app)
    html = supervisor.get(f"/review/cases/{case_id}").get_data(as_text=True)
    groups = _sections(html)
    assert list(groups) == ["handling", "steps"]
    assert 'value="assign"' in groups["handling"] and 'value="accept"' in groups["steps"]
    # Every action button is described by its line: what it does, and who will see it.
    for action in re.findall(r'name="action" value="(\w+)"', html):
        hint = re.search(rf'<p class="hint" id="hint-{action}">([^<]+)</p>', html)
        assert hint, action
        assert f'aria-describedby="hint-{action}"' in html
    assert "The submitter sees this step on their status page." in groups["steps"]
    assert "Only staff see it; it is recorded in the audit log." in groups["handling"]


def test_a_clarification_speaks_of_the_applicant_in_chinese(intake, app, cadre, staff):
    reviewer = staff("wang.rev", "reviewer")
    reviewer.client.set_cookie("zm_lang", "zh_CN")
    cadre.file_clarification()
    case_id = only_case_id(app)
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "verify").status_code == 303
    html = reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    groups = _sections(html)
    assert "accusation" in groups and "登记该检举控告属于错告还是涉嫌诬告陷害。" in groups["accusation"]
    assert "申请人可在查询页看到此步骤。" in html and "反映人" not in groups["steps"]
    # The work (actions, thread) and the file (submission, timeline, notes) are two blocks of one grid.
    work, file = html.split('<div class="work">')[1].split('<div class="file">')
    assert "提交内容" in file and "办理记录" in file and "提交内容" not in work
