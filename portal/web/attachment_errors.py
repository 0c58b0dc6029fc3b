"""Messages for refused attachments, in the user's language."""

from __future__ import annotations

from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _

from portal.domain.attachments import AttachmentError, TooLarge, TooLargeWhenOpened, UnsupportedType


def megabytes(size: int) -> str:
    """A byte limit as the MB figure people read (10485760 -> "10")."""
    return format_number(round(size / (1024 * 1024), 1)).removesuffix(".0")


def attachment_message(exc: AttachmentError) -> str:
    """Why a file was refused; the file's name is not repeated (it may be sensitive)."""
    if isinstance(exc, UnsupportedType):
        return _("Only JPEG, PNG and PDF files are accepted (checked by content, not by name). Nothing was saved.")
    if isinstance(exc, TooLargeWhenOpened):
        return _(
            "A file is small on disk but too large once opened: an image may have at most %(pixels)s "
            "pixels, and a PDF must not unpack into more than the portal can check. Nothing was saved.",
            pixels=format_number(current_app.config["MAX_IMAGE_PIXELS"]),
        )
    if isinstance(exc, TooLarge):
        return _(
            "A file is too large: at most %(size)s MB each. Nothing was saved.",
            size=megabytes(current_app.config["MAX_ATTACHMENT_BYTES"]),
        )
    return _("A file could not be read; it may be damaged. Nothing was saved.")
