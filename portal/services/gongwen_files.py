"""The three files of one 公文: a standalone HTML page, a PDF and an editable .docx.

All three render the same ``portal.domain.gongwen.Gongwen`` and lay it out as GB/T
9704-2012 does on A4 (版头 in red with the 发文字号 over a red rule, centred title, 主送,
text in 3号仿宋 with a two-character indent, 附件说明, 落款 and 成文日期 over a blank seal
area, 版记), so the printable view, the PDF and the Word file never disagree. A voided document
carries its 作废 mark (（已作废）, the day and the reason) in red between the 版头 and the title in all three.

- ``html`` renders ``templates/documents/gongwen.html`` with Jinja directly (its own
  environment, autoescape on, no Flask needed: it works outside an app context too); the
  page links ``static/gongwen.css`` (through ``url_for`` when there is a request, so it
  gets the content-hashed address, else ``/static/gongwen.css``). No script, no inline
  style: the portal's CSP holds for it.
- ``pdf`` feeds that HTML to WeasyPrint with a ``url_fetcher`` that serves only files
  under the portal's ``static/`` folder and refuses everything else, so rendering never
  touches the network. Fonts come from fontconfig: the 公文 fonts when installed, else Noto
  CJK (Debian ``fonts-noto-cjk``); the text stays real text (pypdf reads it back).
- ``docx`` fills ``templates/documents/gongwen.docx`` (made by ``tools/make_gongwen_docx.py``)
  with docxtpl, autoescaped: every value is plain text, markup or Jinja in it comes out
  literally.

Every value is plain text; nothing here logs or stores anything.
"""

from __future__ import annotations

import functools
import io
import mimetypes
import os
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
from flask import has_request_context, url_for

from portal.domain.gongwen import VOID_MARK, Gongwen, written_date

__all__ = ["ForbiddenFetch", "docx", "fetch_static", "html", "pdf"]

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
#: The portal's static files, the only thing the PDF renderer may load.
STATIC_FOLDER = os.path.join(_ROOT, "static")
TEMPLATE_FOLDER = os.path.join(_ROOT, "templates", "documents")
DOCX_TEMPLATE = os.path.join(TEMPLATE_FOLDER, "gongwen.docx")
STYLESHEET = "gongwen.css"
#: WeasyPrint resolves the page's relative addresses against this; ``.invalid`` never resolves,
#: and the fetcher below never opens a connection anyway.
_BASE_URL = "https://portal.invalid/"
_STATIC_PATH = "/static/"

_jinja = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATE_FOLDER),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=False,
)


class ForbiddenFetch(ValueError):
    """The PDF renderer asked for something other than one of the portal's static files."""


def _paragraphs(doc: Gongwen) -> list[str]:
    return [p for p in doc.paragraphs if p.strip()]


def _stylesheet_url() -> str:
    if has_request_context():
        return url_for("static", filename=STYLESHEET)
    return _STATIC_PATH + STYLESHEET


def html(doc: Gongwen) -> str:
    """A complete standalone HTML page of the document (Jinja, autoescaped; no app context needed)."""
    return _page(doc, _stylesheet_url())


def _page(doc: Gongwen, css_url: str) -> str:
    return _jinja.get_template("gongwen.html").render(
        doc=doc,
        paragraphs=_paragraphs(doc),
        written_date=written_date(doc.date),
        css_url=css_url,
        void_mark=VOID_MARK,
    )


def fetch_static(url: str) -> tuple[bytes, str]:
    """The content and type of the static file ``url`` names; ``ForbiddenFetch`` for anything else.

    Only the page's own ``/static/...`` addresses (resolved against the fake base) qualify:
    another host, a ``file:`` or ``data:`` address, or a path leaving ``static/`` is refused.
    """
    parts = urlsplit(url)
    base = urlsplit(_BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(_STATIC_PATH):
        raise ForbiddenFetch("only the portal's static files may be loaded")
    relative = unquote(parts.path[len(_STATIC_PATH) :])
    folder = os.path.realpath(STATIC_FOLDER)
    path = os.path.realpath(os.path.join(folder, relative))
    if os.path.commonpath([folder, path]) != folder or not os.path.isfile(path):
        raise ForbiddenFetch("no such static file")
    with open(path, "rb") as handle:
        content = handle.read()
    return content, mimetypes.guess_type(path)[0] or "application/octet-stream"


@functools.cache
def _fetcher_class() -> Any:
    """WeasyPrint's fetcher with ``fetch`` replaced by ``fetch_static`` (built on first use)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves ``fetch_static``; never opens a connection, a ``file:`` or a ``data:`` address."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            content, mime_type = fetch_static(url)
            return URLFetcherResponse(url, content, {"Content-Type": mime_type})

    return StaticOnlyFetcher


def pdf(doc: Gongwen) -> bytes:
    """The document as an A4 PDF: WeasyPrint from ``html(doc)``, nothing fetched but static files."""
    # The plain address, even in a request: a prefix the app is mounted under means nothing here.
    return pdf_of_page(_page(doc, _STATIC_PATH + STYLESHEET))


def pdf_of_page(page: str) -> bytes:
    """Any of the portal's own HTML pages as a PDF (print media), nothing fetched but static files."""
    import weasyprint  # imported here: loading pango takes a while, and most requests never need it
    from PIL import ImageFile

    # Importing WeasyPrint turns PIL's LOAD_TRUNCATED_IMAGES on for the whole process, which would let
    # a truncated upload through photo cleaning in this worker; the portal feeds WeasyPrint no image.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    fetcher = _fetcher_class()(fail_on_errors=True)
    rendered = weasyprint.HTML(string=page, base_url=_BASE_URL, url_fetcher=fetcher).write_pdf()
    assert isinstance(rendered, bytes)
    return rendered


def docx(doc: Gongwen) -> bytes:
    """The document as an editable .docx: docxtpl over ``gongwen.docx``, every value autoescaped."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(DOCX_TEMPLATE)
    attachments = [f"{i}．{line}" for i, line in enumerate(doc.attachments, start=1)]
    if len(attachments) == 1:
        attachments = list(doc.attachments)
    template.render(
        {
            "issuer": doc.issuer,
            "number": doc.number,
            "title": doc.title,
            "addressee": doc.addressee or "",
            "paragraphs": _paragraphs(doc),
            "attachments": attachments,
            "signatory": doc.signatory,
            "date": written_date(doc.date),
            "notes": list(doc.notes),
            "void_mark": VOID_MARK if doc.voided else "",
            "voided": doc.voided or "",
        },
        autoescape=True,
    )
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
