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
