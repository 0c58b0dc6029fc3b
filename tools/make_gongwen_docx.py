"""Build templates/documents/gongwen.docx, the docxtpl template of every 公文's .docx.

    .venv/bin/python -m tools.make_gongwen_docx [--out PATH]

The template is made here with python-docx rather than kept as a hand-edited Word file, so
every measurement in it is written down and checked in review, and the committed file can be
made again byte for byte (fixed document properties and zip timestamps; a test compares).

Layout per GB/T 9704-2012 on A4: margins 37 / 35 / 28 / 26 mm (top, bottom, left, right),
a 版心 of 156 x 225 mm holding 22 lines of 28 characters (text 3号 = 16 pt, exact line
pitch 28.95 pt); 版头: the issuer in red 小标宋 centred, the 发文字号 centred above a red
rule; title 2号 (22 pt) 小标宋 centred; 主送 at the left margin; text paragraphs with a
first-line indent of two characters; 附件说明; 落款 and 成文日期 right-aligned, four
characters in, under a blank seal area; 版记 between two rules; page numbers "— 1 —" in 4号
宋体, odd pages right and even pages left, one character in. Fonts are named for the East
Asian script (w:eastAsia), so Word and WPS use 仿宋_GB2312 / 方正小标宋简体 / 宋体 where
installed and their own substitutes elsewhere.

The Jinja tags (docxtpl): ``{{ issuer }}``, ``{{ number }}``, ``{{ title }}``,
``{{ addressee }}``, ``paragraphs``, ``attachments``, ``{{ signatory }}``, ``{{ date }}``,
``notes``, and ``{{ void_mark }}`` / ``{{ voided }}`` (the 作废 mark, empty unless the document was
voided; see portal/services/gongwen_files.py, which fills them, autoescaped).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import zipfile

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(_ROOT, "templates", "documents", "gongwen.docx")

RED = RGBColor(0xE6, 0x00, 0x12)
#: The 公文 fonts, by the names Word and WPS know them under on Chinese Windows.
FANGSONG, XIAOBIAOSONG, SONG, HEITI = "仿宋_GB2312", "方正小标宋简体", "宋体", "黑体"
#: Latin letters and digits beside them.
LATIN = "Times New Roman"
TEXT_SIZE, TITLE_SIZE, ISSUER_SIZE, FOLIO_SIZE, RECORD_SIZE = Pt(16), Pt(22), Pt(30), Pt(14), Pt(14)
LINE_PITCH = Pt(28.95)
#: Every part is stamped with this, so the file is the same each time it is made.
FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _fonts(rpr_parent, east_asia: str, latin: str = LATIN) -> None:
    """Name the fonts of a style or run for every script (themes dropped: they would win)."""
    rpr = rpr_parent.get_or_add_rPr() if hasattr(rpr_parent, "get_or_add_rPr") else rpr_parent
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _indent_chars(style, first_line: int = 0, left: int = 0, right: int = 0, hanging: int = 0) -> None:
    """Indents in characters (w:*Chars, hundredths), which Word and WPS keep at any font size.

    The twip values beside them are for readers that ignore the character units (16 pt a character).
    """
    ppr = style.element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    twips_per_char = 320
    if first_line:
        ind.set(qn("w:firstLineChars"), str(first_line * 100))
        ind.set(qn("w:firstLine"), str(first_line * twips_per_char))
    if hanging:
        ind.set(qn("w:hangingChars"), str(hanging * 100))
        ind.set(qn("w:hanging"), str(hanging * twips_per_char))
    if left:
        ind.set(qn("w:leftChars"), str(left * 100))
        ind.set(qn("w:left"), str(left * twips_per_char))
    if right:
        ind.set(qn("w:rightChars"), str(right * 100))
        ind.set(qn("w:right"), str(right * twips_per_char))


def _border(style, *sides: str, color: str = "000000", eighths_of_point: int = 8) -> None:
    ppr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in sides:
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), str(eighths_of_point))
        line.set(qn("w:space"), "4")
        line.set(qn("w:color"), color)
        borders.append(line)
    # pBdr comes before spacing/ind/jc in CT_PPr's sequence.
    anchor = next((c for c in ppr if c.tag in {qn("w:spacing"), qn("w:ind"), qn("w:jc")}), None)
    if anchor is None:
        ppr.append(borders)
    else:
        anchor.addprevious(borders)


def _paragraph_style(document, name: str, *, font: str = FANGSONG, size=TEXT_SIZE, align=None, exact_pitch=True):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.font.size = size
    _fonts(style.element, font)
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if exact_pitch:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
    return style


def _page_number(paragraph) -> None:
    """ "— PAGE —" as a field, so Word and WPS number the pages themselves."""

    def run(text: str | None = None, field: str | None = None, instr: str | None = None):
        r = paragraph.add_run(text)
        if field:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), field)
            r._r.append(char)
        if instr:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = instr
            r._r.append(code)
        return r

    run("— ")
    run(field="begin")
    run(instr=" PAGE ")
    run(field="separate")
    run("1")
    run(field="end")
    run(" —")


def build() -> bytes:
    document = Document()
    # python-docx's sample thumbnail would show in file browsers: drop it.
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rel_id]

    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
            _fonts(rpr_default.find(qn("w:rPr")), FANGSONG)
    normal = styles["Normal"]
    normal.font.size = TEXT_SIZE
    normal.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(normal.element, FANGSONG)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE_PITCH
    normal.paragraph_format.widow_control = False

    issuer = _paragraph_style(
        document, "GW Issuer", font=XIAOBIAOSONG, size=ISSUER_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, exact_pitch=False
    )
    issuer.font.color.rgb = RED
    issuer.paragraph_format.space_after = LINE_PITCH
    issuer.paragraph_format.line_spacing = 1.0
    number = _paragraph_style(document, "GW Number", align=WD_ALIGN_PARAGRAPH.CENTER)
    _border(number, "bottom", color="E60012", eighths_of_point=8)
    number.paragraph_format.space_after = Pt(0)
    title = _paragraph_style(document, "GW Title", font=XIAOBIAOSONG, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.space_before = LINE_PITCH * 2
    title.paragraph_format.space_after = LINE_PITCH
    title.paragraph_format.keep_with_next = True
    _paragraph_style(document, "GW Addressee", align=WD_ALIGN_PARAGRAPH.LEFT)
    body = _paragraph_style(document, "GW Body", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _indent_chars(body, first_line=2)
    attachment = _paragraph_style(document, "GW Attachment", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _indent_chars(attachment, left=5, hanging=3)
    signature = _paragraph_style(document, "GW Signature", align=WD_ALIGN_PARAGRAPH.RIGHT)
    signature.paragraph_format.keep_with_next = True
    _indent_chars(signature, right=4)
    record = _paragraph_style(document, "GW Record", size=RECORD_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT, exact_pitch=False)
    _indent_chars(record, left=1, right=1)
    _border(record, "top", "bottom", eighths_of_point=8)
    folio = _paragraph_style(document, "GW Folio", font=SONG, size=FOLIO_SIZE, exact_pitch=False)
    folio.paragraph_format.line_spacing = 1.0
    heading = _paragraph_style(document, "GW Heading", font=HEITI)
    _indent_chars(heading, first_line=2)
    # 作废: a red mark in 黑体 between the 版头 and the title, and the day and reason under it.
    void_mark = _paragraph_style(document, "GW Void Mark", font=HEITI, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    void_mark.font.color.rgb = RED
    void_mark.paragraph_format.space_before = Pt(14.5)
    void_mark.paragraph_format.keep_with_next = True
    void_line = _paragraph_style(document, "GW Void", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    void_line.font.color.rgb = RED
    void_line.paragraph_format.keep_with_next = True

    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    # The folio's top edge 7 mm under the 版心 (a 14 pt line is about 5 mm).
    section.footer_distance = Mm(23)
    document.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.style = folio
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = FOLIO_SIZE
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.style = folio
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = FOLIO_SIZE
    _page_number(even)

    # The body: one paragraph per line below; "{%p ... %}" paragraphs vanish when rendered.
    first = document.paragraphs[0] if document.paragraphs else None
    if first is not None:
        first._p.getparent().remove(first._p)
    add = document.add_paragraph
    add("{{ issuer }}", style=issuer)
    add("{{ number }}", style=number)
    add("{%p if voided %}")
    add("{{ void_mark }}", style=void_mark)
    add("{{ voided }}", style=void_line)
    add("{%p endif %}")
    add("{{ title }}", style=title)
    add("{%p if addressee %}")
    add("{{ addressee }}：", style="GW Addressee")
    add("{%p endif %}")
    add("{%p for paragraph in paragraphs %}")
    add("{{ paragraph }}", style=body)
    add("{%p endfor %}")
    add("{%p if attachments %}")
    add("", style=body)
    add("{%p for line in attachments %}")
    add("{% if loop.first %}附件：{% else %}\u3000\u3000\u3000{% endif %}{{ line }}", style=attachment)
    add("{%p endfor %}")
    add("{%p endif %}")
    # The seal area: three blank lines over the 落款, which the seal presses on.
    for _ in range(3):
        add("", style=signature)
    add("{{ signatory }}", style=signature)
    add("{{ date }}", style=signature)
    add("{%p if notes %}")
    add("", style="Normal")
    add("", style="Normal")
    add("{%p for note in notes %}")
    add("{{ note }}", style=record)
    add("{%p endfor %}")
    add("{%p endif %}")

    core = document.core_properties
    core.title = "公文"
    core.subject = "GB/T 9704-2012"
    core.author = core.last_modified_by = "Zhengming"
    core.comments = "Made by tools/make_gongwen_docx.py; filled by portal/services/gongwen_files.py"
    core.keywords = ""
    core.created = core.modified = FIXED_TIME
    core.last_printed = FIXED_TIME
    core.revision = 1

    raw = io.BytesIO()
    document.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every entry stamped 1980-01-01, so the bytes only change with the content."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="where to write the template (default: %(default)s)")
    args = parser.parse_args(argv)
    content = build()
    with open(args.out, "wb") as handle:
        handle.write(content)
    print(f"{args.out}: {len(content)} bytes")


if __name__ == "__main__":
    main()
