"""Every route, every parameter, hostile values: never a 5xx, as anyone.

The route list comes from the app's own url_map and the field names from every
form class, so a new route or field is covered without touching this file.
"""

from __future__ import annotations

import base64
import re
from urllib.parse import quote

from flask import Flask
from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField

from tests.conftest import hidden, only_case_id
from tests.factories import gen_png, upload

#: Query names the views read from request.args (forms are found below).
QUERY_NAMES = (
    "next",
    "queue",
    "kind",
    "state",
    "category",
    "after",
    "sort",
    "before",
    "q",
    "year",
    "issuer",
    "older",
    "newer",
    "actor",
    "action",
    "case",
    "since",
    "until",
)
BAD_VALUES = (
    "\x00",
    "a\x00b",
    "x" * 5000,
    "9" * 40,
    "-1",
    "9999-12-31",
    "0001-01-01",
    "%ff%00",
    base64.urlsafe_b64encode(b"9999-12-31T23:59:59|\x00").decode(),
    "'\"<>;--",
)
#: Values sent to one query name at a time (a bad value elsewhere must not hide them).
ONE_AT_A_TIME = ("9" * 40, "9999-12-31", BAD_VALUES[8])
#: Requests that end the client's session run last, so the rest keep their role.
LAST = {"review.logout", "submit.leave"}
_VARIABLE = re.compile(r"<(?:[a-z]+:)?(\w+)>")


def _form_classes() -> list[type]:
    import portal.web.admin.forms  # noqa: F401, E401
    import portal.web.review.auth_forms
    import portal.web.review.case_forms
    import portal.web.submit.forms  # noqa: F401

    found, todo = [], [FlaskForm]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def parameter_names() -> list[str]:
    names = set(QUERY_NAMES)
    for cls in _form_classes():
        names.update(n for n in dir(cls) if isinstance(getattr(cls, n, None), UnboundField))
    return sorted(names)


def routes(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, rule, method) for every route but static files."""
    found = [
        (rule.endpoint, rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]
    return sorted(found, key=lambda r: (r[0] in LAST, r))


def fill(rule: str, value: str) -> str:
    return _VARIABLE.sub(lambda _m: quote(value, safe=""), rule)


class Prober:
    """One client's run over every route; collects what answered 5xx."""

    def __init__(self, app: Flask, client, who: str) -> None:
        self.app, self.client, self.who = app, client, who
        self.names = parameter_names()
        self.png = gen_png()  # one small image for every post (making one is not what is tested)
        self.tokens: dict[bool, str] = {}
        self.failures: list[str] = []

    def csrf(self, path: str) -> str:
        staff_side = path.startswith(("/review", "/admin"))
        if staff_side not in self.tokens:
            pages = ("/review/account/password", "/review/login") if staff_side else ("/submit/concern",)
            for page in pages:
                html = self.client.get(page).get_data(as_text=True)
                if 'name="csrf_token"' in html:
                    self.tokens[staff_side] = hidden(html, "csrf_token")
                    break
        return self.tokens.get(staff_side, "")

    def send(self, method: str, path: str, fields: dict[str, str]) -> None:
        try:
            if method == "GET":
                status = self.client.get(path, query_string=fields).status_code
            else:
                name = next(iter(fields.values()), "f")[:100] + ".png"
                data = {**fields, "csrf_token": self.csrf(path), "attachments": [upload(self.png, name)]}
                status = self.client.post(
                    path, query_string=fields, data=data, content_type="multipart/form-data"
                ).status_code
        except Exception as exc:  # noqa: BLE001 - the test client re-raises what would be a 500
            status = f"{type(exc).__name__}: {str(exc)[:100]}"
        if not isinstance(status, int) or status >= 500:
            shown = {k: v[:12] for k, v in list(fields.items())[:1]}
            self.failures.append(f"{self.who} {method} {path[:60]!r} {shown} ...: {status}")

    def nameless_part(self, path: str) -> None:
        """A multipart part without a name, beside a valid token."""
        body = (
            f'--B\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{self.csrf(path)}\r\n'
            "--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--\r\n"
        )
        try:
            status = self.client.post(path, data=body, content_type="multipart/form-data; boundary=B").status_code
        except Exception as exc:  # noqa: BLE001
            status = f"{type(exc).__name__}: {str(exc)[:100]}"
        if not isinstance(status, int) or status >= 500:
            self.failures.append(f"{self.who} POST {path[:60]!r} nameless part: {status}")

    def reaches(self, path: str) -> bool:
        """Whether this client gets the page itself (not a redirect or a refusal)."""
        try:
            return self.client.get(path).status_code == 200
        except Exception:  # noqa: BLE001 - reported by send()
            return True

    def run(self, path_values: tuple[str, ...]) -> list[str]:
        """Every value in every parameter at once, then each query name on its own."""
        for _endpoint, rule, method in routes(self.app):
            variants = path_values if _VARIABLE.search(rule) else ("",)
            for path_value in variants:
                path = fill(rule, path_value)
                for value in BAD_VALUES:
                    self.send(method, path, dict.fromkeys(self.names, value))
                if method == "POST":
                    self.nameless_part(path)
                if method == "GET" and path_value == variants[0] and self.reaches(path):
                    for name in QUERY_NAMES:
                        for value in ONE_AT_A_TIME:
                            self.send(method, path, {name: value})
        return self.failures


def test_no_route_answers_5xx_to_hostile_values(app, cadre, client, staff):
    reviewer, admin = staff("fuzz_supervisor", "supervisor"), staff("fuzz_admin", "admin")
    receipt = cadre.receipt_of(cadre.file_concern(files=[upload(gen_png(), "a.png")]))
    case_id = only_case_id(app)
    failures = Prober(app, client, "anonymous").run(("9" * 40, "\x00"))
    cadre.follow_up(receipt)
    failures += Prober(app, client, "cadre").run((case_id,))
    failures += Prober(app, reviewer.client, "supervisor").run((case_id, "9" * 40, "\x00"))
    failures += Prober(app, admin.client, "admin").run(("9" * 40, "\x00"))
    assert not failures, "\n".join(failures[:40]) + f"\n... {len(failures)} in all"


# -- the public bulletin routes with a real bulletin, published and withdrawn (issue 10) --


def _public_headers(response, path: str) -> list[str]:
    """What a public page of the notices site carries: a minute in any cache, validators, the strict CSP."""
    h, wrong = response.headers, []
    csp = h.get("Content-Security-Policy", "")
    if "default-src 'none'" not in csp or "frame-ancestors 'none'" not in csp or "script-src" in csp:
        wrong.append(f"{path}: CSP {csp!r}")
    if h.get("Cache-Control") != "public, max-age=60" or not h.get("ETag") or "Cookie" not in h.get("Vary", ""):
        wrong.append(f"{path}: caching {h.get('Cache-Control')!r} {h.get('ETag')!r} {h.get('Vary')!r}")
    if "Set-Cookie" in h or "Pragma" in h:
        wrong.append(f"{path}: a public page sets a cookie or Pragma")
    if h.get("X-Content-Type-Options") != "nosniff" or h.get("X-Frame-Options") != "DENY":
        wrong.append(f"{path}: nosniff/DENY missing")
    return wrong


def test_bulletin_routes_with_a_real_bulletin_published_then_withdrawn(app, cadre, staff, intake):
    from tests.conftest import _client
    from tests.web.bulletin_helpers import referred_case
    from tests.web.review.test_bulletins import decide, submit

    world = referred_case(app, cadre, staff, intake)
    assert submit(world, world.leader.user_id).status_code == 303
    approved = decide(world.leader, world, "approve")
    assert approved.status_code == 303
    bulletin_id = approved.headers["Location"].split("/")[-2]
    paths = [
        fill(rule, bulletin_id) for _e, rule, m in routes(app) if m == "GET" and rule.startswith("/notices/bulletins/<")
    ]
    assert {f"/notices/bulletins/{bulletin_id}", f"/notices/bulletins/{bulletin_id}/print"} <= set(paths)

    client = _client(app)  # a reader who never filed anything: no message waits in their session
    failures: list[str] = []
    for stage, expected in (("published", "ZM-BUL-FACTS"), ("withdrawn", "本通报已撤回")):
        if stage == "withdrawn":
            edit = f"/review/bulletins/{bulletin_id}/correct"
            withdrawn = world.drafter.post(
                f"/review/bulletins/{bulletin_id}/withdraw", {"reason": "发布有误。"}, form_page=edit
            )
            assert withdrawn.status_code == 303
        prober = Prober(app, client, f"anonymous, {stage} bulletin")
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert expected in response.get_data(as_text=True), (stage, path)
            failures += _public_headers(response, path)
            for name in QUERY_NAMES:
                for value in (*ONE_AT_A_TIME, *BAD_VALUES):
                    prober.send("GET", path, {name: value})
        failures += prober.failures
        if stage == "withdrawn":
            assert "ZM-BUL-FACTS" not in client.get(f"/notices/bulletins/{bulletin_id}/print").get_data(as_text=True)
    assert not failures, "\n".join(failures[:40])


# -- h11d1: the document routes with a real case and a real document (issue 11) --
#: A route variable, the ``any(pdf, docx)`` converter's included.
_ANY_VARIABLE = re.compile(r"<(?:[a-z]+(?:\([^)]*\))?:)?(\w+)>")


def test_document_routes_with_a_real_document_never_answer_5xx(app, cadre, staff, intake):
    from tests.web.document_helpers import document_rows, issue

    holder = staff("fuzz.rev", "reviewer")
    receipt = cadre.receipt_of(cadre.file_concern())
    case_id = only_case_id(app)
    assert intake.accept(case_id, holder).status_code == 303
    assert issue(holder, case_id, "acceptance").status_code == 303
    [row] = document_rows(app, case_id)
    cadre.follow_up(receipt)
    values = {"case_id": case_id, "doc_id": row.id, "kind": "acceptance", "fmt": "pdf"}
    ours = [(rule, method) for _e, rule, method in routes(app) if "/documents" in rule]
    assert len(ours) >= 5, ours
    failures: list[str] = []
    for client, who in ((holder.client, "holder"), (cadre.client, "cadre")):
        prober = Prober(app, client, who)
        for rule, method in ours:
            path = _ANY_VARIABLE.sub(lambda m: quote(values.get(m.group(1), "x"), safe=""), rule)
            assert "<" not in path, path
            for value in BAD_VALUES:
                prober.send(method, path, dict.fromkeys(prober.names, value))
            if method == "POST":
                prober.nameless_part(path)
            else:
                for name in QUERY_NAMES:
                    prober.send(method, path, {name: ONE_AT_A_TIME[0]})
        failures += prober.failures
    assert not failures, "\n".join(failures[:40])


# -- h11s1 --
# The statistics page reads quarter and body too (year is above); the probe sends every hostile value
# to them as to the rest, and here each chart name with them.
QUERY_NAMES = (*QUERY_NAMES, "quarter", "body")


def test_statistics_routes_answer_no_5xx_to_hostile_values(app, staff):
    leader = staff("fuzz_leader", "leader")
    prober = Prober(app, leader.client, "leader")
    for path in ("/review/statistics", "/review/statistics/trend.svg", "/review/statistics/categories.svg",
                 "/review/statistics.csv", "/review/statistics.xlsx", "/notices/figures"):  # fmt: skip
        for value in BAD_VALUES:
            prober.send("GET", path, dict.fromkeys(("year", "quarter", "body"), value))
        for name in ("year", "quarter", "body"):
            for value in (*ONE_AT_A_TIME, "0", "2019", "5", "1000001"):
                prober.send("GET", path, {name: value})
    assert not prober.failures, "\n".join(prober.failures[:40])
