"""Hostile files through HTTP: what a reviewer downloads is inert, and a refusal says why."""

from __future__ import annotations

import io
import re
import struct
import zlib

from PIL import Image

from tests.conftest import only_case_id
from tests.factories import ACTIVE_PDF_NAMES, HOSTILE_PDF_MARKERS, gen_hostile_pdf, gen_png, upload


def _downloaded(reviewer, case_id: str) -> bytes:
    page = f"/review/cases/{case_id}"
    link = reviewer.get(page).get_data(as_text=True).split(f'href="{page}/files/')[1].split('"')[0]
    response = reviewer.get(f"{page}/files/{link}")
    assert response.status_code == 200
    return response.data


def test_reviewer_downloads_a_pdf_without_active_content(app, cadre, staff):
    reviewer = staff("pdf_reviewer", "intake")  # new cases are sealed to intake
    filed = cadre.file_concern(files=[upload(gen_hostile_pdf("ZZStillReadable"), "evidence.pdf")])
    assert filed.status_code < 400
    data = _downloaded(reviewer, only_case_id(app))
    assert data.startswith(b"%PDF-") and b"ZZStillReadable" in data
    left = [m for m in HOSTILE_PDF_MARKERS + ACTIVE_PDF_NAMES if m in data]
    assert not left, left


def _png_claiming(width: int, height: int) -> bytes:
    """A few hundred bytes whose header claims width x height pixels."""
    data = bytearray(gen_png(1, 1))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def _field_error(response) -> str:
    found = re.search(r'id="attachments-error">(.*?)</p>', response.get_data(as_text=True), re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else ""


def test_decompression_bomb_is_refused_for_what_it_is(app, cadre, client):
    client.get("/lang/en")
    response = cadre.file_concern(files=[upload(_png_claiming(30_000, 30_000), "bomb.png")])
    error = _field_error(response)
    assert response.status_code == 400
    assert "too large once opened" in error and "40,000,000" in error
    assert "10 MB" not in error


def test_size_messages_read_the_configured_limit(cadre_factory):
    app, cadre, client = cadre_factory(
        MAX_ATTACHMENT_BYTES=2 * 1024 * 1024, MAX_IMAGE_PIXELS=1_000_000, MAX_ATTACHMENTS=3
    )
    assert "最多3个文件" in client.get("/submit/concern").get_data(as_text=True)
    client.get("/lang/en")
    assert "Up to 3 files: JPEG, PNG or PDF, at most 2 MB each." in client.get("/submit/concern").get_data(as_text=True)
    out = io.BytesIO()
    Image.effect_noise((1200, 1200), 64).convert("RGB").save(out, "PNG")
    big = cadre.file_concern(files=[upload(out.getvalue(), "big.png")])
    assert "at most 2 MB each" in _field_error(big)
    wide = cadre.file_concern(files=[upload(_png_claiming(2000, 2000), "wide.png")])
    assert "1,000,000" in _field_error(wide)
    app.config["MAX_CONTENT_LENGTH"] = 1024
    too_much = cadre.file_concern(files=[upload(b"\x89PNG" + b"0" * 2048, "x.png")])
    assert too_much.status_code == 413 and "at most 2 MB, 3 at most" in too_much.get_data(as_text=True)
