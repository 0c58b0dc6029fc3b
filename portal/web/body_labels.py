"""Bodies in words: their kinds, levels and the cadre ranks, for the admin's pages and the cadre's form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.domain.bodies import BodyKind, BodyLevel, Rank

KINDS: dict[str, object] = {
    BodyKind.COMMISSION: _l("Discipline inspection and supervision commission"),
    BodyKind.DISPATCHED: _l("Dispatched discipline inspection group"),
    BodyKind.TOWNSHIP: _l("Township (subdistrict) discipline committee"),
    BodyKind.DEPARTMENT: _l("Functional department"),
}

LEVELS: dict[str, object] = {
    BodyLevel.PROVINCE: _l("Provincial level"),
    BodyLevel.CITY: _l("City level"),
    BodyLevel.COUNTY: _l("County level"),
    BodyLevel.TOWNSHIP: _l("Township level"),
}

RANKS: dict[str, object] = {
    Rank.GENERAL: _l("General cadre"),
    Rank.SECTION: _l("Section level"),
    Rank.DIVISION: _l("Division level"),
    Rank.BUREAU: _l("Bureau level"),
}
