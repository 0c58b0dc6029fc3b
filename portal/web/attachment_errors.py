"""Messages for refused attachments, in the user's language."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.domain.attachments import AttachmentError, TooLarge, UnsupportedType


def attachment_message(exc: AttachmentError) -> str:
    """Why a file was refused; the file's name is not repeated (it may be sensitive)."""
    if isinstance(exc, UnsupportedType):
        return _("Only JPEG, PNG and PDF files are accepted (checked by content, not by name). Nothing was saved.")
    if isinstance(exc, TooLarge):
        return _("A file is too large: at most 10 MB each. Nothing was saved.")
    return _("A file could not be read; it may be damaged. Nothing was saved.")
