"""The queue as a work list: the tab with work opens first, deadlines sort and stand out, names show."""

from __future__ import annotations

import datetime as dt
import re

from portal.domain.working_days import add_working_days
from portal.extensions import db
from portal.models import Case
from portal.services import case_state


def _ids_in_order(html: str) -> list[str]:
    return re.findall(r'<td class="id"><a href="/review/cases/[0-9a-f]+">([0-9a-f]{8})</a>', html)


def _set_due(app, case_id: str, due: dt.date | None) -> None:
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.accept_due = case.due_on = due
        db.session.commit()


def _today(app) -> dt.date:
    with app.app_context():
        return case_state.today()


def _current(html: str) -> str:
    return re.search(r'<a href="[^"]*" aria-current="page">([^<]+)<', html).group(1).strip()


def test_the_desk_opens_on_the_tab_that_has_work(intake, app, cadre, staff):
    reviewer = staff("zhao.rev", "reviewer")
    for member in (intake, reviewer):
        member.client.set_cookie("zm_lang", "en")
    assert _current(intake.get("/review").get_data(as_text=True)) == "Assigned to me"  # nothing anywhere
    cadre.file_concern()
    html = intake.get("/review").get_data(as_text=True)
    assert _current(html) == "New" and "(1)" in html  # not an empty "Assigned to me"
    assert _current(reviewer.get("/review").get_data(as_text=True)) == "Assigned to me"  # not sealed to them
    with app.app_context():
        case_id = db.session.scalar(db.select(Case.id))
    assert intake.accept(case_id, reviewer).status_code == 303
    assert _current(reviewer.get("/review").get_data(as_text=True)) == "Assigned to me"
    assert "(1)" in reviewer.get("/review").get_data(as_text=True)
    # Asking for a tab still shows that tab, empty or not.
    assert _current(reviewer.get("/review?queue=new").get_data(as_text=True)) == "New"


def test_deadline_order_pages_by_keyset_and_keeps_the_filters(app, cadre, staff):
    reviewer = staff("xin.fang", "intake")  # new cases are sealed to intake
    app.config["QUEUE_PAGE_SIZE"] = 2
    for i in range(4):
        cadre.file_concern(subject=f"s{i}")
    cadre.file_clarification()
    today = _today(app)
    with app.app_context():
        ids = list(db.session.scalars(db.select(Case.id).where(Case.kind == "concern").order_by(Case.created_at)))
    dues = [today + dt.timedelta(days=30), None, today - dt.timedelta(days=3), today + dt.timedelta(days=10)]
    for case_id, due in zip(ids, dues, strict=True):
        _set_due(app, case_id, due)
    expected = [ids[2][:8], ids[3][:8], ids[0][:8], ids[1][:8]]  # soonest first, no deadline last

    seen: list[str] = []
    url = "/review?queue=all&kind=concern&sort=deadline"
    while url:
        html = reviewer.get(url).get_data(as_text=True)
        assert 'aria-sort="ascending"' in html
        assert 'name="sort"' in html and '<option value="deadline" selected>' in html
        assert '<option value="concern" selected>' in html  # the filter kept its value
        seen += _ids_in_order(html)
        more = re.search(r'href="(/review\?[^"]*after=[^"]*)">', html)
        url = more.group(1).replace("&amp;", "&") if more else ""
        if url:
            assert "sort=deadline" in url and "kind=concern" in url
    assert seen == expected


def test_a_bad_cursor_starts_at_the_top(app, cadre, staff):
    reviewer = staff("xin.fang", "intake")  # new cases are sealed to intake
    cadre.file_concern()
    for cursor in ("zzzz", "ZHwyMDIwLTAxLTAyfCQk", "not-base64!"):
        response = reviewer.get(f"/review?queue=all&sort=deadline&after={cursor}")
        assert response.status_code == 200 and len(_ids_in_order(response.get_data(as_text=True))) == 1


def test_overdue_is_red_and_due_soon_is_amber_in_words_too(app, cadre, staff):
    reviewer = staff("xin.fang", "intake")  # new cases are sealed to intake
    reviewer.client.set_cookie("zm_lang", "en")
    for i in range(3):
        cadre.file_concern(subject=f"s{i}")
    today = _today(app)
    with app.app_context():
        ids = list(db.session.scalars(db.select(Case.id).order_by(Case.created_at)))
    _set_due(app, ids[0], today - dt.timedelta(days=2))
    _set_due(app, ids[1], add_working_days(today, 1))
    _set_due(app, ids[2], today + dt.timedelta(days=40))
    html = reviewer.get("/review?queue=all&sort=deadline").get_data(as_text=True)
    rows = html.split("<tbody>")[1].split("</tr>")
    assert 'class="overdue-row"' in rows[0] and "overdue by 2 days" in rows[0]
    assert 'class="soon-row"' in rows[1] and "to accept or refuse" in rows[1]
    assert "-row" not in rows[2] and "40 days left" in rows[2]


def test_the_list_names_the_assignee_and_the_state_in_words(intake, app, cadre, staff):
    reviewer = staff("zhao.rev", "reviewer")
    reviewer.client.set_cookie("zm_lang", "zh_CN")
    cadre.file_concern()
    with app.app_context():
        case_id = db.session.scalar(db.select(Case.id))
    assert intake.accept(case_id, reviewer).status_code == 303
    html = reviewer.get("/review?queue=all").get_data(as_text=True)
    row = html.split("<tbody>")[1].split("</tr>")[0]
    assert "zhao.rev" in row and "已受理" in row and "受理期限" not in row  # an accepted case runs the answer clock
    assert "答复期限" in row
