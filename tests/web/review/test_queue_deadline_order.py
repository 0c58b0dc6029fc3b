"""The deadline order through the list, however many cases the desk holds.

An intake officer's desk holds every case of the body; the list by deadline pages through them
soonest first, the overdue one first of all, those without a deadline last, by the "next" link
(a keyset cursor), with the filters kept. A desk holding many cases has its page read along the
deadline index, one holding few has its holder rows sorted (queues.FEW_HELD): the list is the
same either way.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portal.extensions import db
from portal.models import Case
from portal.services import case_state, queues


def _ids_in_order(html: str) -> list[str]:
    return re.findall(r'<td class="id"><a href="/review/cases/[0-9a-f]+">([0-9a-f]{8})</a>', html)


def _walk(member, url: str) -> list[str]:
    seen: list[str] = []
    while url:
        html = member.get(url).get_data(as_text=True)
        seen += _ids_in_order(html)
        more = re.search(r'href="(/review\?[^"]*after=[^"]*)">', html)
        url = more.group(1).replace("&amp;", "&") if more else ""
        if url:
            assert "sort=deadline" in url
    return seen


@pytest.mark.parametrize("few_held", [10_000, 0], ids=["few held: rows sorted", "many held: index walked"])
def test_the_desk_pages_by_deadline_soonest_first_none_last(app, cadre, intake, monkeypatch, few_held):
    monkeypatch.setattr(queues, "FEW_HELD", few_held)
    app.config["QUEUE_PAGE_SIZE"] = 2
    for i in range(6):
        cadre.file_concern(subject=f"s{i}")
    cadre.file_clarification()
    with app.app_context():
        today = case_state.today()
        ids = list(db.session.scalars(db.select(Case.id).where(Case.kind == "concern").order_by(Case.id)))
        dues = [today + dt.timedelta(days=30), None, today - dt.timedelta(days=3), today + dt.timedelta(days=10)]
        dues += [None, today + dt.timedelta(days=10)]
        for case_id, due in zip(ids, dues, strict=True):
            case = db.session.get(Case, case_id)
            case.accept_due = case.due_on = due
        db.session.commit()
        every_case = [(case.due_on, case.id) for case in db.session.scalars(db.select(Case))]
    order = sorted(zip(dues, ids, strict=True), key=lambda pair: (pair[0] is None, pair[0] or today, pair[1]))
    assert order[0][0] < today and order[-1][0] is None  # the overdue one first, no deadline last
    expected = [case_id[:8] for _, case_id in order]
    assert _walk(intake, "/review?queue=all&kind=concern&sort=deadline") == expected
    assert _walk(intake, "/review?queue=new&kind=concern&sort=deadline") == expected  # all still submitted
    every_order = sorted(every_case, key=lambda pair: (pair[0] is None, pair[0] or today, pair[1]))
    assert _walk(intake, "/review?queue=all&sort=deadline") == [case_id[:8] for _, case_id in every_order]
