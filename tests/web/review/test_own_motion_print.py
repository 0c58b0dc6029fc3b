"""The 澄清告知书 printed (issue 10): only the notice reaches the paper handed to the cadre; the
staff header and navigation, the staff warning line and the footer are screen-only."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tests.web.own_motion_helpers import OPENING, open_own_motion, receipt_on


def print_hidden(css: str) -> set[str]:
    """The selectors an ``@media print`` block of the stylesheet sets to display:none."""
    hidden: set[str] = set()
    for block in re.finditer(r"@media print\{((?:[^{}]*\{[^{}]*\})*)\}", css):
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", block.group(1)):
            if "display:none" in body.replace(" ", ""):
                hidden.update(s.strip() for s in selectors.split(","))
    return hidden


class _Outline(HTMLParser):
    """Each element's tag, classes and its ancestors, enough to tell what a print rule hides."""

    VOID = {"meta", "link", "input", "br", "img", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, set[str]]] = []
        self.texts: list[tuple[list[tuple[str, set[str]]], str]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, set((dict(attrs).get("class") or "").split())))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if data.strip():
            self.texts.append((list(self.stack), data.strip()))


def _hides(sel: str, tag: str, classes: set[str], body: set[str], inside: list[str], direct: bool) -> bool:
    """Whether one selector of ours matches an element (the few shapes the stylesheet's print rules use)."""
    if sel == tag or (sel.startswith(".") and sel[1:] in classes):
        return True
    if sel == "header nav":
        return tag == "nav" and "header" in inside
    if sel.startswith("body.") and ">" in sel:
        need, child = sel.split(">")
        return direct and child.strip() == tag and set(need.split(".")[1:]) <= body
    if sel.startswith("body.") and " " in sel:
        need, inner = sel.split(" ", 1)
        return set(need.split(".")[1:]) <= body and inner.startswith(".") and inner[1:] in classes
    return False


def _printed(html: str, hidden: set[str]) -> list[str]:
    """The text a printer puts on paper: what no print rule of ours hides."""
    parser = _Outline()
    parser.feed(html)
    shown = []
    for ancestors, text in parser.texts:
        tags = [tag for tag, _ in ancestors]
        if "body" not in tags:
            continue
        body = dict(ancestors)["body"]
        below = ancestors[tags.index("body") + 1 :]
        if not any(
            _hides(sel, tag, classes, body, tags[: tags.index("body") + 1 + i], i == 0)
            for i, (tag, classes) in enumerate(below)
            for sel in hidden
        ):
            shown.append(text)
    return shown


def test_the_printed_notice_holds_only_the_notice(app, staff, client):
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    page = open_own_motion(reviewer, chief)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    receipt = receipt_on(page)
    css = client.get("/static/site.css").get_data(as_text=True)
    printed = " ".join(_printed(html, print_hidden(css)))

    assert "澄清告知书" in printed and OPENING["real_name"] in printed and OPENING["origin_number"] in printed
    assert receipt in printed and "/followup" in printed
    assert all(item in printed for item in OPENING["false_items"].splitlines())
    # The staff navigation and sign-out, the warning meant for staff, the footer stay on screen only.
    for staff_only in ("跳到正文", "退出登录", "English", "本页只显示一次", "打开案件", "所有操作均记入审计日志"):
        assert staff_only in html and staff_only not in printed, staff_only
    assert "正名" not in _printed(html, print_hidden(css))  # the portal's name in the header
