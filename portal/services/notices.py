"""Publishing, correcting and withdrawing notices; the history is kept and shown."""

from __future__ import annotations

import datetime as dt
import json

from portal.domain.clock import this_hour
from portal.domain.notice_text import clean_html, grams, plain_text, search_text
from portal.domain.plan import NoticeDraft
from portal.domain.workflow_rules import NOTICE_EDITORS
from portal.extensions import db
from portal.models import Case, Notice, NoticeGram, NoticeRevision, User
from portal.services import audit, bodies, case_state, corrections, form_tokens, notices_public, timeline
from portal.services.errors import ServiceError
from portal.services.transaction import use_case

#: Fields a correction may change (the person's naming is theirs: a new consent would be needed).
CORRECTABLE = ("number", "title", "unit", "post", "allegation", "body_html", "issuer", "issued_on")


class NoSuchNotice(ServiceError):
    """No notice with this id."""


class NotPublished(ServiceError):
    """A withdrawn notice is not corrected or withdrawn again."""


class NothingChanged(ServiceError):
    """A correction must change something."""


class SupervisorsOnly(ServiceError):
    """Only supervisors and leaders of the issuing body correct or withdraw its notices."""


class ClarifiedItemsFixed(ServiceError):
    """A 部分失实 notice clarifies the items found untrue, and only those: no free-text allegation is
    added by a correction (its history would publish it) (issue 10)."""


class FutureNoticeDate(ServiceError):
    """A notice is published when it is approved or corrected, so its date cannot lie ahead."""


def check_issued_on(issued_on: dt.date | None) -> None:
    """Refuse a notice date after today (in China): the page would be public before that date."""
    if issued_on is not None and issued_on > case_state.today():
        raise FutureNoticeDate(issued_on.isoformat())


def _index(notice: Notice) -> None:
    """Set the search text, and (once the notice has an id) its grams to match it."""
    _search_text(notice)
    if notice.id is not None:
        _store_grams(notice)


def _store_grams(notice: Notice) -> None:
    """Replace the notice's rows in the gram index with those of its current search text.

    Every publication, correction and withdrawal passes here: this worker forgets the versions it
    remembered, so its next public page shows the change.
    """
    notices_public.forget_versions()
    db.session.execute(db.delete(NoticeGram).where(NoticeGram.notice_id == notice.id))
    found = sorted(grams(notice.search_text))
    if found:
        db.session.execute(db.insert(NoticeGram), [{"gram": g, "notice_id": notice.id} for g in found])


def _search_text(notice: Notice) -> None:
    if notice.status == "withdrawn":
        # Only the stub stays findable: never the cadre's name, unit or the allegation's words.
        notice.search_text = search_text(notice.number)
        return
    notice.search_text = search_text(
        notice.number,
        notice.title,
        notice.person,
        notice.unit,
        notice.post,
        notice.allegation,
        *notice.clarified,
        plain_text(notice.body_html),
        notice.issuer,
    )


def publish(draft: NoticeDraft, case_id: str | None, body_id: int | None = None) -> Notice:
    """Make a consented, approved draft public, verbatim (caller commits); never before its date.

    The issuing body is the case's (or ``body_id``, or the default body, for a notice without one)."""
    check_issued_on(draft.issued_on)
    now = this_hour()
    if case_id is not None:
        body_id = db.session.scalar(db.select(Case.body_id).where(Case.id == case_id))
    elif body_id is None:
        body_id = bodies.default_id()
    notice = Notice(
        case_id=case_id,
        body_id=body_id,
        number=draft.number,
        title=draft.title,
        person=draft.person,
        unit=draft.unit,
        post=draft.post,
        allegation=draft.allegation,
        body_html=clean_html(draft.body_html),
        issuer=draft.issuer,
        issued_on=draft.issued_on,
        clarified_items=json.dumps(list(draft.clarified_items), ensure_ascii=False) if draft.clarified_items else None,
        status="published",
        published_at=now,
        updated_at=now,
    )
    _index(notice)
    db.session.add(notice)
    db.session.flush()
    _store_grams(notice)
    db.session.add(NoticeRevision(notice_id=notice.id, kind="published", at=now))
    return notice


def _editable(user: User, notice_id: int) -> Notice:
    """A notice its issuing body's editor may still correct or withdraw."""
    notice = for_staff(user, notice_id)
    if notice.status != "published":
        raise NotPublished(str(notice_id))
    return notice


def _tell_submitter(notice: Notice, action: str) -> None:
    """A step on the cadre's status page (the reason is on the public page)."""
    case = db.session.get(Case, notice.case_id) if notice.case_id else None
    if case is not None:
        timeline.add_event(case, None, case.state, action, None, True, None)


def for_staff(user: User, notice_id: int) -> Notice:
    """A notice for its issuing body's staff page, whatever its status; NoSuchNotice if there is
    none, SupervisorsOnly for an editor of another body."""
    if user.role not in NOTICE_EDITORS:
        raise SupervisorsOnly()
    notice = db.session.get(Notice, notice_id)
    if notice is None:
        raise NoSuchNotice(str(notice_id))
    if notice.body_id != user.body_id:
        raise SupervisorsOnly("another body issued it")
    return notice


def correction_pending(notice: Notice) -> bool:
    """Whether a correction of this notice waits for the cadre's consent."""
    case = db.session.get(Case, notice.case_id) if notice.case_id else None
    return bool(case is not None and case.correction_pending)


def _diff(notice: Notice, changes: dict) -> dict[str, list[str]]:
    """What a correction would change: {field: [published, proposed]}."""
    if "body_html" in changes:
        changes = {**changes, "body_html": clean_html(changes["body_html"])}
    return {
        name: [str(getattr(notice, name)), str(changes[name])]
        for name in CORRECTABLE
        if name in changes and changes[name] != getattr(notice, name)
    }


@use_case
def correct(
    user: User, private_key: bytes | None, notice_id: int, changes: dict, reason: str, form_token: str | None
) -> bool:
    """更正: True when published now; False when it changes what is said about the cadre and so
    waits for their consent (the published text stays until then)."""
    form_tokens.spend(form_token)  # first: a replay is told so whatever else would be said
    notice = _editable(user, notice_id)
    check_issued_on(changes.get("issued_on"))
    diff = _diff(notice, changes)
    if not diff:
        raise NothingChanged()
    if notice.clarified and "allegation" in diff:
        raise ClarifiedItemsFixed(str(notice.id))
    if corrections.needs_consent(notice, diff):
        corrections.propose(user, private_key, notice, {name: after for name, (_, after) in diff.items()}, reason)
        audit.record(
            "notice_correction_proposed", actor_id=user.id, case_id=notice.case_id, detail=f"notice:{notice.id}"
        )
        db.session.commit()
        return False
    publish_correction(notice, {name: after for name, (_, after) in diff.items()}, reason)
    audit.record("notice_corrected", actor_id=user.id, case_id=notice.case_id, detail=f"notice:{notice.id}")
    db.session.commit()
    return True


def publish_correction(notice: Notice, values: dict[str, str], reason: str) -> None:
    """Replace the public text, keeping what changed and why in the history (caller audits, commits)."""
    if notice.status != "published":
        raise NotPublished(str(notice.id))
    changes: dict[str, object] = dict(values)
    if "issued_on" in values:
        changes["issued_on"] = dt.date.fromisoformat(values["issued_on"])
    diff = _diff(notice, changes)
    for name in diff:
        setattr(notice, name, changes[name] if name != "body_html" else clean_html(str(changes[name])))
    _index(notice)
    notice.updated_at = this_hour()
    db.session.add(
        NoticeRevision(
            notice_id=notice.id,
            kind="corrected",
            at=notice.updated_at,
            reason=reason,
            changes=json.dumps(diff, ensure_ascii=False),
        )
    )
    _tell_submitter(notice, "notice_corrected")


def withdrawable(user: User, notice_id: int) -> Notice:
    """Raise what withdraw() would refuse, writing nothing, so the withdrawal is confirmed only when it can happen."""
    return _editable(user, notice_id)


@use_case
def withdraw(user: User, notice_id: int, reason: str, form_token: str | None) -> Notice:
    """撤回: a public stub stays, marked withdrawn, with the reason; what it said about the cadre
    leaves the page, the search and the feed (staff keep the full history)."""
    form_tokens.spend(form_token)  # first: a replay is told so whatever else would be said
    notice = _editable(user, notice_id)
    corrections.drop(user, notice)
    notice.status = "withdrawn"
    notice.withdrawn_reason = reason
    _index(notice)
    notice.updated_at = this_hour()
    db.session.add(NoticeRevision(notice_id=notice.id, kind="withdrawn", at=notice.updated_at, reason=reason))
    _tell_submitter(notice, "notice_withdrawn")
    audit.record("notice_withdrawn", actor_id=user.id, case_id=notice.case_id, detail=f"notice:{notice.id}")
    db.session.commit()
    return notice
