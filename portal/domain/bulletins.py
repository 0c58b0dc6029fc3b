"""典型案例通报: the rules of an anonymised public bulletin of a concluded 诬告陷害 case.

A bulletin is its own small workflow beside the case engine, because it is written after the
case's course is over and outlives it (the case may be shredded; the bulletin stays):

    (none) --draft--> submitted --approve--> published --correct--> published
                  ^       |                       |
                  |    return                  withdraw --> withdrawn
                  +-- returned

A supervisor or leader holding the case drafts it and submits it to one leader of the body;
only that leader, and never the drafter, approves or returns it (four eyes). Approval
publishes it.

The bulletin names the cadre the accusation was about only with their consent (issue 10). The
drafter says so (``names_cadre``); without it a text holding the cadre's name is refused. With
it, submitting asks the cadre, through their receipt, to consent to that exact text: the consent
is bound to a keyed digest of the text, so any later edit asks again, and the leader approves
only a text the cadre consented to. The cadre may decline, or withdraw a consent, until
publication; either returns the draft to its drafter. Once published, a correction of a bulletin
that names the cadre must take the name out (the cadre consented to the published text only);
after the case is shredded there is no cadre to ask nor a name to check, so it is refused.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum

from portal.domain.crypto import equal, expand, keyed_hash
from portal.domain.staff import SUPERVISING_ROLES, StaffRole

#: Longest title, account of what happened, and account of the accuser's treatment.
MAX_TITLE = 200
MAX_FACTS = 5000
MAX_TREATMENT = 2000
#: A name shorter than this (one character) is not searched for in the text: it would match too much.
MIN_NAME = 2


class DraftStatus(StrEnum):
    """Where the staff-side draft stands."""

    SUBMITTED = "submitted"  # awaiting the named leader
    RETURNED = "returned"  # back with the leader's reason; the drafter may submit it again
    PUBLISHED = "published"  # approved and public; changed from then on by correction or withdrawal


class PublicStatus(StrEnum):
    """Where the public bulletin stands."""

    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class ConsentStatus(StrEnum):
    """Where the cadre's consent to be named stands (plain: it is about the bulletin, not the person)."""

    ASKED = "asked"  # the naming text awaits the cadre's answer
    GIVEN = "given"  # the cadre consented to the text whose digest is kept
    DECLINED = "declined"  # the cadre declined, or withdrew their consent; the draft went back


#: Timeline steps of the cadre's consent, shown on their page (no content is kept with them).
NAMING_ASKED = "bulletin_naming_asked"
NAMING_CONSENTED = "bulletin_naming_consented"
NAMING_DECLINED = "bulletin_naming_declined"
NAMING_WITHDRAWN = "bulletin_naming_withdrawn"


class BulletinError(Exception):
    """A bulletin step refused; nothing was written."""


class NotEligible(BulletinError):
    """The case is not a clarification whose accuser was found to have made a malicious
    accusation and was referred (or, once referrals record outcomes, whose referral concluded)."""


class NotDrafter(BulletinError):
    """Only a supervisor or leader drafts a bulletin."""


class NotALeader(BulletinError):
    """Only a leader (分管领导) approves or returns a bulletin."""


class NotTheApprover(BulletinError):
    """The bulletin was submitted to another leader."""


class FourEyes(BulletinError):
    """The drafter never approves or returns their own bulletin, nor submits it to themselves."""


class WrongStatus(BulletinError):
    """The step does not fit where the bulletin stands (approved twice, redrafted while pending...)."""


class InvalidText(BulletinError):
    """A field of the text is empty, too long or dated ahead; ``field`` names it."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class NamesTheCadre(BulletinError):
    """The text holds the cadre's name; ``field`` names where."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class StillNamesTheCadre(NamesTheCadre):
    """A correction of a bulletin naming the cadre keeps their name: they consented to the published text only."""


class NoCadreToAsk(BulletinError):
    """The case of a bulletin naming the cadre was shredded: nobody can consent, no name can be checked."""


class ConsentMissing(BulletinError):
    """The draft names the cadre, who has not consented to this text."""


class NotAsked(BulletinError):
    """The cadre is not asked about a bulletin now (none names them, or it is published)."""


class TextChanged(BulletinError):
    """The text the cadre answered is not the draft's text any more."""


@dataclass(frozen=True)
class BulletinText:
    """What a bulletin says: a title, what happened (anonymised), the accuser's treatment as
    decided, and the date on the bulletin."""

    title: str
    facts: str
    treatment: str
    issued_on: dt.date

    #: Fields of the text, in the order the forms show them.
    FIELDS = ("title", "facts", "treatment", "issued_on")

    def check(self, today: dt.date, cadre_names: Iterable[str] = ()) -> None:
        """Refuse an empty or too long field, a date after today (the bulletin is public from its
        approval), and any field that names the cadre."""
        for name, limit in (("title", MAX_TITLE), ("facts", MAX_FACTS), ("treatment", MAX_TREATMENT)):
            value = getattr(self, name)
            if not value.strip() or len(value) > limit:
                raise InvalidText(name)
        if self.issued_on > today:
            raise InvalidText("issued_on")
        for cadre in cadre_names:
            needle = "".join(cadre.split()).lower()
            if len(needle) < MIN_NAME:
                continue
            for name in ("title", "facts", "treatment"):
                if needle in "".join(getattr(self, name).split()).lower():
                    raise NamesTheCadre(name)

    def to_json(self) -> dict[str, str]:
        return {**asdict(self), "issued_on": self.issued_on.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> BulletinText:
        return cls(data["title"], data["facts"], data["treatment"], dt.date.fromisoformat(data["issued_on"]))

    def digest(self, case_key: bytes) -> bytes:
        """What a consent is bound to: a digest of the text keyed by the case, so a dump confirms no guess."""
        canonical = json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True).encode()
        return keyed_hash(expand(case_key, b"zm-bulletin-consent"), canonical)


def check_draft(role: str, eligible: bool, status: DraftStatus | None) -> None:
    """May this person (who holds the case) write and submit the bulletin now?"""
    if role not in SUPERVISING_ROLES:
        raise NotDrafter(role)
    if not eligible:
        raise NotEligible()
    if status in (DraftStatus.SUBMITTED, DraftStatus.PUBLISHED):
        raise WrongStatus(str(status))


def check_approver(approver_role: str | None, approver_id: int, drafter_id: int) -> None:
    """The leader a draft is submitted to: a leader, and not the drafter."""
    if approver_role != StaffRole.LEADER:
        raise NotALeader(str(approver_role))
    if approver_id == drafter_id:
        raise FourEyes()


def check_decision(
    role: str, actor_id: int, status: DraftStatus | None, drafter_id: int | None, approver_id: int | None
) -> None:
    """May this person approve or return the draft now? Only the named leader, never the drafter."""
    if role != StaffRole.LEADER:
        raise NotALeader(role)
    if actor_id == drafter_id:
        raise FourEyes()
    if actor_id != approver_id:
        raise NotTheApprover()
    if status is not DraftStatus.SUBMITTED:
        raise WrongStatus(str(status))


def check_public_edit(status: PublicStatus) -> None:
    """A correction or withdrawal applies to a published bulletin; a withdrawn one stays as it is."""
    if status is not PublicStatus.PUBLISHED:
        raise WrongStatus(str(status))


def changed(before: BulletinText, after: BulletinText, named: bool = False) -> dict[str, list[str | None]]:
    """What a correction changes: {field: [before, after]} (empty when nothing does). When the
    bulletin named the cadre (``named``), the correction takes the name out, so the public history
    keeps no earlier wording (None): it would still name them."""
    old, new = before.to_json(), after.to_json()
    return {name: [None if named else old[name], new[name]] for name in BulletinText.FIELDS if old[name] != new[name]}


def consent_on_submit(
    names_cadre: bool, consent: ConsentStatus | None, consented: bytes | None, digest: bytes
) -> ConsentStatus | None:
    """The consent a (re)submitted draft carries: none without naming; a consent given to this very
    text stands; anything else asks the cadre (again)."""
    if not names_cadre:
        return None
    if consent is ConsentStatus.GIVEN and consented is not None and equal(consented, digest):
        return ConsentStatus.GIVEN
    return ConsentStatus.ASKED


def check_consented(names_cadre: bool, consent: ConsentStatus | None, consented: bytes | None, digest: bytes) -> None:
    """A naming draft is approved only once the cadre consented to its text as it stands."""
    if not names_cadre:
        return
    if consent is not ConsentStatus.GIVEN or consented is None or not equal(consented, digest):
        raise ConsentMissing()


def answer(status: DraftStatus | None, names_cadre: bool, consent: ConsentStatus | None, agree: bool) -> ConsentStatus:
    """The cadre's answer: consent while asked; decline while asked, or withdraw a consent, until publication."""
    if status not in (DraftStatus.SUBMITTED, DraftStatus.RETURNED) or not names_cadre:
        raise NotAsked()
    if agree and consent is ConsentStatus.ASKED:
        return ConsentStatus.GIVEN
    if not agree and consent in (ConsentStatus.ASKED, ConsentStatus.GIVEN):
        return ConsentStatus.DECLINED
    raise NotAsked()


def check_correction(names_cadre: bool, case_exists: bool) -> None:
    """A bulletin naming the cadre is corrected only while its case (and so its cadre) still exists."""
    if names_cadre and not case_exists:
        raise NoCadreToAsk()
