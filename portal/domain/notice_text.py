"""Notice text: a small safe subset of HTML survives, everything else is escaped.

Notices are the only place staff-written formatting reaches the public, so the
allow-list is tight: paragraphs, line breaks, emphasis and lists. No attributes,
no links, no images, no styles.
"""

from __future__ import annotations

import html
import re

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "b", "i", "ul", "ol", "li"})
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def clean_html(text: str) -> str:
    """Allow-listed tags kept (without attributes); any other markup is escaped, not run."""
    import bleach  # only staff publishing needs it: not imported at start-up

    return bleach.clean(
        text or "", tags=ALLOWED_TAGS, attributes={}, protocols=[], strip=False, strip_comments=True
    ).strip()


def plain_text(cleaned_html: str) -> str:
    """The words of cleaned HTML, for search and the Atom feed summary."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", cleaned_html or ""))).strip()


def search_text(*fields: str) -> str:
    """Lower-cased, space-normalised words of every public field, for LIKE search."""
    return _SPACE.sub(" ", " ".join(f for f in fields if f)).lower().strip()


#: Grams of one search term used to find candidates (the text check decides): a few suffice.
MAX_TERM_GRAMS = 4


def grams(text: str) -> set[str]:
    """Every character and every pair of adjacent characters within each word of a search text.

    A term (which has no spaces) found in the text lies within one word, so its grams are all here.
    """
    found: set[str] = set()
    for word in text.split():
        found.update(word)
        found.update(word[i : i + 2] for i in range(len(word) - 1))
    return found


def term_grams(term: str) -> list[str]:
    """The grams to look a search term up by: itself if one character, else some of its pairs.

    Each is a necessary condition (a notice containing the term has all of its pairs); the
    rarest pairs are not known here, so take them spread over the term: first, last, middle.
    """
    if len(term) <= 2:
        return [term] if term else []
    pairs = list(dict.fromkeys(term[i : i + 2] for i in range(len(term) - 1)))
    if len(pairs) <= MAX_TERM_GRAMS:
        return pairs
    step = (len(pairs) - 1) / (MAX_TERM_GRAMS - 1)
    return list(dict.fromkeys(pairs[round(i * step)] for i in range(MAX_TERM_GRAMS)))
