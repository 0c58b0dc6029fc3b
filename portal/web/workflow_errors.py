"""Messages for the workflow engine's refusals, in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.domain.workflow import WorkflowError

_MESSAGES = {
    "not_permitted": _l("Your role or assignment does not allow this."),
    "wrong_state": _l("This is not possible in the case's current state."),
    "reason_required": _l("Please give a reason or text for this step."),
    "four_eyes": _l("Four eyes: someone other than the proposer must approve or return this."),
    "window_closed": _l("The 15-day period for an objection has ended."),
    "already_used": _l("An objection can be made only once."),
    "missing_choice": _l("Please make a choice for this step."),
}


def workflow_message(exc: WorkflowError) -> str:
    """The message for an engine refusal; unknown codes get the generic one."""
    return str(_MESSAGES.get(exc.code, _MESSAGES["wrong_state"]))
