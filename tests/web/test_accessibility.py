"""Failed forms are announced and navigable, pages can be skipped to their content, the icon resolves."""

from __future__ import annotations

import base64
import html
from html.parser import HTMLParser

import pytest

from tests.conftest import only_case_id


class Page(HTMLParser):
    """The elements of a page with their attributes, in order, and the title text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.title = ""
        self._in_title = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def by_id(self, element_id: str, unique: bool = True) -> tuple[str, dict[str, str]]:
        found = [e for e in self.elements if e[1].get("id") == element_id]
        assert found if not unique else len(found) == 1, f"{len(found)} elements with id {element_id!r}"
        return found[0]

    def where(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a for t, a in self.elements if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]


def page_of(response) -> Page:
    return Page(response.get_data(as_text=True))


def assert_failed_form(response, fields: list[str], groups: tuple[str, ...] = (), unique: bool = True) -> Page:
    """The shape every failed form has: summary first and focused, title says so, fields marked and described."""
    assert response.status_code >= 400, response.status_code
    page = page_of(response)
    assert page.title.startswith("错误："), page.title

    tag, summary = page.by_id("error-summary")
    assert summary.get("tabindex") == "-1" and "autofocus" in summary
    main = page.elements.index(page.by_id("main"))
    first_heading = next(i for i, (t, _) in enumerate(page.elements) if t == "h1")
    assert main < page.elements.index((tag, summary)) < first_heading, "the summary is not at the top of main"
    start = page.elements.index((tag, summary))
    links = [a["href"] for t, a in page.elements[start:first_heading] if t == "a"]
    assert links, "the summary links to nothing"
    for href in links:
        assert href.startswith("#")
        page.by_id(href[1:], unique)  # every link lands on an element of the page

    for name in fields:
        _tag, field = page.by_id(name)
        assert field.get("aria-invalid") == "true", name
        described = field.get("aria-describedby", "").split()
        assert f"{name}-error" in described, name
        page.by_id(f"{name}-error")
        assert f"#{name}" in links, name
    for name in groups:
        tag, group = page.by_id(name)
        assert tag == "fieldset" and f"{name}-error" in group.get("aria-describedby", "").split(), name
        assert any(t == "legend" for t, _ in page.elements[page.elements.index((tag, group)) :][:2])
        options = [a for t, a in page.elements if t == "input" and a.get("name") == name]
        assert options and all(o.get("aria-invalid") == "true" for o in options), name
        assert f"#{options[0]['id']}" in links, name
    return page


def assert_hint_tied(page: Page, name: str) -> None:
    _tag, field = page.by_id(name)
    assert f"{name}-hint" in field.get("aria-describedby", "").split(), name
    page.by_id(f"{name}-hint")


# --- the anonymous side -------------------------------------------------------------------


def test_a_failed_concern_marks_the_fields_and_summarises_them(cadre):
    response = cadre.post("/submit/concern", {"subject": "", "description": "Inspections every week."})
    page = assert_failed_form(response, ["subject"], groups=("category",))
    assert_hint_tied(page, "description")
    assert_hint_tied(page, "unit")
    assert_hint_tied(page, "attachments")
    _tag, description = page.by_id("description")
    assert "aria-invalid" not in description


def test_a_failed_clarification_ties_the_checkbox_error_to_its_group(cadre):
    response = cadre.file_clarification(real_name="", harms=["not-a-harm"])
    page = assert_failed_form(response, ["real_name"], groups=("harms",))
    assert_hint_tied(page, "allegation")
    _tag, wanted = page.by_id("wanted")
    assert "wanted-hint" in wanted.get("aria-describedby", "").split()


def test_a_failed_followup_receipt_is_marked(cadre):
    page = assert_failed_form(cadre.follow_up(""), ["receipt"])
    assert_hint_tied(page, "receipt")


def test_a_page_without_errors_has_no_summary_and_a_plain_title(client):
    page = page_of(client.get("/submit/concern"))
    assert not [a for _t, a in page.elements if a.get("id") == "error-summary"]
    assert not page.title.startswith("错误")
    assert not [a for _t, a in page.elements if a.get("aria-invalid")]


def test_the_english_title_says_error_too(cadre, client):
    client.get("/lang/en")
    response = cadre.post("/submit/concern", {"subject": ""})
    assert page_of(response).title.startswith("Error: ")


# --- the staff side --------------------------------------------------------------------------


def test_a_failed_staff_sign_in_is_marked(app, staff):
    member = staff("li.rev", "reviewer", login=False)
    response = member.client.post(
        "/review/login",
        data={**member.tokens("/review/login"), "username": "li.rev", "password": "wrong password", "code": "123456"},
    )
    assert response.status_code == 401
    assert_failed_form(response, ["code"])


def test_a_failed_message_on_the_case_page_is_marked(app, cadre, staff):
    reviewer = staff("xin.fang", "intake")  # new cases are sealed to intake
    cadre.file_concern()
    case_id = only_case_id(app)
    response = reviewer.post(f"/review/cases/{case_id}/messages", {"body": ""}, form_page=f"/review/cases/{case_id}")
    assert_failed_form(response, ["message-body"])


def test_a_failed_notice_date_on_the_plan_page_is_marked(app, cadre, staff):
    import datetime as dt

    from portal.services import case_state
    from tests.web.review.test_clarification_plan import draft, found_false

    _receipt, case_id, reviewer, _chief, _deputy = found_false(app, cadre, staff)
    with app.app_context():
        tomorrow = (case_state.today() + dt.timedelta(days=1)).isoformat()
    assert_failed_form(draft(reviewer, case_id, issued_on=tomorrow), ["issued_on"])


def test_a_wrong_escrow_passphrase_marks_the_field_it_was_typed_in(app, cadre, staff):
    supervisor = staff("qian.sup", "supervisor")
    intake = staff("xin.fang", "intake")
    reviewer = staff("li.rev", "reviewer")
    cadre.file_concern()
    case_id = only_case_id(app)
    with app.app_context():  # its only holder leaves: the case can only be recovered from escrow
        from portal.extensions import db
        from portal.models import User
        from portal.services import form_tokens, staff_admin

        admin = staff_admin_account(app)
        staff_admin.set_disabled(db.session.get(User, admin), intake.user_id, True, form_tokens.issue())
    response = supervisor.post(
        "/review/recover",
        {"case_id": case_id, "user_id": str(reviewer.user_id), "reason": "承办人调离。", "passphrase": "wrong"},
    )
    assert response.status_code == 400
    assert_failed_form(response, ["passphrase"])


def staff_admin_account(app) -> int:
    from portal.services import accounts

    with app.app_context():
        return accounts.create_user("root.admin", "admin", "an admin password 1", confirmed=True).user_id


# --- every page -----------------------------------------------------------------------------------

PAGES = ["/", "/submit/concern", "/submit/clarification", "/followup", "/notices", "/review/login", "/no-such-page"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_starts_with_a_skip_link_to_main(client, path):
    page = page_of(client.get(path))
    body = next(i for i, (t, _) in enumerate(page.elements) if t == "body")
    tag, first = page.elements[body + 1]
    assert tag == "a" and first.get("href") == "#main"
    assert page.by_id("main")[0] == "main"
    assert "跳到正文" in client.get(path).get_data(as_text=True)


@pytest.mark.parametrize("path", PAGES)
def test_no_page_leaves_the_icon_to_a_404(client, path):
    page = page_of(client.get(path))
    icons = page.where("link", rel="icon")
    assert icons, path
    for icon in icons:
        href = html.unescape(icon["href"])
        if href.startswith("data:image/png;base64,"):  # inline: no request at all
            assert base64.b64decode(href.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
            continue
        response = client.get(href)
        assert response.status_code == 200 and response.data, icon["href"]


def test_the_favicon_is_served_where_browsers_look(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
