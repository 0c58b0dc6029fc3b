"""Attachment checks and cleaning, before anything is encrypted.

The type is decided by the bytes, never by the name. Images are decoded and
re-encoded without their metadata (EXIF, GPS, text chunks); PDFs lose their
document information and XMP metadata, and every active part (see `_scrub`).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

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


def _decode_image(data: bytes, max_pixels: int) -> Image.Image:
    """Decode an untrusted image, upright; any decoder failure means Unreadable."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as img:
                if img.width * img.height > max_pixels:
                    raise TooLargeWhenOpened("image has too many pixels")
                img.load()
                return ImageOps.exif_transpose(img)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise TooLargeWhenOpened("image has too many pixels") from exc
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


#: Keys that make a PDF act: actions, scripts, forms (AcroForm holds XFA and
#: field scripts), embedded files and rich media. Links go too: a reviewer's
#: copy is evidence to read, not a document to click through.
_ACTIVE_KEYS = frozenset(
    {
        "/OpenAction",
        "/AA",
        "/JS",
        "/JavaScript",
        "/EmbeddedFiles",
        "/EF",
        "/AcroForm",
        "/XFA",
        "/RichMediaContent",
        "/Collection",
        "/URI",
    }
)
#: Annotations that exist only to carry files, media or scripts. Form widgets stay
#: (their appearance shows what was filled in); their actions go with /A and /AA.
_ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/Movie", "/Sound", "/Screen", "/RichMedia", "/3D"})
_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/URI", "/GoToE", "/GoToR"})


def _resolved(value: PdfObject | None) -> PdfObject | None:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _is_action(value: PdfObject) -> bool:
    target = _resolved(value)
    return isinstance(target, DictionaryObject) and ("/S" in target or "/JS" in target)


def _is_active_annotation(value: PdfObject) -> bool:
    target = _resolved(value)
    return isinstance(target, DictionaryObject) and target.get("/Subtype") in _ACTIVE_ANNOTATIONS


def _scrub(obj: PdfObject) -> None:
    """Remove every active key from obj and the direct objects inside it (indirect ones are walked too)."""
    if isinstance(obj, DictionaryObject):
        for key in [k for k in obj if k in _ACTIVE_KEYS or (k == "/A" and _is_action(obj[k]))]:
            del obj[key]
        if obj.get("/S") in _ACTIVE_ACTIONS or obj.get("/Type") == "/Filespec":
            obj.clear()  # an action or file reference on its own object (e.g. reached through /Next)
        annots = _resolved(obj.get("/Annots"))
        if isinstance(annots, ArrayObject):
            annots[:] = [a for a in annots if not _is_active_annotation(a)]
        children = list(obj.values())
    elif isinstance(obj, ArrayObject):
        children = list(obj)
    else:
        return
    for child in children:
        if not isinstance(child, IndirectObject):
            _scrub(child)


def _clean_pdf(data: bytes) -> bytes:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise Unreadable("encrypted PDF")
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        for obj in writer._objects:  # noqa: SLF001 - pypdf offers no public walk
            if obj is not None:
                _scrub(obj)
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
    except LimitReachedError as exc:
        raise TooLargeWhenOpened("PDF expands beyond pypdf's limits") from exc
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
