"""Words for people: labels of the domain's codes, in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.domain.cases import Category, ClarificationMode, Harm, Kind, State

KINDS = {
    Kind.CONCERN: _l("Concern"),
    Kind.CLARIFICATION: _l("Clarification request"),
}

CATEGORIES = {
    Category.IDENTITY_BARRIER: _l("Identity barriers and promotion"),
    Category.ROTATION: _l("Exchange and rotation channels"),
    Category.FAULT_TOLERANCE: _l("Fault tolerance and accountability"),
    Category.INCENTIVES: _l("Incentives and pay"),
    Category.WORKLOAD: _l("Workload and formalism"),
    Category.AUTHORITY: _l("Responsibility without authority"),
    Category.OTHER: _l("Other"),
}

#: What the submitter reads for each state.
STATES = {
    State.SUBMITTED: _l("Submitted, waiting to be accepted"),
    State.ACCEPTED: _l("Accepted"),
    State.NOT_ACCEPTED: _l("Not accepted"),
    State.IN_PROGRESS: _l("In progress"),
    State.AWAITING_INFO: _l("Waiting for your reply"),
    State.ANSWERED: _l("Answered"),
    State.CLOSED: _l("Closed"),
    State.VERIFYING: _l("Being verified"),
    State.FOUND_FALSE: _l("Verified: the report was untrue"),
    State.SUBSTANTIATED: _l("Verified: the report was substantiated"),
    State.UNVERIFIABLE: _l("Could not be verified"),
    State.PLAN_PROPOSED: _l("Clarification plan being prepared"),
    State.AWAITING_CONSENT: _l("Waiting for your consent to the plan"),
    State.PLAN_APPROVED: _l("Clarification plan approved"),
    State.CARRIED_OUT: _l("Clarification carried out"),
}

HARMS = {
    Harm.PROMOTION: _l("Promotion or appointment held up"),
    Harm.EVALUATION: _l("Annual evaluation or awards affected"),
    Harm.REPUTATION: _l("Reputation damaged"),
    Harm.DISCIPLINE: _l("Investigated or disciplined"),
    Harm.OTHER: _l("Other"),
}

FORMS = {
    ClarificationMode.WRITTEN: _l("In writing"),
    ClarificationMode.IN_PERSON: _l("In person"),
    ClarificationMode.MEETING: _l("At a meeting"),
    ClarificationMode.PUBLIC_NOTICE: _l("By public notice"),
}

#: Field labels, shared by the forms and the status page.
FIELDS = {
    "category": _l("Category"),
    "subject": _l("Subject"),
    "description": _l("Description"),
    "unit": _l("Unit or area (optional)"),
    "real_name": _l("Your full name"),
    "unit_name": _l("Your unit"),
    "post": _l("Your post"),
    "contact": _l("How to contact you (optional)"),
    "allegation": _l("The untrue allegation"),
    "allegation_source": _l("Where it came from"),
    "harms": _l("How it harmed you"),
    "harm_detail": _l("More about the harm (optional)"),
    "wanted": _l("Clarification you ask for"),
    "wanted_detail": _l("Anything else about the clarification (optional)"),
    "attachments": _l("Attachments (optional)"),
}


def choice_label(field: str, value: str):
    """Label for a stored choice value on the status page."""
    table = {"category": CATEGORIES, "harms": HARMS, "wanted": FORMS}.get(field, {})
    return table.get(value, value)
