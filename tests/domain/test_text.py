"""Free text rules shared by every form."""

from __future__ import annotations

import pytest

from portal.domain.text import InvalidCharacters, check_characters, tidy


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain ASCII text.",
        "我要举报：食堂卫生问题，详见附件。",
        "繁體中文與標點「引號」",
        "emoji 😀👍🏽 and flags 🇨🇳",
        "family 👨\u200d👩\u200d👧",  # zero-width joiner sequence
        "line one\nline two",
        "windows\r\nline endings",
        "a\ttab",
        "full-width　space",
    ],
)
def test_accepts_ordinary_text(text):
    check_characters(text)


@pytest.mark.parametrize(
    "char",
    [
        "\x00",  # NUL
        "\x07",  # bell
        "\x08",  # backspace
        "\x0b",  # vertical tab
        "\x0c",  # form feed
        "\x1b",  # escape
        "\x7f",  # DEL
        "\x85",  # C1 next line
        "\x9b",  # C1 CSI
        "\ue000",  # private use
        "\uf8ff",  # private use
        "\U000f0000",  # supplementary private use
        "\ud800",  # lone high surrogate
        "\udfff",  # lone low surrogate
    ],
)
def test_rejects_control_private_use_and_surrogates(char):
    with pytest.raises(InvalidCharacters):
        check_characters(f"before{char}after")


def test_rejects_a_bad_character_at_the_start_and_end():
    with pytest.raises(InvalidCharacters):
        check_characters("\x00text")
    with pytest.raises(InvalidCharacters):
        check_characters("text\x00")


def test_error_names_the_code_point():
    with pytest.raises(InvalidCharacters, match="U\\+001B"):
        check_characters("a\x1bb")


def test_invalid_characters_is_a_value_error():
    assert issubclass(InvalidCharacters, ValueError)


def test_tidy_turns_crlf_into_lf():
    assert tidy("one\r\ntwo\r\nthree") == "one\ntwo\nthree"


def test_tidy_turns_lone_cr_into_lf():
    assert tidy("one\rtwo") == "one\ntwo"


def test_tidy_trims_outer_whitespace():
    assert tidy("  \r\n\t 中文 内容 \n\n ") == "中文 内容"


def test_tidy_keeps_inner_blank_lines_and_spaces():
    assert tidy("a\r\n\r\n  b") == "a\n\n  b"


def test_tidy_of_none_is_empty():
    assert tidy(None) == ""


def test_tidy_of_whitespace_only_is_empty():
    assert tidy(" \r\n\t ") == ""


def test_tidy_is_idempotent():
    once = tidy(" a\r\nb\r ")
    assert tidy(once) == once


@pytest.mark.parametrize("bidi", ["\u202e", "\u202a", "\u2066", "\u2069"])
def test_bidi_overrides_are_refused(bidi):
    with pytest.raises(InvalidCharacters):
        check_characters(f"invoice{bidi}gpj.exe")


def test_emoji_joiner_is_kept():
    check_characters("👨\u200d👩\u200d👧")
