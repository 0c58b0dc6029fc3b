"""The 公文 renderers: one document as HTML, PDF and .docx, read back the way a reader would.

The PDF is checked through its text (pypdf), never its pixels; the .docx through python-docx.
A hostile paragraph (markup, Jinja, WordprocessingML) must come out literally in all three.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile

import docx as python_docx
import pypdf
import pytest
from docx.oxml.ns import qn
from docx.shared import RGBColor

from portal.domain.gongwen import Gongwen, void_line
from portal.services import gongwen_files
from portal.services.gongwen_files import ForbiddenFetch, fetch_static
from tools import make_gongwen_docx

HOSTILE = "<script>alert(1)</script>{{ 7*7 }}"
WORDML = "</w:t></w:r></w:p><w:p><w:r><w:t>注入</w:t></w:r></w:p>{%p if true %}"
LONG = "你于2026年11月20日通过本平台反映的事项，本委已于2026年11月25日依规受理，现正依规依纪依法办理。" * 12

SAMPLE = Gongwen(
    issuer="中共青山区纪律检查委员会",
    number="青纪信〔2026〕12号",
    title="关于受理反映事项的告知书",
    addressee="反映人",
    paragraphs=(
        "你反映的问题已收悉。",
        LONG,
        "",  # blank paragraphs are dropped, never rendered as an empty indent
        HOSTILE,
        WORDML,
        "如对办理结果有异议，可在收到答复之日起一个月内提出复核申请。",
    ),
    attachments=("查询码使用说明", "复核申请表"),
    notes=("本告知书附查询码，请妥善保管，切勿告知他人。",),
    signatory="中共青山区纪律检查委员会",
    date=dt.date(2026, 12, 1),
)
BARE = Gongwen(
    issuer="测试县纪委监委",
    number="测纪复〔2026〕3号",
    title="答复意见书",
    paragraphs=("经核实，所反映问题不属实。",),
    signatory="测试县纪委监委",
    date=dt.date(2026, 1, 9),
)


def squash(text: str) -> str:
    """Text without the line breaks and spaces a layout adds."""
    return re.sub(r"\s+", "", text)


# -- HTML ------------------------------------------------------------------------------------


def test_html_is_a_standalone_page_with_every_part_in_order():
    page = gongwen_files.html(SAMPLE)
    assert page.startswith("<!doctype html>") and '<html lang="zh-CN">' in page
    assert '<link rel="stylesheet" href="/static/gongwen.css">' in page  # no app context: the plain address
    order = [
        '<p class="gw-issuer">中共青山区纪律检查委员会</p>',
        '<p class="gw-number">青纪信〔2026〕12号</p>',
        'class="gw-red-rule"',
        "关于受理反映事项的告知书</h1>",
        "反映人：",  # 主送 with a full-width colon
        "你反映的问题已收悉。",
        LONG,
        "提出复核申请。",
        "附件：</span>1．查询码使用说明",
        "2．复核申请表",
        'class="gw-seal-area"',
        "2026年12月1日",
        "本告知书附查询码",
    ]
    positions = [page.index(part) for part in order]
    assert positions == sorted(positions)
    assert page.count('<p class="gw-signatory">中共青山区纪律检查委员会</p>') == 1
    assert "<p></p>" not in page


def test_html_escapes_every_value_and_has_no_script_style_or_outside_address():
    page = gongwen_files.html(SAMPLE)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}" in page
    assert "<script" not in page and "49" not in page
    assert "&lt;/w:t&gt;&lt;/w:r&gt;&lt;/w:p&gt;" in page and "{%p if true %}" in page
    assert not re.search(r"\sstyle=", page) and "<style" not in page
    assert "http:" not in page and "https:" not in page and "//" not in page.replace("<!doctype html>", "")


def test_html_leaves_out_the_parts_a_document_does_not_have():
    page = gongwen_files.html(BARE)
    assert "gw-addressee" not in page and "附件" not in page and "gw-record" not in page
    assert "2026年1月9日" in page


def test_html_in_a_request_links_the_content_hashed_stylesheet(app):
    with app.test_request_context("/"):
        page = gongwen_files.html(BARE)
    assert re.search(r'href="/static/gongwen\.css\?v=[0-9a-f]+"', page)


def test_the_stylesheet_sets_gb_t_9704_on_a4_with_the_gongwen_fonts_first():
    with open(gongwen_files.STATIC_FOLDER + "/gongwen.css", encoding="utf-8") as handle:
        css = handle.read()
    assert "size:A4" in css and "margin:37mm 26mm 35mm 28mm" in css
    for official, fallback in (("方正小标宋简体", "Noto Serif CJK SC"), ("仿宋_GB2312", "Noto Serif CJK SC")):
        stacks = [line for line in css.splitlines() if official in line]
        assert stacks and all(line.index(official) < line.index(fallback) for line in stacks)
    assert '"黑体"' in css and "Noto Sans CJK SC" in css
    assert '"— " counter(page) " —"' in css
    assert "url(" not in css and "@import" not in css and "@font-face" not in css


# -- the PDF renderer's fetcher ---------------------------------------------------------------


def test_the_fetcher_serves_the_portals_static_files_only():
    content, mime_type = fetch_static("https://portal.invalid/static/gongwen.css?v=abc")
    assert mime_type == "text/css" and b"@page" in content
    for refused in (
        "https://example.com/static/gongwen.css",
        "http://portal.invalid/static/gongwen.css",
        "https://portal.invalid/templates/base.html",
        "https://portal.invalid/static/../config.py",
        "https://portal.invalid/static/%2e%2e/config.py",
        "https://portal.invalid/static/nothing.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
    ):
        with pytest.raises(ForbiddenFetch):
            fetch_static(refused)


def test_weasyprint_with_the_fetcher_stops_at_an_outside_address():
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    fetcher = gongwen_files._fetcher_class()(fail_on_errors=True)
    page = '<html><body><p>x</p><img src="https://example.com/tracker.png"></body></html>'
    with pytest.raises(FatalURLFetchingError):
        weasyprint.HTML(string=page, base_url="https://portal.invalid/", url_fetcher=fetcher).write_pdf()


# -- PDF -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return gongwen_files.pdf(SAMPLE)


def test_pdf_renders_without_a_warning(caplog):
    with caplog.at_level("WARNING", logger="weasyprint"):
        gongwen_files.pdf(BARE)
    assert not caplog.records


def test_pdf_text_holds_every_part_as_real_text(sample_pdf):
    reader = pypdf.PdfReader(io.BytesIO(sample_pdf))
    pages = [page.extract_text() for page in reader.pages]
    text = re.sub(r"—\d+—", "", squash("".join(pages)))  # a paragraph runs on over the folio
    for part in (
        SAMPLE.issuer,
        SAMPLE.number,
        SAMPLE.title,
        "反映人：",
        "你反映的问题已收悉。",
        LONG,
        HOSTILE.replace(" ", ""),
        squash(WORDML),
        "附件：1．查询码使用说明",
        "2．复核申请表",
        "2026年12月1日",
        "本告知书附查询码，请妥善保管，切勿告知他人。",
    ):
        assert part in text, part
    assert text.count(SAMPLE.issuer) == 2  # the 版头 and the 落款
    assert "49" not in text


def test_pdf_pages_are_a4_and_numbered(sample_pdf):
    reader = pypdf.PdfReader(io.BytesIO(sample_pdf))
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.28) < 0.5 and abs(height - 841.89) < 0.5  # 210 x 297 mm
        assert f"— {number} —" in page.extract_text()


def test_pdf_embeds_a_cjk_font_and_links_nowhere(sample_pdf):
    reader = pypdf.PdfReader(io.BytesIO(sample_pdf))
    fonts = set()
    for page in reader.pages:
        assert "/Annots" not in page  # no link, no URI action
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("CJK" in name for name in fonts), fonts
    assert b"/URI" not in sample_pdf and b"http" not in sample_pdf


def test_pdf_of_a_bare_document_in_a_request_under_a_prefix(app):
    with app.test_request_context("/", base_url="http://localhost/portal/"):
        assert "/portal/static/gongwen.css" in gongwen_files.html(BARE)
        rendered = gongwen_files.pdf(BARE)
    text = squash(pypdf.PdfReader(io.BytesIO(rendered)).pages[0].extract_text())
    assert "答复意见书" in text and "测纪复〔2026〕3号" in text and "2026年1月9日" in text
    assert "附件" not in text


# -- .docx -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_docx() -> bytes:
    return gongwen_files.docx(SAMPLE)


def test_docx_has_a_real_paragraph_per_text_paragraph(sample_docx):
    document = python_docx.Document(io.BytesIO(sample_docx))
    texts = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert texts[:4] == [
        ("GW Issuer", SAMPLE.issuer),
        ("GW Number", SAMPLE.number),
        ("GW Title", SAMPLE.title),
        ("GW Addressee", "反映人："),
    ]
    body = [text for style, text in texts if style == "GW Body"]
    assert body == [p for p in SAMPLE.paragraphs if p]
    assert [text for style, text in texts if style == "GW Attachment"] == [
        "附件：1．查询码使用说明",
        "\u3000\u3000\u30002．复核申请表",
    ]
    assert [text for style, text in texts if style == "GW Signature"] == [SAMPLE.signatory, "2026年12月1日"]
    assert [text for style, text in texts if style == "GW Record"] == list(SAMPLE.notes)


def test_docx_keeps_markup_and_template_syntax_literal(sample_docx):
    document = python_docx.Document(io.BytesIO(sample_docx))
    texts = [p.text for p in document.paragraphs]
    assert HOSTILE in texts and WORDML in texts
    assert "注入" not in texts and "49" not in "".join(texts)
    xml = zipfile.ZipFile(io.BytesIO(sample_docx)).read("word/document.xml").decode()
    assert "{%" not in xml.replace("{%p if true %}", "")
    assert "{{" not in xml.replace("{{ 7*7 }}", "")


def test_docx_layout_fonts_and_page_numbers(sample_docx):
    document = python_docx.Document(io.BytesIO(sample_docx))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]

    def east_asian_font(style_name: str) -> str:
        fonts = document.styles[style_name].element.rPr.find(qn("w:rFonts"))
        return fonts.get(qn("w:eastAsia"))

    assert east_asian_font("Normal") == east_asian_font("GW Body") == "仿宋_GB2312"
    assert east_asian_font("GW Issuer") == east_asian_font("GW Title") == "方正小标宋简体"
    assert east_asian_font("GW Folio") == "宋体"
    assert document.styles["GW Issuer"].font.color.rgb == RGBColor(0xE6, 0x00, 0x12)
    body = document.styles["GW Body"]
    assert body.font.size.pt == 16 and body.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    assert body.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    assert document.styles["GW Title"].font.size.pt == 22
    rule = document.styles["GW Number"].element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "E60012"
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and "— " in xml and " —" in xml
    assert document.settings.odd_and_even_pages_header_footer


def test_docx_of_a_bare_document():
    document = python_docx.Document(io.BytesIO(gongwen_files.docx(BARE)))
    styles = {p.style.name for p in document.paragraphs if p.text}
    assert "GW Addressee" not in styles and "GW Attachment" not in styles and "GW Record" not in styles
    assert [p.text for p in document.paragraphs if p.style.name == "GW Body"] == ["经核实，所反映问题不属实。"]


def test_a_single_attachment_is_not_numbered():
    single = Gongwen(**{**BARE.__dict__, "attachments": ("复核申请表",)})
    document = python_docx.Document(io.BytesIO(gongwen_files.docx(single)))
    assert [p.text for p in document.paragraphs if p.style.name == "GW Attachment"] == ["附件：复核申请表"]
    assert "附件：</span>复核申请表" in gongwen_files.html(single)


def test_the_committed_docx_template_is_what_the_script_makes():
    with open(gongwen_files.DOCX_TEMPLATE, "rb") as handle:
        committed = handle.read()
    assert make_gongwen_docx.build() == committed, "run: .venv/bin/python -m tools.make_gongwen_docx"


# -- h12v: a voided document (作废) -------------------------------------------------------------
VOIDED = dataclasses.replace(SAMPLE, voided=void_line(dt.date(2026, 12, 2), "文号有误 " + HOSTILE))


def test_a_voided_document_carries_its_mark_between_the_head_and_the_title_in_all_three_files():
    page = gongwen_files.html(VOIDED)
    order = [
        'class="gw-red-rule"',
        '<p class="gw-void-mark">（已作废）</p>',
        "本文件已于2026年12月2日作废",
        "告知书</h1>",
    ]
    positions = [page.index(part) for part in order]
    assert positions == sorted(positions) and "<script" not in page
    assert "（已作废）" not in gongwen_files.html(SAMPLE)
    paragraphs = [p.text for p in python_docx.Document(io.BytesIO(gongwen_files.docx(VOIDED))).paragraphs]
    mark = paragraphs.index("（已作废）")
    assert paragraphs[mark - 1] == SAMPLE.number and paragraphs[mark + 1].endswith("作废原因：文号有误 " + HOSTILE)
    assert paragraphs[mark + 2] == SAMPLE.title
    assert "（已作废）" not in [p.text for p in python_docx.Document(io.BytesIO(gongwen_files.docx(SAMPLE))).paragraphs]
    text = squash("".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(gongwen_files.pdf(VOIDED))).pages))
    assert "（已作废）" in text and "作废原因：文号有误" in text


def test_the_void_mark_is_never_stored_with_the_content():
    from portal.services.documents import from_json, to_json

    assert "voided" not in to_json(VOIDED) and from_json(to_json(VOIDED)) == SAMPLE
