"""Checks on rendered HTML that any test can call: element ids must be unique on a page."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser


class _Ids(HTMLParser):
    """Collects every id attribute, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.extend(value for name, value in attrs if name == "id" and value is not None)

    handle_startendtag = handle_starttag


def duplicate_ids(html: str) -> list[str]:
    """Ids that occur more than once (a label or aria reference would then point at the wrong element)."""
    parser = _Ids()
    parser.feed(html)
    parser.close()
    return sorted(name for name, count in Counter(parser.ids).items() if count > 1)


def assert_unique_ids(page, where: str = "") -> None:
    """Fail with the page's address and the duplicated ids; takes a response or an HTML string."""
    html = page if isinstance(page, str) else page.get_data(as_text=True)
    duplicates = duplicate_ids(html)
    assert not duplicates, f"duplicate ids on {where or 'the page'}: {duplicates}"
