"""Removing what makes a PDF act or tell: document information, XMP, scripts, actions, files.

Imported by `portal.domain.attachments` when a PDF arrives (pypdf is heavy to import).
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

__all__ = ["EncryptedPdf", "LimitReachedError", "clean_pdf"]


class EncryptedPdf(ValueError):
    """An encrypted PDF cannot be checked, so it is refused."""


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


def clean_pdf(data: bytes) -> bytes:
    """The PDF rewritten without metadata or active parts; pypdf's errors pass through."""
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise EncryptedPdf("encrypted PDF")
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
    return out.getvalue()
