"""Notice text: a small safe subset of HTML survives, everything else is escaped.

Notices are the only place staff-written formatting reaches the public, so the
allow-list is tight: paragraphs, line breaks, emphasis and lists. No attributes,
no links, no images, no styles.
"""

from __future__ import annotations

import html
import re

import bleach

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "b", "i", "ul", "ol", "li"})
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def clean_html(text: str) -> str:
    """Allow-listed tags kept (without attributes); any other markup is escaped, not run."""
    return bleach.clean(
        text or "", tags=ALLOWED_TAGS, attributes={}, protocols=[], strip=False, strip_comments=True
    ).strip()


def plain_text(cleaned_html: str) -> str:
    """The words of cleaned HTML, for search and the Atom feed summary."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", cleaned_html or ""))).strip()


def search_text(*fields: str) -> str:
    """Lower-cased, space-normalised words of every public field, for LIKE search."""
    return _SPACE.sub(" ", " ".join(f for f in fields if f)).lower().strip()
