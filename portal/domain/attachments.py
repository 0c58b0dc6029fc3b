"""Attachment checks and cleaning, before anything is encrypted.

The type is decided by the bytes, never by the name. Images are decoded and
re-encoded without their metadata (EXIF, GPS, text chunks); PDFs lose their
document information and XMP metadata, and every active part (see
`portal.domain.pdf_scrub`).

Pillow and pypdf are imported by the first file that needs them: most requests
(and every start-up) need neither.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image as PilImage

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


class TooLargeWhenOpened(TooLarge):
    """Small on disk, huge once decoded (a decompression bomb, or just an enormous scan)."""

    code = "expands"


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


def _decode_image(data: bytes, max_pixels: int) -> PilImage:
    """Decode an untrusted image, upright; any decoder failure means Unreadable."""
    from PIL import Image, ImageFile, ImageOps

    # A truncated image must fail to load. The flag is process-wide and WeasyPrint sets it when
    # it is imported (portal.services.gongwen_files undoes that too): never trust it here.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data))
            if img.width * img.height > max_pixels:
                raise TooLargeWhenOpened("image has too many pixels")
            img.load()
            # Turned upright in place: a copy of the pixels only when the EXIF asks for a turn.
            ImageOps.exif_transpose(img, in_place=True)
            return img
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise TooLargeWhenOpened("image has too many pixels") from exc
        except AttachmentError:
            raise
        except Exception as exc:  # noqa: BLE001 - a hostile file can break the decoder anywhere
            raise Unreadable("image cannot be decoded") from exc


def _clean_image(data: bytes, mime: str, max_pixels: int) -> bytes:
    pixels = _decode_image(data, max_pixels)
    keep = ("RGB", "L") if mime == JPEG else ("RGB", "RGBA", "L", "LA")
    if pixels.mode not in keep:  # CMYK, palette...: the one case where a converted copy is needed
        pixels = pixels.convert("RGB" if mime == JPEG else "RGBA")
    # Encoded from the decoded pixels alone, with no copy of them: the encoders write EXIF, XMP,
    # ICC or text only when save() is given them, except what they take from `info` (PNG's ICC
    # profile and transparency, JPEG's comment), so `info` is emptied first. Nothing survives.
    pixels.info.clear()
    out = io.BytesIO()
    if mime == JPEG:
        pixels.save(out, "JPEG", quality=90)
    else:
        pixels.save(out, "PNG", optimize=True)
    return out.getvalue()


def _clean_pdf(data: bytes) -> bytes:
    from portal.domain import pdf_scrub  # pypdf: imported by the first PDF, not at start-up

    try:
        return pdf_scrub.clean_pdf(data)
    except pdf_scrub.LimitReachedError as exc:
        raise TooLargeWhenOpened("PDF expands beyond pypdf's limits") from exc
    except pdf_scrub.EncryptedPdf as exc:
        raise Unreadable("encrypted PDF") from exc
    except Exception as exc:  # noqa: BLE001 - a hostile file can break the parser anywhere
        raise Unreadable("PDF cannot be read") from exc


def clean(name: str, data: bytes, max_bytes: int, max_pixels: int) -> CleanFile:
    """Check a file by content and size and strip its metadata."""
    if len(data) > max_bytes:
        raise TooLarge("file too large")
    if not data:
        raise Unreadable("empty file")
    mime = sniff(data)
    cleaned = _clean_pdf(data) if mime == PDF else _clean_image(data, mime, max_pixels)
    return CleanFile(name=safe_name(name, mime), mime=mime, data=cleaned)
