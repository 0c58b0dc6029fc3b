"""Words for people: labels of the domain's codes, in the user's language."""

from __future__ import annotations

from types import SimpleNamespace

from flask_babel import lazy_gettext as _l

from portal.domain.cases import Category, ClarificationMode, Harm, Kind, State
from portal.web.body_labels import RANKS

KINDS = {
    Kind.CONCERN: _l("Concern"),
    Kind.CLARIFICATION: _l("Clarification request"),
    Kind.FAULT_TOLERANCE: _l("Fault-tolerance application"),
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
    State.FINDING_PROPOSED: _l("Being verified"),
    State.FOUND_FALSE: _l("Verified: the report was untrue"),
    State.SUBSTANTIATED: _l("Verified: the report was substantiated"),
    State.UNVERIFIABLE: _l("Could not be verified"),
    State.AWAITING_CONSENT: _l("Waiting for your consent to the plan"),
    State.PLAN_CONSENTED: _l("You consented; the plan awaits approval"),
    State.PLAN_APPROVED: _l("Clarification plan approved"),
    State.CARRIED_OUT: _l("Clarification carried out"),
    # -- fault tolerance (issue 10) --
    State.DECISION_PROPOSED: _l("Being decided"),
    State.COLLECTIVELY_DECIDED: _l("Being decided"),
    State.DECIDED: _l("Decided"),
}

HARMS = {
    Harm.PROMOTION: _l("Promotion or appointment held up"),
    Harm.EVALUATION: _l("Annual evaluation or awards affected"),
    Harm.REPUTATION: _l("Reputation damaged"),
    Harm.DISCIPLINE: _l("Investigated or disciplined"),
    Harm.OTHER: _l("Other"),
}

MODES = {
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
    "rank": _l("Your rank"),
    "contact": _l("How to contact you (optional)"),
    "allegation": _l("The untrue allegation"),
    "allegation_source": _l("Where it came from"),
    "harms": _l("How it harmed you"),
    "harm_detail": _l("More about the harm (optional)"),
    "wanted": _l("Clarification you ask for"),
    "wanted_detail": _l("Anything else about the clarification (optional)"),
    "attachments": _l("Attachments (optional)"),
    # -- fault tolerance (issue 10) --
    "filed_by": _l("Who files the application"),
    "unit_contact": _l("Contact person of the unit (if the unit files)"),
    "matter": _l("The matter and the decision you took"),
    "fault": _l("The fault or loss that resulted"),
    "accountability": _l("The accountability you face"),
    "accountability_detail": _l("More about the accountability"),
    "distinctions": _l("Which of the three distinctions you invoke"),
    "distinction_reason": _l("Why it applies"),
}


#: The same fields where they are read back, not filled in: nothing there is "optional".
READ_FIELDS = {
    **FIELDS,
    "unit": _l("Unit or area"),
    "contact": _l("How to contact you"),
    "harm_detail": _l("More about the harm"),
    "wanted_detail": _l("Anything else about the clarification"),
    "attachments": _l("Attachments"),
}

#: The fields as staff read them: the cadre is the applicant (申请人), not "you".
STAFF_FIELDS = {
    **READ_FIELDS,
    "real_name": _l("Name"),
    "unit_name": _l("Unit"),
    "post": _l("Post"),
    "rank": _l("Rank"),
    "contact": _l("How to contact the applicant"),
    "harms": _l("How it harmed the applicant"),
    "wanted": _l("Clarification the applicant asks for"),
    # -- fault tolerance (issue 10) --
    "matter": _l("The matter and the decision taken"),
    "fault": _l("The fault or loss"),
    "accountability": _l("The accountability the applicant faces"),
    "distinctions": _l("The three distinctions invoked"),
}


def choice_label(field: str, value: str):
    """Label for a stored choice value on the status page."""
    tables: dict[str, dict] = {
        "category": CATEGORIES,
        "harms": HARMS,
        "wanted": MODES,
        "rank": RANKS,
        **TOLERANCE_CHOICES,  # fault tolerance (issue 10)
    }
    table = tables.get(field, {})
    return table.get(value, value)


from portal.domain.cases import AccusationFlag, Finding, RefusalReason  # noqa: E402
from portal.domain.workflow import Action  # noqa: E402
from portal.domain.workflow_rules import CORRECTION_ACTIONS  # noqa: E402

QUEUES = {
    "new": _l("New"),
    "mine": _l("Assigned to me"),
    "approval": _l("Waiting for my approval"),
    "overdue": _l("Overdue"),
    "all": _l("All"),
}

#: Which deadline applies now, as the work list names it (services.queues.Row.deadline).
DEADLINES = {
    "accept": _l("to accept or refuse"),
    "answer": _l("to answer"),
    "carry_out": _l("to carry out the clarification"),
    # -- real-name concerns and 回访 (issue 10) --
    "tell_accept": _l("to tell the real-name submitter whether it is accepted"),
    "tell_result": _l("to tell the real-name submitter the result"),
    "visit": _l("for the follow-up visit (回访)"),
}

#: Button labels of the workflow actions offered to staff.
ACTIONS = {
    Action.TAKE: _l("Take the case over"),
    Action.ASSIGN: _l("Reassign"),
    Action.ACCEPT: _l("Accept and assign"),
    Action.REFUSE: _l("Do not accept"),
    Action.START: _l("Start handling"),
    Action.VERIFY: _l("Start verification"),
    Action.ASK: _l("Ask the submitter"),
    Action.RESUME: _l("Continue without a reply"),
    Action.ANSWER: _l("Answer and conclude"),
    Action.CLOSE: _l("Close"),
    Action.PROPOSE_FINDING: _l("Propose a finding"),
    Action.APPROVE_FINDING: _l("Approve the finding"),
    Action.RETURN_FINDING: _l("Return the finding"),
    Action.DRAFT_PLAN: _l("Write the clarification plan"),
    Action.APPROVE_PLAN: _l("Approve the plan and publish"),
    Action.RETURN_PLAN: _l("Return the plan"),
    Action.CARRY_OUT: _l("Mark the clarification carried out"),
    Action.FLAG: _l("Judge the accusation"),
    Action.REFER: _l("Refer"),
    Action.TRANSFER: _l("Transfer to another body"),
    # -- the 诬告陷害 ledger (issue 10) --
    Action.REFERRAL_FILED: _l("Record the filing (立案) of a referral"),
    Action.REFERRAL_HANDLED: _l("Record the outcome (处理结果) of a referral"),
    Action.REFERRAL_NOT_PURSUED: _l("Record that a referral is not pursued (不予追究)"),
    Action.EDUCATE: _l("Record the reminder and education (提醒教育) of the accuser"),
    # -- fault tolerance (issue 10) --
    Action.PROPOSE_DECISION: _l("Propose a fault-tolerance decision"),
    Action.RECORD_COLLECTIVE: _l("Record the collective decision"),
    Action.RETURN_DECISION: _l("Return the decision"),
    Action.APPROVE_DECISION: _l("Approve the decision"),
    Action.RECORD_MEASURE: _l("Record a correction measure as done"),
    Action.TELL_RESULT: _l("Tell the submitter the result"),  # issue 10
    Action.CHECK_ACCUSER: _l("Record the check of the accuser (一信双查)"),  # h11x
}

#: The case page groups the actions allowed now under these headings, in this order.
ACTION_GROUPS = {
    "handling": (_l("Who handles it"), (Action.TAKE, Action.ASSIGN, Action.TRANSFER)),
    "steps": (
        _l("Next step"),
        (
            Action.ACCEPT,
            Action.REFUSE,
            Action.START,
            Action.VERIFY,
            Action.ASK,
            Action.RESUME,
            Action.ANSWER,
            Action.CLOSE,
            Action.PROPOSE_FINDING,
            Action.APPROVE_FINDING,
            Action.RETURN_FINDING,
            Action.DRAFT_PLAN,
            Action.APPROVE_PLAN,
            Action.RETURN_PLAN,
            Action.CARRY_OUT,
            Action.APPROVE_DECISION,  # fault tolerance (issue 10)
            Action.RETURN_DECISION,
            Action.TELL_RESULT,  # issue 10
        ),
    ),
    "accusation": (_l("The accusation behind the case"), (Action.FLAG, Action.REFER)),
}

#: One line beside each action: what it does (who sees it comes from the rule's visibility).
ACTION_HINTS = {
    Action.TAKE: _l("You become the assignee in place of the current one, who can no longer open the case."),
    Action.ASSIGN: _l("Hands the case to the person chosen, who receives its key; the previous assignee loses it."),
    Action.ACCEPT: _l(
        "Registers the case as accepted and hands it to the person chosen and their supervisor, who receive its key."
    ),
    Action.REFUSE: _l("Ends the case without handling it, with the reason given."),
    Action.START: _l("Handling begins."),
    Action.VERIFY: _l("Verification of the report begins."),
    Action.ASK: _l("Sends a question; the answer deadline pauses until a reply comes."),
    Action.RESUME: _l("Goes on without a reply; the deadline runs again."),
    Action.ANSWER: _l("Gives the answer; the window for one objection opens."),
    Action.CLOSE: _l("Closes the case."),
    Action.PROPOSE_FINDING: _l("Proposes a finding; a supervisor other than you approves it."),
    Action.APPROVE_FINDING: _l("Approves the proposed finding; the applicant reads its reasons."),
    Action.RETURN_FINDING: _l("Sends the finding back for further verification."),
    Action.DRAFT_PLAN: _l("Sets the forms and scope of the clarification for the applicant's consent."),
    Action.APPROVE_PLAN: _l("Approves the consented plan; a public notice in it is published."),
    Action.RETURN_PLAN: _l("Sends the plan back to be drafted again."),
    Action.CARRY_OUT: _l("Records that every form of the clarification was carried out."),
    Action.FLAG: _l("Records whether the accusation was mistaken or suspected malicious."),
    Action.REFER: _l("Records the referral to another body, with its reference."),
    Action.TRANSFER: _l("Sends the case to another body (转办, 转送, 报送上一级); you lose its key."),
    # -- fault tolerance (issue 10) --
    Action.PROPOSE_DECISION: _l("Proposes the outcome, its reasons and the correction measures."),
    Action.RECORD_COLLECTIVE: _l("Records the collective decision and names the leader who approves it."),
    Action.RETURN_DECISION: _l("Sends the decision back for further verification."),
    Action.APPROVE_DECISION: _l(
        "Approves the collectively decided decision; the applicant reads its reasons and may object once."
    ),
    Action.RECORD_MEASURE: _l("Records one correction measure as done."),
    Action.TELL_RESULT: _l(
        "Tells the real-name submitter the result of their concern (告知办理结果), with the text they read."
    ),  # issue 10
}

#: Who sees a step, from the rule's visibility and the kind of case.
ACTION_AUDIENCE = {
    "submitter": _l("The submitter sees this step on their status page."),
    "applicant": _l("The applicant sees this step on their status page."),
    "internal": _l("Only staff see it; it is recorded in the audit log."),
}

#: Timeline words for every action, the submitter's included.
STEPS = {
    "submit": _l("Submitted"),
    **{a.value: label for a, label in ACTIONS.items()},
    Action.PROVIDE_INFO.value: _l("The submitter replied"),
    Action.OBJECT.value: _l("The submitter objected to the answer"),
    Action.CONSENT.value: _l("The cadre consented to the plan"),
    Action.DECLINE.value: _l("The cadre declined the plan"),
    "record_form": _l("A form of the clarification was carried out"),
    "notice_corrected": _l("The public notice was corrected"),
    "notice_withdrawn": _l("The public notice was withdrawn"),
    Action.PROPOSE_CORRECTION.value: _l("A correction of the public notice was put to the cadre"),
    Action.CONSENT_CORRECTION.value: _l("The cadre consented to the correction"),
    Action.DECLINE_CORRECTION.value: _l("The cadre declined the correction"),
    Action.DROP_CORRECTION.value: _l("The correction lapsed: the notice was withdrawn"),
    "grant": _l("A colleague was added to the case (协办)"),
    "revoke_grant": _l("A colleague added to the case was removed"),
    "recover": _l("Recovered from the escrow key for a colleague"),
    Action.TRANSFER.value: _l("Sent to another body to handle"),
    Action.RECORD_MEASURE.value: _l("A correction measure was carried out"),  # fault tolerance (issue 10)
    # -- real-name concerns, 回访 and filing (issue 10) --
    Action.TELL_RESULT.value: _l("The submitter was told the result"),
    Action.RECORD_FILING.value: _l("The clarification material was filed"),
    Action.RECORD_VISIT.value: _l("Follow-up visit (回访) made"),
    Action.FEEDBACK.value: _l("The applicant gave feedback on the follow-up visit"),
}

#: Steps that do not change the state; the submitter's page names them by action.
EVENT_ONLY = (
    "record_form",
    "notice_corrected",
    "notice_withdrawn",
    Action.TRANSFER.value,
    *(a.value for a in CORRECTION_ACTIONS),
    Action.RECORD_MEASURE.value,  # fault tolerance (issue 10)
    # issue 10
    Action.TELL_RESULT.value,
    Action.RECORD_FILING.value,
    Action.RECORD_VISIT.value,
    Action.FEEDBACK.value,
)

FINDINGS = {
    Finding.FOUND_FALSE: _l("Found untrue (经核查失实)"),
    Finding.SUBSTANTIATED: _l("Substantiated"),
    Finding.UNVERIFIABLE: _l("Cannot be verified"),
    Finding.PARTLY_FALSE: _l("Partly untrue (部分失实)"),  # issue 10
}

REFUSAL_REASONS = {
    RefusalReason.NO_CONCLUSION: _l("No conclusion has been reached yet"),
    RefusalReason.NOT_RULED_OUT: _l("The allegation has not been ruled out"),
    RefusalReason.NO_HARM: _l("No harm was done"),
    RefusalReason.OTHER: _l("Other reason"),
}

FLAGS = {
    AccusationFlag.NONE: _l("Not judged"),
    AccusationFlag.MISTAKEN: _l("Mistaken report"),
    AccusationFlag.SUSPECTED_MALICIOUS: _l("Suspected malicious accusation"),
}

#: State names for staff (precise; the submitter's page uses STATES).
STAFF_STATES = {
    State.SUBMITTED: _l("Submitted"),
    State.ACCEPTED: _l("Accepted"),
    State.NOT_ACCEPTED: _l("Not accepted"),
    State.IN_PROGRESS: _l("In progress"),
    State.AWAITING_INFO: _l("Awaiting a reply"),
    State.ANSWERED: _l("Answered"),
    State.CLOSED: _l("Closed"),
    State.VERIFYING: _l("Verifying"),
    State.FINDING_PROPOSED: _l("Finding proposed"),
    State.FOUND_FALSE: _l("Found untrue"),
    State.SUBSTANTIATED: _l("Substantiated"),
    State.UNVERIFIABLE: _l("Cannot be verified"),
    State.AWAITING_CONSENT: _l("Awaiting the cadre's consent"),
    State.PLAN_CONSENTED: _l("Plan consented, awaiting approval"),
    State.PLAN_APPROVED: _l("Plan approved"),
    State.CARRIED_OUT: _l("Carried out"),
    # -- fault tolerance (issue 10) --
    State.DECISION_PROPOSED: _l("Decision proposed"),
    State.COLLECTIVELY_DECIDED: _l("Collectively decided, awaiting the leader"),
    State.DECIDED: _l("Decided"),
}

#: The audit log's words for each action code it records; a code not listed reads as itself.
AUDIT_ACTIONS = {
    "sign_in": _l("Signed in"),
    "sign_in_failed": _l("Sign-in failed"),
    "sign_out": _l("Signed out"),
    "totp_enrolled": _l("Set up the authenticator"),
    "password_changed": _l("Changed the password"),
    "account_created": _l("Created an account"),
    "account_disabled": _l("Disabled an account"),
    "account_enabled": _l("Enabled an account"),
    "account_reset": _l("Reset an account"),
    "account_confirmed": _l("Confirmed an account to receive case keys"),
    "body_created": _l("Created a body"),
    "category_routed": _l("Set the body a concern category goes to"),
    "password_change_failed": _l("Password change refused: wrong current password"),
    "escrow_passphrase_failed": _l("Recovery refused: wrong escrow passphrase"),
    "escrow_created": _l("Set the escrow key of a body"),
    "escrow_passphrase_changed": _l("Changed the escrow passphrase"),
    "case_purged": _l("Shredded a case after its archive period"),
    "case_exported": _l("Exported a closed case for the paper archive"),
    "grant": _l("Granted access to earlier cases"),
    "case_granted": _l("Added a colleague to a case (协办)"),
    "case_grant_revoked": _l("Removed a colleague added to a case"),
    "case_recovered": _l("Recovered a case from the escrow key"),
    "case_view": _l("Opened a case"),
    "message": _l("Sent a message to the cadre"),
    "message_from_submitter": _l("The cadre sent a message"),
    "note": _l("Added an internal note"),
    "download": _l("Downloaded an attachment"),
    "plan_form_done": _l("Recorded a form of the clarification as carried out"),
    "notice_corrected": _l("Corrected a public notice"),
    "notice_correction_proposed": _l("Put a correction of a public notice to the cadre"),
    "notice_withdrawn": _l("Withdrew a public notice"),
    "case_transferred": _l("Sent a case to another body"),
    "accuser_checked": _l("Recorded the check of the accuser (一信双查)"),  # the 诬告陷害 ledger (issue 10)
    **{f"transition:{a.value}": _l("Case step: %(step)s", step=STEPS[a.value]) for a in Action},
    # Words that hold for either kind of case (the log mixes concerns and clarifications).
    f"transition:{Action.ASK.value}": _l("Case step: a question to the cadre"),
    f"transition:{Action.PROVIDE_INFO.value}": _l("Case step: the cadre replied"),
    # -- 典型案例通报 (issue 10) --
    "bulletin_viewed": _l("Opened the draft of a typical case bulletin"),
    "bulletin_submitted": _l("Submitted a typical case bulletin to a leader"),
    "bulletin_approved": _l("Approved and published a typical case bulletin"),
    "bulletin_returned": _l("Returned a typical case bulletin to its drafter"),
    "bulletin_corrected": _l("Corrected a typical case bulletin"),
    "bulletin_withdrawn": _l("Withdrew a typical case bulletin"),
    # -- h11x --
    "default_body_changed": _l("Made another body the default"),
}

#: Why a sign-in failed, as the audit log records it.
SIGN_IN_FAILURES = {
    "unknown_account": _l("no such account"),
    "disabled": _l("account disabled"),
    "password": _l("wrong password"),
    "totp": _l("wrong authenticator code"),
}


def audit_action(code: str):
    """The words for an audit action code."""
    return AUDIT_ACTIONS.get(code, code)


#: What staff read after a step; a step not listed reads as its label.
DONE: dict[str, object] = {
    Action.TAKE: _l("You took this case over."),
    Action.ASSIGN: _l("Reassigned."),
    Action.ACCEPT: _l("Accepted and assigned."),
    Action.REFUSE: _l("The decision and its reasons were recorded."),
    Action.START: _l("Handling started."),
    Action.VERIFY: _l("Verification started."),
    Action.ASK: _l("The question was sent."),
    Action.RESUME: _l("Handling continues with what is on file; the reason is shown to the cadre."),
    Action.ANSWER: _l("The answer was given."),
    Action.CLOSE: _l("Closed."),
    Action.PROPOSE_FINDING: _l("The proposed finding awaits approval."),
    Action.APPROVE_FINDING: _l("The finding was approved."),
    Action.RETURN_FINDING: _l("The finding was returned for further verification."),
    Action.APPROVE_PLAN: _l("The plan was approved."),
    Action.RETURN_PLAN: _l("The plan was returned."),
    Action.CARRY_OUT: _l("The clarification is recorded as carried out."),
    Action.FLAG: _l("The judgement of the accusation was recorded."),
    Action.REFER: _l("Referred; the referral is recorded."),
    Action.TRANSFER: _l("The case was sent to the other body; you no longer hold its key."),
    # -- the 诬告陷害 ledger (issue 10) --
    Action.REFERRAL_FILED: _l("The filing (立案) was recorded; the next day to ask for feedback is set."),
    Action.REFERRAL_HANDLED: _l("The outcome (处理结果) was recorded."),
    Action.REFERRAL_NOT_PURSUED: _l("Recorded: not pursued (不予追究)."),
    Action.EDUCATE: _l("The reminder and education (提醒教育) was recorded."),
    Action.CHECK_ACCUSER: _l("The check of the accuser (一信双查) was recorded."),  # h11x
    Action.RETURN_DECISION: _l("The decision was returned for further verification."),  # issue 10
    Action.APPROVE_DECISION: _l("The decision was approved; the applicant is told it and its reasons."),
    Action.TELL_RESULT: _l("The result was told to the submitter."),  # issue 10
}

#: A clarification case's words where they differ: its cadre is the applicant (申请人), never 反映人.
_APPLICANT_ACTIONS = {
    Action.ASK: _l("Ask the applicant"),
    Action.REFUSE: _l("Decline to clarify (with reasons)"),
}
_APPLICANT_STEPS = {
    **{a.value: label for a, label in _APPLICANT_ACTIONS.items()},
    Action.PROVIDE_INFO.value: _l("The applicant replied"),
}


def for_kind(kind: str) -> SimpleNamespace:
    """These labels as a staff page of one case reads them (申请人 on a clarification, never 反映人)."""
    words = {name: value for name, value in globals().items() if name.isupper() and not name.startswith("_")}
    words["FIELDS"] = STAFF_FIELDS
    if kind == Kind.CONCERN:  # issue 10: a real-name submitter is the 反映人, not the applicant
        words["FIELDS"] = {**STAFF_FIELDS, "contact": _l("How to contact the submitter")}
    if kind == Kind.CLARIFICATION:
        words["ACTIONS"] = {**ACTIONS, **_APPLICANT_ACTIONS}
        words["STEPS"] = {**STEPS, **_APPLICANT_STEPS}
    if kind == Kind.FAULT_TOLERANCE:  # issue 10: an applicant too, and an objection asks for 复核
        words["ACTIONS"] = {**ACTIONS, **_TOLERANCE_ACTIONS}
        words["STEPS"] = {**STEPS, **_TOLERANCE_STEPS}
    return SimpleNamespace(**words, audit_action=audit_action, choice_label=choice_label, for_kind=for_kind)


def done_message(action: str) -> str:
    """The message after a staff step, in words that hold for either kind of case."""
    return str(DONE.get(action, STEPS.get(action, action)))


# -- the 诬告陷害 ledger (issue 10) --
from portal.domain.cases import ReferralOutcome, ReferralTarget, ReminderForm  # noqa: E402

#: The kinds of body an accusation is referred to (移送).
REFERRAL_TARGETS = {
    ReferralTarget.DISCIPLINE: _l("Discipline inspection body (纪检机关)"),
    ReferralTarget.SUPERVISION: _l("Supervision body (监察机关)"),
    ReferralTarget.POLICE: _l("Public security (公安机关)"),
    ReferralTarget.PARTY: _l("The accuser's Party organisation (党组织)"),
}

#: What a receiving body reports back.
REFERRAL_OUTCOMES = {
    ReferralOutcome.FILED: _l("Filed (立案)"),
    ReferralOutcome.HANDLED: _l("Handled (处理结果)"),
    ReferralOutcome.NOT_PURSUED: _l("Not pursued (不予追究)"),
}

#: How a mistaken accuser was reminded and educated (提醒教育).
REMINDER_FORMS = {
    ReminderForm.TALK: _l("Reminder talk (谈话提醒)"),
    ReminderForm.WRITTEN: _l("Written reminder (书面提醒)"),
    ReminderForm.CRITICISM: _l("Criticism and education (批评教育)"),
}


# -- clarification on the body's own motion (主动澄清), and 部分失实 (issue 10) --

#: The step that opens a clarification on the body's own motion; the cadre's page starts with it.
STEPS["own_motion"] = _l("Opened by the body on its own motion (主动澄清)")
STEPS["receipt_reissued"] = _l("A new receipt was issued in place of a lost one")
EVENT_ONLY = (*EVENT_ONLY, "own_motion", "receipt_reissued")
AUDIT_ACTIONS["own_motion_receipt_reissued"] = _l("Re-issued the receipt of a clarification on the body's own motion")
AUDIT_ACTIONS["own_motion_opened"] = _l("Opened a clarification on the body's own motion and issued its receipt")

#: The original verification a clarification on the body's own motion comes from.
_OWN_MOTION_FIELDS = {
    "origin_number": _l("Reference of the original case"),
    "origin_body": _l("Body that concluded it"),
    "origin_concluded_on": _l("Date of the conclusion"),
}
FIELDS.update(_OWN_MOTION_FIELDS)
READ_FIELDS.update(_OWN_MOTION_FIELDS)
STAFF_FIELDS.update(_OWN_MOTION_FIELDS)
#: The cadre's page of such a case: the body recorded these details, the cadre did not fill them in.
OWN_MOTION_READ_FIELDS = {
    **READ_FIELDS,
    "real_name": _l("Name"),
    "unit_name": _l("Unit"),
    "post": _l("Post"),
    "rank": _l("Rank"),
}


# -- fault tolerance (issue 10) --
from portal.domain.cases import Accountability, Distinction, FiledBy, ToleranceOutcome  # noqa: E402

TOLERANCE_OUTCOMES = {
    ToleranceOutcome.EXEMPT: _l("Full fault tolerance (exempt from liability)"),
    ToleranceOutcome.REDUCED: _l("Partial fault tolerance (reduced liability)"),
    ToleranceOutcome.REFUSED: _l("No fault tolerance"),
}

DISTINCTIONS = {
    Distinction.INEXPERIENCE: _l(
        "A mistake made for lack of experience while trying something first, not a knowing violation"
    ),
    Distinction.UNPRECEDENTED: _l(
        "A mistake in an exploratory trial the higher level had not yet restricted, not defiance of a ban"
    ),
    Distinction.UNINTENDED: _l("An unintended error made to promote development, not for private gain"),
}

FILED_BY = {
    FiledBy.SELF: _l("I file it myself"),
    FiledBy.UNIT: _l("My unit files it on my behalf"),
}

ACCOUNTABILITY = {
    Accountability.PENDING: _l("Accountability proceedings are under way"),
    Accountability.DISCIPLINE_PROPOSED: _l("A disciplinary sanction is proposed"),
    Accountability.OTHER: _l("Other"),
}

#: Stored choice values of the application, for choice_label.
TOLERANCE_CHOICES: dict[str, dict] = {
    "filed_by": FILED_BY,
    "accountability": ACCOUNTABILITY,
    "distinctions": DISTINCTIONS,
}

_TOLERANCE_ACTIONS = {
    Action.ASK: _l("Ask the applicant"),
}
_TOLERANCE_STEPS = {
    **{a.value: label for a, label in _TOLERANCE_ACTIONS.items()},
    Action.PROVIDE_INFO.value: _l("The applicant replied"),
    Action.OBJECT.value: _l("The applicant objected to the decision (复核)"),
}


# -- real-name concerns, 回访 and filing (issue 10) --
from portal.domain.cases import Filing, VisitForm  # noqa: E402
from portal.web.real_name import Identity  # noqa: E402

#: The concern form's choice.
IDENTITIES = {
    Identity.ANONYMOUS: _l("Anonymous"),
    Identity.REAL_NAME: _l("Real-name (实名反映)"),
}

#: Where the material of a carried-out clarification goes.
FILINGS = {
    Filing.INTEGRITY_FILE: _l("Put into the cadre's integrity file (归入廉政档案)"),
    Filing.PERSONNEL: _l("Copied to the organisation and personnel department (抄送组织人事部门)"),
}

#: How a 回访 took place.
VISIT_FORMS = {
    VisitForm.TALK: _l("Heart-to-heart talk (谈心谈话)"),
    VisitForm.PHONE: _l("By telephone"),
    VisitForm.SITE: _l("On site"),
}


# -- issue 10 finishing touches: the audit log mixes concerns, clarifications and 容错纠错 applications --
#: An objection is 提出异议 to an answer or finding, 申请复核 of a 容错纠错认定: words that hold for both.
AUDIT_ACTIONS[f"transition:{Action.OBJECT.value}"] = _l("Case step: the cadre objected or asked for a review (复核)")

#: The cadre's own timeline: their own steps in the second person (the staff pages keep 申请人).
CADRE_STEPS = {**STEPS, Action.FEEDBACK.value: _l("You gave your feedback on the follow-up visit")}


# -- document numbers and official documents (issue 11, h11d1) --
from portal.domain.documents import DocumentKind  # noqa: E402

#: The kinds of official document, as pages name them (the documents themselves are in Chinese).
DOCUMENT_KINDS = {
    DocumentKind.CASE: _l("Case number (受理编号)"),
    DocumentKind.ACCEPTANCE: _l("Notice of acceptance (受理告知书)"),
    DocumentKind.REFUSAL: _l("Notice of non-acceptance (不予受理告知书)"),
    DocumentKind.REPLY: _l("Reply (答复意见书)"),
    DocumentKind.CLARIFICATION: _l("Notice of clarification (澄清正名告知书)"),
    DocumentKind.TOLERANCE: _l("Fault-tolerance decision (容错认定书)"),
    DocumentKind.REFERRAL: _l("Letter of referral (移送函)"),
    DocumentKind.NOTICE: _l("Public clarification notice (澄清正名公告)"),
}
AUDIT_ACTIONS["document.issue"] = _l("Issued an official document")
AUDIT_ACTIONS["document.view"] = _l("Opened an official document")
AUDIT_ACTIONS["document.download"] = _l("Downloaded an official document")
# -- h12v: voiding an issued document (作废) --
AUDIT_ACTIONS["document.void"] = _l("Voided an official document (作废)")
STEPS["document_voided"] = _l("An official document was voided (作废)")
CADRE_STEPS["document_voided"] = _l("A document issued to you was voided (作废)")
EVENT_ONLY = (*EVENT_ONLY, "document_voided")
# -- h11s1 --
AUDIT_ACTIONS["statistics_export"] = _l("Exported the statistics (body and period only)")
AUDIT_ACTIONS["statistics_rebuild"] = _l("Rebuilt a statistics release (year and day only)")
# -- h12b: a 典型案例通报 naming the cadre, with their consent (issue 10) --
from portal.domain import bulletins as bulletin_rules  # noqa: E402

_NAMING_STEPS = {
    bulletin_rules.NAMING_ASKED: _l("A typical case bulletin naming the cadre was put to them for consent"),
    bulletin_rules.NAMING_CONSENTED: _l("The cadre consented to be named in the typical case bulletin"),
    bulletin_rules.NAMING_DECLINED: _l("The cadre did not consent to be named in the typical case bulletin"),
    bulletin_rules.NAMING_WITHDRAWN: _l("The cadre withdrew their consent to be named in the typical case bulletin"),
}
STEPS.update(_NAMING_STEPS)
CADRE_STEPS.update(
    {
        bulletin_rules.NAMING_ASKED: _l("A typical case bulletin that would name you awaits your consent"),
        bulletin_rules.NAMING_CONSENTED: _l("You consented to be named in the typical case bulletin"),
        bulletin_rules.NAMING_DECLINED: _l("You did not consent to be named in the typical case bulletin"),
        bulletin_rules.NAMING_WITHDRAWN: _l("You withdrew your consent to be named in the typical case bulletin"),
    }
)
EVENT_ONLY = (*EVENT_ONLY, *_NAMING_STEPS)
AUDIT_ACTIONS.update({name: label for name, label in _NAMING_STEPS.items() if name != bulletin_rules.NAMING_ASKED})
