"""gen_* factories for test data: files, accounts, cases filed through the services."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from portal.extensions import db
from portal.models import User
from portal.services import accounts

PASSWORD = "correct horse battery staple"


def gen_png(width: int = 24, height: int = 16, color: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def gen_jpeg_with_gps(marker: str = "ZmSecretCamera") -> bytes:
    img = Image.new("RGB", (32, 24), "green")
    exif = img.getexif()
    exif[0x010F] = marker  # Make
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 26.0), 3: "E", 4: (116.0, 23.0, 30.0)}  # GPS
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def gen_pdf(text: str = "ZM-PDF-CONTENT", author: str = "ZmSecretAuthor") -> bytes:
    """A one-page PDF whose content stream carries `text` uncompressed."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode())
    page[NameObject("/Contents")] = writer._add_object(stream)  # noqa: SLF001
    writer.add_metadata({"/Author": author})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def gen_user(username: str = "reviewer1", role: str = "reviewer", password: str = PASSWORD) -> User:
    created = accounts.create_user(username, role, password, confirmed=True)
    return db.session.get(User, created.user_id)


def upload(data: bytes, name: str):
    """A file tuple for the Flask test client."""
    return (io.BytesIO(data), name)


#: Each active part of gen_hostile_pdf carries one of these in plain bytes.
HOSTILE_PDF_MARKERS = (
    b"ZZOpenActionJs",
    b"ZZNextJs",
    b"ZZNamesJs",
    b"ZZPageAA",
    b"ZZUriJs",
    b"ZZLaunch",
    b"ZZSubmit",
    b"ZZImport",
    b"ZZEmbedded",
    b"ZZXfaScript",
    b"ZZFieldJs",
    b"ZZAnnotFile",
)
#: Names that only active content uses; none may be left in a cleaned file.
ACTIVE_PDF_NAMES = (
    b"/JavaScript",
    b"/JS",
    b"/OpenAction",
    b"/AA",
    b"/Launch",
    b"/SubmitForm",
    b"/ImportData",
    b"/EmbeddedFile",
    b"/AcroForm",
    b"/XFA",
    b"/URI",
    b"/FileAttachment",
)


def gen_hostile_pdf(text: str = "ZM-PDF-CONTENT") -> bytes:
    """gen_pdf's page plus every kind of active content a PDF can carry."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, NumberObject, RectangleObject, TextStringObject

    def js(code: str) -> DictionaryObject:
        return DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(code)}
        )

    def action(kind: str, **entries) -> DictionaryObject:
        return DictionaryObject(
            {
                NameObject("/S"): NameObject(kind),
                **{NameObject("/" + k): TextStringObject(v) for k, v in entries.items()},
            }
        )

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(gen_pdf(text))))
    page = writer.pages[0]
    opening = js("app.alert('ZZOpenActionJs')")
    opening[NameObject("/Next")] = js("app.alert('ZZNextJs')")
    writer.root_object[NameObject("/OpenAction")] = opening
    scripts = DictionaryObject(
        {
            NameObject("/Names"): ArrayObject(
                [TextStringObject("startup"), writer._add_object(js("app.alert('ZZNamesJs')"))]
            )
        }
    )  # noqa: SLF001
    writer.root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): scripts})
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): js("app.alert('ZZPageAA')")})
    links = [
        action("/URI", URI="javascript:ZZUriJs()"),
        action("/Launch", F="ZZLaunch.exe"),
        action("/SubmitForm", F="http://ZZSubmit.example/"),
        action("/ImportData", F="ZZImport.fdf"),
    ]
    annots = ArrayObject()
    for i, link in enumerate(links):
        annots.append(
            writer._add_object(
                DictionaryObject(
                    {  # noqa: SLF001
                        NameObject("/Type"): NameObject("/Annot"),
                        NameObject("/Subtype"): NameObject("/Link"),
                        NameObject("/Rect"): RectangleObject([0, i * 20, 20, i * 20 + 20]),
                        NameObject("/A"): link,
                    }
                )
            )
        )
    field = writer._add_object(
        DictionaryObject(
            {  # noqa: SLF001
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Widget"),
                NameObject("/FT"): NameObject("/Tx"),
                NameObject("/T"): TextStringObject("name"),
                NameObject("/Rect"): RectangleObject([100, 100, 180, 120]),
                NameObject("/AA"): DictionaryObject({NameObject("/K"): js("ZZFieldJs()")}),
            }
        )
    )
    annots.append(field)
    attached = writer._add_object(
        DictionaryObject(
            {  # noqa: SLF001
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/FileAttachment"),
                NameObject("/Rect"): RectangleObject([0, 150, 20, 170]),
                NameObject("/Contents"): TextStringObject("ZZAnnotFile"),
            }
        )
    )
    annots.append(attached)
    page[NameObject("/Annots")] = annots
    xfa = DecodedStreamObject()
    xfa.set_data(b"<xdp:xdp><script>ZZXfaScript()</script></xdp:xdp>")
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject([field]),
            NameObject("/XFA"): writer._add_object(xfa),  # noqa: SLF001
            NameObject("/NeedAppearances"): NumberObject(1),
        }
    )
    writer.add_attachment("ZZEmbedded.txt", b"ZZEmbedded data")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
