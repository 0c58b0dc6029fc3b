"""h11s1/h11r: the statistics page, its charts and exports, through HTTP (a monthly release)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from portal.extensions import db
from portal.models import AuditEntry, Notice
from portal.services import bodies, case_state, statistics
from tests.factories import gen_case, gen_worker
from tests.services.test_statistics import next_month, release_after_today


@pytest.fixture
def filled(app, monkeypatch):
    """Seven concerns answered and one clarification found untrue, in the default body; "today"
    then moves to the first of next month, so this month's release holds them."""
    with app.app_context():
        w = {
            "reviewer": gen_worker("sw.rev", "reviewer"),
            "supervisor": gen_worker("sw.sup", "supervisor"),
            "intake": gen_worker("sw.int", "intake"),
        }
        for _ in range(7):
            gen_case("concern", "answered", **w)
        gen_case("clarification", "found_false", **w)
        global TODAY
        TODAY = case_state.today()
        return release_after_today(monkeypatch)


TODAY = None


def test_a_leader_sees_the_tables_with_small_counts_suppressed(app, staff, filled):
    leader = staff("lead.one", "leader")
    leader.client.set_cookie("zm_lang", "en")
    page = leader.get(f"/review/statistics?year={filled}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Cases by kind and measure (cases)" in html and "<caption>" in html
    assert "&lt;5" in html  # the one clarification
    assert "—" in html  # and its complement
    assert 'src="/review/statistics/trend.svg?' in html and 'src="/review/statistics/categories.svg?' in html
    assert "/review/cases/" not in html  # no count leads to cases
    assert "<script" not in html
    quarter = leader.get(f"/review/statistics?year={filled}&quarter={(TODAY.month - 1) // 3 + 1}")
    assert quarter.status_code == 200


def test_the_page_speaks_chinese_by_default(app, staff, filled):
    leader = staff("lead.zh", "leader")
    html = leader.get(f"/review/statistics?year={filled}").get_data(as_text=True)
    assert "本机关" in html or "统计" in html
    through = statistics.release_through(filled)
    assert f"数据截至{through.year}年{through.month}月{through.day}日" in html


@pytest.mark.parametrize("role", ["intake", "reviewer", "admin"])
def test_other_roles_are_refused(app, staff, role):
    member = staff(f"no.{role}", role)
    for path in (
        "/review/statistics",
        "/review/statistics/trend.svg",
        "/review/statistics.csv",
        "/review/statistics.xlsx",
    ):
        assert member.get(path).status_code == 403, (role, path)


def test_bad_parameters_are_a_clear_400_and_another_body_a_403(app, staff, filled):
    supervisor = staff("sup.bad", "supervisor")
    supervisor.client.set_cookie("zm_lang", "en")
    for query in ("year=abc", "year=1999", "year=99999", "quarter=5", "quarter=0", "body=x"):
        response = supervisor.get(f"/review/statistics?{query}")
        assert response.status_code == 400, query
        assert "Choose a year" in response.get_data(as_text=True)
    with app.app_context():
        other = bodies.create("邻县纪委监委", "邻纪", "commission", "county")
        db.session.commit()
        other_id = other
    refused = supervisor.get(f"/review/statistics?body={other_id}")
    assert refused.status_code == 403 and "your own body" in refused.get_data(as_text=True)
    assert supervisor.get(f"/review/statistics/trend.svg?body={other_id}").status_code == 403
    assert supervisor.get("/review/statistics/pie.svg").status_code == 404


def test_a_body_below_may_be_chosen_and_its_rows_listed(app, staff, filled):
    with app.app_context():
        top = bodies.default_id()
        below = bodies.create("某镇纪委", "某镇纪委", "commission", "township", parent_id=top)
        db.session.commit()
        below_id = below
    leader = staff("lead.tree", "leader")
    leader.client.set_cookie("zm_lang", "en")
    html = leader.get(f"/review/statistics?year={filled}").get_data(as_text=True)
    assert "(本机关)" in html and "某镇纪委" in html
    assert leader.get(f"/review/statistics?year={filled}&body={below_id}").status_code == 200


@pytest.mark.parametrize("chart", ["trend", "categories"])
def test_charts_are_svg_without_script_or_external_reference(app, staff, filled, chart):
    leader = staff(f"lead.{chart}", "leader")
    response = leader.get(f"/review/statistics/{chart}.svg?year={filled}")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert "<script" not in svg.lower()
    refs = set(re.findall(r"https?://[^\"' )<>]+", svg))
    assert refs <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, refs
    assert "Noto Sans CJK SC" in svg
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_the_charts_draw_exactly_the_shown_counts(app, staff, filled):
    """A withheld count is left out of the chart, never drawn at its true value."""
    leader = staff("lead.points", "leader")
    with app.app_context():
        v = statistics.view(bodies.default_id(), filled, None, None)
    expected = {
        "trend": sorted(s.value for _m, row in v.months for s in row.values() if s.value is not None),
        "categories": sorted(s.value for _c, row in v.categories for s in row.values() if s.value is not None),
    }
    hidden = [s for _c, row in v.categories for s in row.values() if s.value is None]
    assert hidden  # the fixture's small counts are withheld somewhere
    for chart, values in expected.items():
        svg = leader.get(f"/review/statistics/{chart}.svg?year={filled}").get_data(as_text=True)
        drawn = sorted(int(x) for x in re.findall(r'<desc class="value">([^<]*)</desc>', svg))
        assert drawn == values, chart


def test_csv_export_has_bom_heading_and_the_same_suppression(app, staff, filled):
    leader = staff("lead.csv", "leader")
    leader.client.set_cookie("zm_lang", "en")
    response = leader.get(f"/review/statistics.csv?year={filled}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment")
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    flat = [c for r in rows for c in r]
    through = statistics.release_through(filled)
    assert "Period" in flat and f"Figures up to {through:%B} {through.day}, {through.year}" in flat
    assert any(c.startswith("released ") for c in flat)
    assert "<5" in flat and "—" in flat
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "statistics_export")).all()
        assert [e.detail for e in entries] == [f"csv:body={bodies.default_id()}:{filled}"]


def test_xlsx_export_has_the_tables_and_no_formula(app, staff, filled):
    leader = staff("lead.xlsx", "leader")
    response = leader.get(f"/review/statistics.xlsx?year={filled}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()))
    assert len(book.sheetnames) == 7
    values = [c for ws in book for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "<5" in values
    assert f"数据截至{statistics.release_through(filled).year}年" in "".join(str(v) for v in values)
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count()).select_from(AuditEntry).where(AuditEntry.action == "statistics_export")
            )
            == 1
        )


def test_formula_injection_is_defused():
    from portal.web.review.statistics import safe_cell

    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("+1") == "'+1" and safe_cell("-1") == "'-1" and safe_cell("@x") == "'@x"
    assert safe_cell("某县") == "某县" and safe_cell(5) == 5


def test_the_public_figures_page_with_the_same_suppression(app, client, monkeypatch):
    import datetime as dt

    from portal.domain.plan import Naming, NoticeDraft
    from portal.services import notices

    client.set_cookie("zm_lang", "en")
    empty = client.get("/notices/figures")
    assert empty.status_code == 200 and "Nothing has been published yet." in empty.get_data(as_text=True)
    with app.app_context():
        for n in range(2):
            notices.publish(
                NoticeDraft(
                    number=f"No. {n}", title="A notice", naming=Naming.NONE, person="", unit="Unit", post="Post",
                    allegation="Allegation", body_html="<p>Body</p>", issuer="Issuer", issued_on=dt.date(2026, 11, 30),
                ),
                case_id=None,
            )  # fmt: skip
        db.session.commit()
        year = case_state.local_day(db.session.scalar(db.select(db.func.max(Notice.published_at)))).year
        release_after_today(monkeypatch)
        through = statistics.release_through(year)
    html = client.get("/notices/figures").get_data(as_text=True)
    assert f'<th scope="row">{year}</th><td>&lt;5</td><td>0</td><td>{through.isoformat()}</td>' in html
    assert 'href="/notices/figures"' in client.get("/notices").get_data(as_text=True)


def test_the_pages_have_unique_ids_and_no_inline_style_or_script(app, staff, client, filled):
    from tests.html_checks import assert_unique_ids

    leader = staff("lead.ids", "leader")
    for member, path in ((leader, f"/review/statistics?year={filled}"), (client, "/notices/figures")):
        response = member.get(path)
        assert response.status_code == 200
        assert_unique_ids(response, path)
        html = response.get_data(as_text=True)
        assert " style=" not in html and "<script" not in html and "<style" not in html


def test_the_export_entry_reads_as_words_in_the_audit_log():
    from portal.web.labels import AUDIT_ACTIONS

    assert statistics.EXPORT_ACTION in AUDIT_ACTIONS


def test_in_january_the_page_says_there_is_no_release_and_offers_last_year(app, staff, monkeypatch):
    monkeypatch.setattr(case_state, "today", lambda: dt.date(2027, 1, 12))
    statistics.clear_memo()
    leader = staff("lead.jan", "leader")
    leader.client.set_cookie("zm_lang", "en")
    page = leader.get("/review/statistics")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "released once its first month is complete" in html
    assert 'href="/review/statistics?year=2026"' in html
    assert leader.get("/review/statistics?year=2026").status_code == 200
    assert leader.get("/review/statistics.csv?year=2027").status_code == 404


def test_a_later_case_does_not_move_the_page_until_the_next_release(app, staff, filled):
    leader = staff("lead.later", "leader")
    before = leader.get(f"/review/statistics?year={filled}").get_data(as_text=True)
    with app.app_context():
        gen_case("concern", "answered")
        statistics.clear_memo()  # as another worker would: it reads the stored release
    after = leader.get(f"/review/statistics?year={filled}").get_data(as_text=True)
    strip = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
    assert strip.sub("", before) == strip.sub("", after)
    assert next_month(TODAY) > TODAY
