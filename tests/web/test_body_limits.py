"""Oversize bodies are refused before anything parses them: every form without a file has a small limit."""

from __future__ import annotations

import io
import re
from html import unescape

from portal.web.body_limits import FILE_FORMS, TEXT_FORMS
from tests.conftest import only_case_id

_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)


class CountingStream(io.RawIOBase):
    """A request body that counts what the server reads of it."""

    def __init__(self, size: int) -> None:
        self.size, self.read_bytes, self.position = size, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        # The test client measures the body (seek to the end, and back): that reads nothing.
        self.position = self.size + offset if whence == io.SEEK_END else offset
        return self.position

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.size - self.position)
        buffer[:n] = b"a" * n
        self.read_bytes += n
        self.position += n
        return n


def _post_paths(app) -> dict[str, str]:
    """Every POST endpoint, with a path that reaches it."""
    paths = {}
    for rule in app.url_map.iter_rules():
        if "POST" in (rule.methods or ()):
            paths[rule.endpoint] = re.sub(r"<(?:int:)?[^>]+>", "1", rule.rule)
    return paths


def test_every_form_refuses_a_body_over_its_limit_with_the_413_page(app, client):
    config = app.config
    limits = {"text": config["MAX_TEXT_FORM_BYTES"]}
    paths = _post_paths(app)
    assert len(paths) > 20
    for endpoint, path in paths.items():
        # Urlencoded: a form with files takes no more than a long-text form that way.
        tier = "text" if endpoint in FILE_FORMS | TEXT_FORMS else "short"
        limit = limits.get(tier, config["MAX_SHORT_FORM_BYTES"])
        stream = CountingStream(limit + 1)
        response = client.post(
            path,
            input_stream=stream,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Content-Length": str(limit + 1)},
        )
        assert response.status_code == 413, endpoint
        assert stream.read_bytes == 0, endpoint  # refused on the declared length, before any parsing
        assert "未保存任何内容" in response.get_data(as_text=True), endpoint


def test_a_50_mb_urlencoded_field_is_refused_unread(client):
    size = 50 * 1024 * 1024
    # A form with files takes a large body only in multipart: urlencoded, all of it would be parsed.
    for path in ("/followup", "/review/login", "/submit/receipt", "/no-such-page", "/submit/concern"):
        stream = CountingStream(size)
        response = client.post(
            path,
            input_stream=stream,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Content-Length": str(size)},
        )
        assert response.status_code == 413, path
        assert stream.read_bytes == 0, path
        html = response.get_data(as_text=True)
        assert "提交内容过大" in html and "未保存任何内容" in html and 'class="box warn"' in html


def test_bodies_within_the_limits_are_not_refused(app, cadre, client):
    # 20,000 Chinese characters urlencoded (about 180 KB) fit the long-text forms...
    long_text = "reason=" + "%E6%84%8F" * 20000
    response = client.post(
        "/followup/object", data=long_text, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code != 413
    # ...and a submission with attachments well over the short limit goes through.
    big_text = "每周都有检查组来要同样的报表。" * 1000
    response = cadre.file_concern(description=big_text[:20000])
    assert response.status_code == 200 and cadre.receipt_of(response)


def _forms(html: str, page: str) -> list[tuple[str, str]]:
    """(action, inner HTML) of each POST form; a form without an action posts to its page."""
    found = []
    for attrs, body in _FORM.findall(html):
        if 'method="post"' not in attrs.lower():
            continue
        action = re.search(r'action="([^"]*)"', attrs)
        found.append((unescape(action.group(1)) if action else page, body))
    return found


def _endpoint(app, action: str) -> str:
    adapter = app.url_map.bind("localhost")
    return adapter.match(action.split("?")[0], method="POST")[0]


def test_forms_with_files_or_long_text_are_declared(app, cadre, client, staff):
    """Every form on the pages that carry a file field or a long text names an endpoint with room for it."""
    reviewer = staff("reviewer1", "intake")  # new cases are sealed to intake
    receipt = cadre.receipt_of(cadre.file_concern())
    case_page = f"/review/cases/{only_case_id(app)}"
    cadre.follow_up(receipt)
    pages = {path: client.get(path) for path in ("/submit/concern", "/submit/clarification", "/followup/status")}
    pages[case_page] = reviewer.get(case_page)
    seen_file = seen_text = 0
    for page, response in pages.items():
        for action, body in _forms(response.get_data(as_text=True), page):
            endpoint = _endpoint(app, action)
            if 'type="file"' in body:
                seen_file += 1
                assert endpoint in FILE_FORMS, endpoint
            lengths = [int(n) for n in re.findall(r'maxlength="(\d+)"', body)]
            if lengths and max(lengths) > 1000:
                seen_text += 1
                assert endpoint in FILE_FORMS | TEXT_FORMS, endpoint
    assert seen_file >= 4 and seen_text >= 5
