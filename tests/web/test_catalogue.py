"""The zh_CN catalogue is complete, keeps placeholders, compiles, and is what the default pages show."""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
KEYWORDS = ("_l", "lazy_gettext")
#: printf-style named placeholders such as %(n)d, %(max)d, %(code)s.
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
#: Templates whose every string shows on the landing page.
LANDING_TEMPLATES = ("templates/base.html", "templates/submit/landing.html")


def _read_catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="zh_CN")


def _translations() -> list[tuple[str, str]]:
    return [(m.id, m.string) for m in _read_catalogue() if m.id]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> list[str]:
    """The msgids of the current source, extracted like `make translations` does (babel.cfg, _l, lazy_gettext)."""
    pot = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    arguments = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg")]
    for keyword in KEYWORDS:
        arguments += ["-k", keyword]
    arguments += ["-o", str(pot), "--no-location", "--omit-header", "--sort-output", str(ROOT)]
    CommandLineInterface().run(arguments)
    with pot.open("rb") as handle:
        ids = [m.id for m in read_po(handle) if m.id]
    assert ids, "extraction found no messages; is babel.cfg still in the repository root?"
    return ids


def _key(msgid) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def test_every_extracted_message_has_a_chinese_translation(extracted):
    catalogue = _read_catalogue()
    missing = []
    for msgid in extracted:
        message = catalogue.get(msgid)
        strings = (
            []
            if message is None
            else (list(message.string) if isinstance(message.string, (list, tuple)) else [message.string])
        )
        if message is None or message.fuzzy or not all(s and s.strip() for s in strings):
            missing.append(_key(msgid))
    assert not missing, (
        f"{len(missing)} message(s) without a finished zh_CN translation; run pybabel extract/update "
        "(see babel.cfg) and translate them in translations/zh_Hans_CN/LC_MESSAGES/messages.po:\n"
        + "\n".join(f"  {m!r}" for m in missing)
    )


def test_translations_keep_the_placeholders():
    wrong = []
    for msgid, string in _translations():
        ids = msgid if isinstance(msgid, (list, tuple)) else [msgid]
        strings = string if isinstance(string, (list, tuple)) else [string]
        expected = Counter(PLACEHOLDER.findall(ids[0]))
        for translated in strings:
            if translated and Counter(PLACEHOLDER.findall(translated)) != expected:
                wrong.append(f"  {_key(msgid)!r} -> {translated!r}")
    assert not wrong, "translations whose placeholders differ from the msgid:\n" + "\n".join(wrong)


def test_catalogue_compiles_cleanly():
    """No header fuzzy flag (pybabel compile would skip the whole file) and no format errors."""
    catalogue = _read_catalogue()
    assert not catalogue.fuzzy, "the catalogue header is marked fuzzy: pybabel compile would skip it"
    errors = [f"  {_key(m.id)!r}: {'; '.join(map(str, errs))}" for m, errs in catalogue.check()]
    assert not errors, "catalogue errors:\n" + "\n".join(errors)


def _landing_msgids() -> list[str]:
    ids = []
    for template in LANDING_TEMPLATES:
        for _lineno, message, _comments, _context in extract_from_file(
            "jinja2", str(ROOT / template), keywords={"_": None, "gettext": None}
        ):
            ids.append(message)
    return ids


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_landing_page_is_chinese_by_default_and_english_on_request(client):
    english = _landing_msgids()
    assert "What we protect" in english, "the landing page no longer has its usual strings"

    response = client.get("/")
    assert response.status_code == 200
    page = _page(response)
    assert '<html lang="zh-CN">' in page
    assert "正名" in page
    shown = [msgid for msgid in english if msgid in page]
    assert not shown, (
        "English shown on the default (zh_CN) landing page; is the catalogue compiled "
        f"(pybabel compile -d translations)? {shown}"
    )

    switched = client.get("/lang/en", query_string={"next": "/"})
    assert switched.status_code == 303 and switched.headers["Location"] == "/"
    page = _page(client.get("/"))
    assert '<html lang="en">' in page
    assert "What we protect" in page and "Raise a concern" in page
    assert "平台保护措施" not in page


#: A Chinese character or full-width sign, and the half-width signs that must not touch one.
_CHINESE = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
_HALF_WIDTH = re.compile(rf"{_CHINESE}\s*[,:;()]|[,:;()]\s*{_CHINESE}")


def test_chinese_translations_use_full_width_punctuation():
    """Chinese text takes 、，：；（）, never , : ; ( ) beside a Chinese character."""
    wrong = []
    for msgid, string in _translations():
        for translated in string if isinstance(string, (list, tuple)) else [string]:
            if translated and _HALF_WIDTH.search(translated):
                wrong.append(f"  {_key(msgid)!r} -> {translated!r}")
    assert not wrong, "half-width punctuation in Chinese text:\n" + "\n".join(wrong)


def test_the_punctuation_rule_catches_half_width_signs():
    assert _HALF_WIDTH.search("单位(选填)") and _HALF_WIDTH.search("无权查阅的事项数: 3")
    assert not _HALF_WIDTH.search("单位（选填）") and not _HALF_WIDTH.search("at most 10 MB, each")
