"""An issued 公文 as a file: the printable page, the PDF or the .docx, never cached.

Renderings are ``portal.services.gongwen_files``'s; this only answers with them. A PDF or .docx
is a download (``as_attachment``: saved, never shown inline); the printable page is shown. The
file name is the document number, which names the body and the year, never a person.
"""

from __future__ import annotations

from flask import Response

from portal.domain.gongwen import Gongwen
from portal.services import gongwen_files
from portal.web import download

#: The formats offered, and their types.
FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html",
}


def respond(doc: Gongwen, fmt: str) -> Response:
    """The document in ``fmt`` (one of FORMATS), with ``Cache-Control: no-store``."""
    if fmt == "html":
        response = Response(gongwen_files.html(doc), mimetype="text/html")
    else:
        data = gongwen_files.pdf(doc) if fmt == "pdf" else gongwen_files.docx(doc)
        response = download.as_attachment(f"{doc.number}.{fmt}", FORMATS[fmt], data)
    response.headers["Cache-Control"] = "no-store"
    return response
