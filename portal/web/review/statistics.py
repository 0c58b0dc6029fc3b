"""h11s1: statistics for leadership — the page, its two charts and its two exports.

Leaders and supervisors only, for their own body or one below; every count is a projection of
the year's one suppression pattern (portal.services.statistics), never computed per view.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re

from flask import Response, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.domain.cases import Category
from portal.domain.staff import StaffRole
from portal.extensions import db
from portal.services import audit, case_state, statistics
from portal.web import labels
from portal.web.errors import error_page
from portal.web.review import bp
from portal.web.staff import roles_required

LEADERSHIP = (StaffRole.SUPERVISOR, StaffRole.LEADER)
#: The earliest year the page offers (the portal's first).
FIRST_YEAR = 2020

MEASURES = {
    "received": _l("Received"),
    "accepted": _l("Accepted (受理)"),
    "not_accepted": _l("Not accepted (不予受理)"),
    "concluded": _l("Concluded (办结)"),
    "overdue": _l("Deadlines missed"),
}
OTHERS = {
    "found_false": _l("Clarification requests found untrue (经核查失实)"),
    "partly_false": _l("Clarification requests found partly untrue (部分失实)"),
    "substantiated": _l("Clarification requests found substantiated (反映属实)"),
    "unverifiable": _l("Clarification requests that could not be verified (查无实据)"),
    "carried_out": _l("Clarifications carried out (已澄清)"),
    "published": _l("Clarification notices published"),
    "exempt": _l("Fault tolerance: exempt from liability (容错免责)"),
    "reduced": _l("Fault tolerance: reduced liability (减责)"),
    "refused": _l("Fault tolerance: not granted (不予容错)"),
    "referred": _l("Suspected malicious accusations referred (移送)"),
    "referral_handled": _l("Referrals handled (处理结果)"),
    "referral_not_pursued": _l("Referrals not pursued (不予追究)"),
    "bulletins": _l("Typical-case bulletins published (典型案例通报)"),
    "visited": _l("Follow-up visits done (回访)"),
    "visit_overdue": _l("Follow-up visits overdue"),
    "real_name": _l("Real-name concerns received (实名反映)"),
}
TIMES = {
    "to_accept": _l("Filing to acceptance (受理)"),
    "to_conclude": _l("Acceptance to conclusion (办结)"),
    "to_carry_out": _l("Finding approved to clarification carried out"),
}
CHARTS = ("trend", "categories")


class BadParameter(Exception):
    """A parameter the page cannot read."""


def _int(name: str, low: int, high: int) -> int | None:
    raw = request.args.get(name, "")
    if raw == "":
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6) or not low <= int(raw) <= high:
        raise BadParameter(name)
    return int(raw)


def _view() -> statistics.View:
    this_year = case_state.today().year
    year = _int("year", FIRST_YEAR, this_year) or this_year
    quarter = _int("quarter", 1, 4)
    body = _int("body", 1, 10**6)
    return statistics.view(current_user.user.body_id, year, quarter, body)


def _refused(exc: Exception):
    if isinstance(exc, statistics.NoRelease):
        return error_page(404, _("No figures for this year yet"), no_release_text(exc.args[0]))
    if isinstance(exc, statistics.OutOfScope):
        return error_page(
            403, _("Not your body"), _("Statistics can be shown for your own body and the bodies below it only.")
        )
    return error_page(
        400,
        _("Cannot show these statistics"),
        _("Choose a year from %(first)d to this year, a quarter from 1 to 4, and a body from the list.")
        % {"first": FIRST_YEAR},
    )


def _params(v: statistics.View) -> dict[str, object]:
    params: dict[str, object] = {"year": v.year, "body": v.body_id}
    if v.quarter:
        params["quarter"] = v.quarter
    return params


def no_release_text(year: int) -> str:
    return _("The figures of %(year)d are released once its first month is complete.") % {"year": year}


def day_text(day: dt.date) -> str:
    """A day as the release states it: 数据截至2026年11月30日."""
    return _("Figures up to %(date)s") % {"date": format_date(day, format="long")}


def built_text(built_at: dt.datetime) -> str:
    """When the release was built, to the hour, in China time."""
    local = case_state.local_day(built_at)
    hour = (built_at.hour + 8) % 24
    return _("released %(date)s at %(hour)02d:00") % {"date": format_date(local, format="long"), "hour": hour}


def period_text(v: statistics.View) -> str:
    if v.quarter:
        return _("%(year)d, quarter %(quarter)d") % {"year": v.year, "quarter": v.quarter}
    return _("%(year)d, the whole year") % {"year": v.year}


def _years() -> list[int]:
    return list(range(case_state.today().year, FIRST_YEAR - 1, -1))


@bp.get("/statistics")
@roles_required(*LEADERSHIP)
def statistics_page():
    """The tables and charts of one body and period."""
    try:
        v = _view()
    except statistics.NoRelease as exc:
        year = exc.args[0]
        return render_template("review/statistics_none.html", year=year, text=no_release_text(year), last_year=year - 1)
    except (BadParameter, statistics.OutOfScope) as exc:
        return _refused(exc)
    return render_template(
        "review/statistics.html",
        through=day_text(v.through),
        built=built_text(v.built_at),
        v=v,
        params=_params(v),
        period=period_text(v),
        years=_years(),
        measures=MEASURES,
        others=OTHERS,
        time_labels=TIMES,
        kinds=labels.KINDS,
        categories=labels.CATEGORIES,
    )


# -- charts: pygal SVG on the server, no script, suppressed points left out --


@functools.cache
def _style():
    """pygal's style for every chart; pygal (and openpyxl below) load only when a chart or an
    export is asked for: a web worker that never draws one never pays for them, nor for PIL."""
    from pygal.style import Style

    return Style(
        font_family='"Noto Sans CJK SC", "Noto Sans CJK", "Source Han Sans SC", sans-serif',
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#222222",
        foreground_strong="#000000",
        foreground_subtle="#555555",
        colors=("#1f4e9c", "#b23a3a", "#2f7d32"),
        label_font_size=14,
        major_label_font_size=14,
        legend_font_size=14,
        title_font_size=16,
        value_font_size=12,
    )


_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
#: Only the image itself: no script, nothing fetched; its own style element is all it needs.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _svg(chart) -> Response:
    svg = chart.render(is_unicode=True)
    svg = _COMMENT.sub("", _SCRIPT.sub("", svg))  # pygal writes its config script even with js=[]
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_CSP
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _point(shown: statistics.Shown) -> int | None:
    return shown.value  # a suppressed count is left out of the line (None), never drawn at its value


def _axis_label(name: str, texts: list[str]) -> str:
    hidden = [t for t in texts if t in ("<5", "—")]
    return f"{name} ({'/'.join(hidden)})" if hidden else name


def trend_chart(v: statistics.View):
    import pygal

    chart = pygal.Line(
        js=[], style=_style(), width=720, height=400, show_dots=True, dots_size=4, legend_at_bottom=True,
        title=_("Cases by month, %(period)s") % {"period": period_text(v)}, y_title=_("Cases"), show_y_guides=True,
        print_values=False, allow_interruptions=True, min_scale=1, max_scale=10, include_x_axis=True,
    )  # fmt: skip
    chart.x_labels = [
        _axis_label(_("Month %(month)d") % {"month": month}, [s.text for s in row.values()]) for month, row in v.months
    ]
    for measure in statistics.TREND_MEASURES:
        chart.add(str(MEASURES[measure]), [_point(row[measure]) for _m, row in v.months])
    return chart


def categories_chart(v: statistics.View):
    import pygal

    chart = pygal.HorizontalBar(
        js=[], style=_style(), width=720, height=460, legend_at_bottom=True,
        title=_("Concerns by category, %(period)s") % {"period": period_text(v)}, x_title=_("Cases"),
        print_values=False, include_x_axis=True,
    )  # fmt: skip
    chart.x_labels = [
        _axis_label(str(labels.CATEGORIES[Category(code)]), [s.text for s in row.values()])
        for code, row in v.categories
    ]
    for measure in statistics.CATEGORY_MEASURES:
        chart.add(str(MEASURES[measure]), [_point(row[measure]) for _c, row in v.categories])
    return chart


@bp.get("/statistics/<chart>.svg")
@roles_required(*LEADERSHIP)
def statistics_chart(chart: str):
    """One chart of the page, as an image of its own (same parameters, same suppression)."""
    if chart not in CHARTS:
        return error_page(404)
    try:
        v = _view()
    except (BadParameter, statistics.OutOfScope, statistics.NoRelease) as exc:
        return _refused(exc)
    return _svg(trend_chart(v) if chart == "trend" else categories_chart(v))


# -- exports: the same suppressed tables, with body, period and generation date --

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A text cell a spreadsheet would read as a formula is kept as text (a leading apostrophe)."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def tables(v: statistics.View) -> list[tuple[str, list[str], list[list[object]]]]:
    """(caption, header, rows) of every table, counts as printed ("<5", "—" or the number)."""

    def count(s: statistics.Shown) -> object:
        return s.value if s.value is not None else s.text

    kind_codes = [*(str(k) for k in labels.KINDS), "all"]
    kind_names = [str(labels.KINDS[k]) for k in labels.KINDS] + [_("All cases")]
    out = [
        (
            _("Cases by kind and measure (cases)"),
            [_("Measure"), *kind_names],
            [[str(MEASURES[m]), *(count(row[k]) for k in kind_codes)] for m, row in v.kinds],
        ),
        (
            _("Concerns by category (cases)"),
            [_("Category"), *(str(MEASURES[m]) for m in statistics.CATEGORY_MEASURES)],
            [
                [str(labels.CATEGORIES[Category(c)]), *(count(row[m]) for m in statistics.CATEGORY_MEASURES)]
                for c, row in v.categories
            ],
        ),
        (
            _("Cases by month (cases)"),
            [_("Month"), *(str(MEASURES[m]) for m in statistics.TREND_MEASURES)],
            [
                [_("Month %(month)d") % {"month": month}, *(count(row[m]) for m in statistics.TREND_MEASURES)]
                for month, row in v.months
            ],
        ),
        (
            _("Cases by body (cases)"),
            [_("Body"), *(str(MEASURES[m]) for m in statistics.BODY_MEASURES)],
            [
                [
                    _("%(name)s (本机关)") % {"name": name} if own else name,
                    *(count(row[m]) for m in statistics.BODY_MEASURES),
                ]
                for _b, own, name, row in v.bodies
            ],
        ),
        (
            _("Further figures (cases)"),
            [_("Measure"), _("Cases")],
            [[str(OTHERS[code]), count(s)] for code, s in v.others],
        ),
        (
            _("Times (working days) and deadlines met (per cent)"),
            [_("Span"), _("Median"), _("90th percentile"), _("Deadline met")],
            [
                [
                    str(TIMES[name]),
                    *(
                        (_fmt(t.median), _fmt(t.p90), _share(t.met_share))
                        if t.shown
                        else (_("fewer than 5 cases"), "", "")
                    ),
                ]
                for name, t in v.times
            ],
        ),
    ]
    return out


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _share(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def _heading(v: statistics.View) -> list[list[str]]:
    return [
        [_("Statistics"), v.body_name],
        [_("Period"), period_text(v)],
        [day_text(v.through), built_text(v.built_at)],
        [_("Counts from 1 to 4 are shown as <5; a dash is a count withheld so that none of them can be worked out.")],
    ]


def _export(v: statistics.View, fmt: str) -> None:
    detail = f"{fmt}:body={v.body_id}:{v.year}" + (f"Q{v.quarter}" if v.quarter else "")
    audit.record(statistics.EXPORT_ACTION, actor_id=current_user.user.id, detail=detail)
    db.session.commit()


def _filename(v: statistics.View, ext: str) -> str:
    return f"statistics-{v.body_id}-{v.year}" + (f"-q{v.quarter}" if v.quarter else "") + f".{ext}"


@bp.get("/statistics.csv")
@roles_required(*LEADERSHIP)
def statistics_csv():
    """The page's tables as CSV (UTF-8 with a BOM, so spreadsheet programs read the Chinese)."""
    try:
        v = _view()
    except (BadParameter, statistics.OutOfScope, statistics.NoRelease) as exc:
        return _refused(exc)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in _heading(v):
        writer.writerow([safe_cell(c) for c in line])
    for caption, header, rows in tables(v):
        writer.writerow([])
        writer.writerow([safe_cell(caption)])
        writer.writerow([safe_cell(c) for c in header])
        for row in rows:
            writer.writerow([safe_cell(c) for c in row])
    _export(v, "csv")
    response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(v, "csv")}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/statistics.xlsx")
@roles_required(*LEADERSHIP)
def statistics_xlsx():
    """The page's tables as one worksheet each, after a sheet naming the body, period and date."""
    try:
        v = _view()
    except (BadParameter, statistics.OutOfScope, statistics.NoRelease) as exc:
        return _refused(exc)
    from openpyxl import Workbook

    book = Workbook()
    cover = book.active
    cover.title = _("About")
    for line in _heading(v):
        cover.append([safe_cell(c) for c in line])
    for number, (caption, header, rows) in enumerate(tables(v), start=1):
        sheet = book.create_sheet(f"{number}")
        sheet.append([safe_cell(caption)])
        sheet.append([safe_cell(c) for c in header])
        for row in rows:
            sheet.append([safe_cell(c) for c in row])
    book.properties.creator = ""
    book.properties.created = dt.datetime(v.year, 1, 1)  # the file carries no time finer than its period
    book.properties.modified = dt.datetime(v.year, 1, 1)
    out = io.BytesIO()
    book.save(out)
    _export(v, "xlsx")
    response = Response(out.getvalue(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(v, "xlsx")}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
