"""Attachment checks and cleaning, before anything is encrypted.

The type is decided by the bytes, never by the name. Images are decoded and
re-encoded without their metadata (EXIF, GPS, text chunks); PDFs lose their
document information and XMP metadata.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
_EXTENSIONS = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf"}


class AttachmentError(ValueError):
    """Base for a file the portal refuses; `code` says why."""

    code = "invalid"


class UnsupportedType(AttachmentError):
    code = "type"


class TooLarge(AttachmentError):
    code = "size"


class Unreadable(AttachmentError):
    code = "unreadable"


@dataclass(frozen=True)
class CleanFile:
    """A file ready to encrypt."""

    name: str
    mime: str
    data: bytes


def sniff(data: bytes) -> str:
    """The type the content really is; UnsupportedType otherwise."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return PDF
    raise UnsupportedType("only JPEG, PNG and PDF are accepted")


def safe_name(name: str, mime: str) -> str:
    """Keep a readable base name, drop paths and odd characters, fix the extension."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = "".join(ch for ch in stem if ch.isprintable() and ch not in '<>:"|?*')
    return (stem[:80].strip(" .") or "file") + _EXTENSIONS[mime]


def _decode_image(data: bytes, max_pixels: int) -> Image.Image:
    """Decode an untrusted image, upright; any decoder failure means Unreadable."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as img:
                if img.width * img.height > max_pixels:
                    raise TooLarge("image has too many pixels")
                img.load()
                return ImageOps.exif_transpose(img)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise TooLarge("image has too many pixels") from exc
        except AttachmentError:
            raise
        except Exception as exc:  # noqa: BLE001 - a hostile file can break the decoder anywhere
            raise Unreadable("image cannot be decoded") from exc


def _clean_image(data: bytes, mime: str, max_pixels: int) -> bytes:
    upright = _decode_image(data, max_pixels)
    keep = ("RGB", "L") if mime == JPEG else ("RGB", "RGBA", "L", "LA")
    if upright.mode not in keep:
        upright = upright.convert("RGB" if mime == JPEG else "RGBA")
    # A fresh image from raw pixels: no EXIF, GPS, ICC, XMP or text chunk survives.
    pixels = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    out = io.BytesIO()
    if mime == JPEG:
        pixels.save(out, "JPEG", quality=90)
    else:
        pixels.save(out, "PNG", optimize=True)
    return out.getvalue()


def _clean_pdf(data: bytes) -> bytes:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise Unreadable("encrypted PDF")
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        # XMP can hang off the catalog, pages, images...: unlink it everywhere,
        # then drop the streams nothing refers to any more.
        for obj in writer._objects:  # noqa: SLF001 - pypdf offers no public walk
            if isinstance(obj, DictionaryObject) and "/Metadata" in obj:
                del obj["/Metadata"]
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
    except AttachmentError:
        raise
    except Exception as exc:  # noqa: BLE001 - a hostile file can break the parser anywhere
        raise Unreadable("PDF cannot be read") from exc
    return out.getvalue()


def clean(name: str, data: bytes, max_bytes: int, max_pixels: int) -> CleanFile:
    """Check a file by content and size and strip its metadata."""
    if len(data) > max_bytes:
        raise TooLarge("file too large")
    if not data:
        raise Unreadable("empty file")
    mime = sniff(data)
    cleaned = _clean_pdf(data) if mime == PDF else _clean_image(data, mime, max_pixels)
    return CleanFile(name=safe_name(name, mime), mime=mime, data=cleaned)
