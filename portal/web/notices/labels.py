"""Words of the public notice pages: event kinds and the fields a correction may change."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: History entries on the notice page.
KINDS = {
    "published": _l("Published"),
    "corrected": _l("Corrected"),
    "withdrawn": _l("Withdrawn"),
}

#: Same words as the staff correction form, so both sides name a field alike.
FIELDS = {
    "number": _l("Notice number (文号)"),
    "title": _l("Notice title"),
    "unit": _l("Unit"),
    "post": _l("Post"),
    "allegation": _l("The allegation in brief"),
    "body_html": _l("How it was verified and the finding"),
    "issuer": _l("Issuing body"),
    "issued_on": _l("Date of the notice"),
}


def field_label(name: str):
    return FIELDS.get(name, name)
