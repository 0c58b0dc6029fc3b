"""The opened case: one way in, one step() that writes every trace of a step, refusals write nothing."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from portal.domain import receipts
from portal.domain.cases import Kind
from portal.domain.workflow import Action, MissingChoice, NotAssignable, NotPermitted, PlanIncomplete
from portal.extensions import db
from portal.models import AuditEntry, Case, CaseEvent, CaseKey
from portal.services import accounts, aftercare, bodies, case_state, casework, followup, form_tokens, holdings, intake
from portal.services.case_keys import NoAccess
from portal.services.opened_case import NoSuchCase, StepInput, open_for_staff, open_for_submitter
from tests.factories import gen_case, gen_user, gen_worker


def _traces(case_id: str) -> tuple[int, int, str]:
    events = db.session.scalar(db.select(db.func.count()).where(CaseEvent.case_id == case_id))
    audited = db.session.scalar(db.select(db.func.count()).where(AuditEntry.case_id == case_id))
    return events, audited, db.session.get(Case, case_id).state


def test_a_staff_step_stores_facts_timeline_audit_and_date_together(app):
    with app.app_context():
        made = gen_case("concern", "submitted")
        before = _traces(made.case_id)
        opened = open_for_staff(made.intake.user, made.intake.private_key, made.case_id)
        outcome = opened.step(Action.ACCEPT, StepInput(assignee_id=made.reviewer.user_id))
        db.session.commit()
        events, audited, state = _traces(made.case_id)
        assert (events, audited, state) == (before[0] + 1, before[1] + 1, "accepted")
        case = db.session.get(Case, made.case_id)
        assert case.assignee_id == made.reviewer.user_id and case.answer_due == outcome.facts.answer_due
        last = db.session.scalars(
            db.select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.position.desc())
        ).first()
        assert (last.action, last.actor_id, last.visible_to_submitter) == ("accept", made.intake.user_id, True)
        entry = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (entry.action, entry.actor_id, entry.case_id) == ("transition:accept", made.intake.user_id, case.id)
        assert entry.target_user_id == made.reviewer.user_id
        # The same step sealed the case to the assignee and their supervisor, and to no one else.
        assert holdings.holder_ids(case.id) == {made.intake.user_id, made.reviewer.user_id, made.supervisor.user_id}


def test_a_submitter_step_is_recorded_the_same_way_and_dates_the_case(app):
    with app.app_context():
        made = gen_case("concern", "awaiting_info")
        case = db.session.get(Case, made.case_id)
        case.updated_at = case.updated_at.replace(year=2020)  # so the step visibly dates it
        db.session.commit()
        access = followup.sign_in(made.receipt)
        followup.reply(access, "The reports of March.", [], form_tokens.issue())
        case = db.session.get(Case, made.case_id)
        assert case.state == "in_progress" and case.updated_at.year > 2020
        entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "transition:provide_info")).one()
        assert entry.actor_id is None and entry.at.minute == 0  # the cadre's time, to the hour


def test_a_refused_step_writes_nothing(app):
    with app.app_context():
        made = gen_case("clarification", "finding_proposed")
        before = _traces(made.case_id)
        # A reviewer (here the proposer too) may not approve a finding: the rules table says so.
        with pytest.raises(NotPermitted):
            casework.act(
                made.reviewer.user,
                made.reviewer.private_key,
                made.case_id,
                Action.APPROVE_FINDING,
                StepInput(reason="Mine."),
                form_tokens.issue(),
            )
        assert _traces(made.case_id) == before


def test_an_assignee_must_be_a_confirmed_case_worker_of_the_body_and_reassigning_moves_the_key(app):
    with app.app_context():
        made = gen_case("concern", "accepted")
        newcomer = gen_worker("late.comer", "reviewer")  # holds no key yet: the assignment will seal one
        other_body = bodies.create("另一县纪委监委", "另纪", "commission", "county")
        stranger = accounts.create_user("far.away", "reviewer", "a long password 1", body_id=other_body, confirmed=True)
        opened = open_for_staff(made.supervisor.user, made.supervisor.private_key, made.case_id)
        with pytest.raises(NotAssignable):
            opened.check(Action.ASSIGN, StepInput(assignee_id=stranger.user_id))
        with pytest.raises(NotAssignable):  # intake registers and assigns; it is never the assignee
            opened.check(Action.ASSIGN, StepInput(assignee_id=made.intake.user_id))
        with pytest.raises(NoAccess):
            open_for_staff(newcomer.user, newcomer.private_key, made.case_id)
        opened.step(Action.ASSIGN, StepInput(assignee_id=newcomer.user_id))
        db.session.commit()
        # 改派: the new assignee holds the key, the previous one no longer does; intake and the
        # supervisor keep theirs.
        assert holdings.holder_ids(made.case_id) == {made.intake.user_id, newcomer.user_id, made.supervisor.user_id}
        assert open_for_staff(newcomer.user, newcomer.private_key, made.case_id).key
        with pytest.raises(NoAccess):
            open_for_staff(made.reviewer.user, made.reviewer.private_key, made.case_id)


def test_carrying_out_waits_for_every_form_and_a_form_must_be_one_of_the_list(app):
    with app.app_context():
        made = gen_case("clarification", "plan_approved")
        opened = open_for_staff(made.reviewer.user, made.reviewer.private_key, made.case_id)
        assert Action.CARRY_OUT not in opened.allowed() and Action.RECORD_FORM in opened.allowed()
        with pytest.raises(PlanIncomplete):
            opened.check(Action.CARRY_OUT)
        with pytest.raises(MissingChoice):
            opened.check(Action.RECORD_FORM, StepInput(mode="a web form"))
        casework.record_mode(
            made.reviewer.user, made.reviewer.private_key, made.case_id, "written", "Letter given.", form_tokens.issue()
        )
        reopened = open_for_staff(made.reviewer.user, made.reviewer.private_key, made.case_id)
        assert Action.CARRY_OUT not in reopened.allowed()  # issue 10: the filings of the plan too
        for filing in ("integrity_file", "personnel"):
            aftercare.record_filing(
                made.reviewer.user,
                made.reviewer.private_key,
                made.case_id,
                filing,
                case_state.today(),
                "No. 1",
                form_tokens.issue(),
            )
        reopened = open_for_staff(made.reviewer.user, made.reviewer.private_key, made.case_id)
        assert Action.CARRY_OUT in reopened.allowed()


def test_nobody_opens_what_is_not_there_or_not_theirs(app):
    with app.app_context():
        made = gen_case("concern", "submitted")
        admin = gen_user("the.admin", "admin")
        with pytest.raises(NoSuchCase):
            open_for_staff(made.reviewer.user, made.reviewer.private_key, "0" * 32)
        with pytest.raises(NoAccess):
            open_for_staff(admin, b"\0" * 32, made.case_id)
        with pytest.raises(NoAccess):
            open_for_staff(made.reviewer.user, None, made.case_id)
        access = followup.sign_in(made.receipt)
        assert open_for_submitter(access.case_id, access.session_secret).case.id == made.case_id


def test_no_transaction_is_open_while_a_receipt_is_derived(app, monkeypatch):
    derive = receipts.derive
    seen = []

    def watched(*args, **kwargs):
        seen.append(db.session().in_transaction())
        return derive(*args, **kwargs)

    with app.app_context():
        db.session.scalar(db.select(Case.id))  # a read earlier in the request opens one
        monkeypatch.setattr(receipts, "derive", watched)
        intake.file_case(Kind.CONCERN, "workload", {"subject": "s", "description": "d"}, [], form_tokens.issue())
    assert seen == [False]


def test_the_database_refuses_a_state_without_its_columns(app):
    with app.app_context():
        made = gen_case("concern", "submitted")
        case = db.session.get(Case, made.case_id)
        case.state = "in_progress"  # no assignee, no answer deadline: the engine never leaves this
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        case = db.session.get(Case, made.case_id)
        case.proposed_finding = "found_false"  # a finding with no proposal pending
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        assert db.session.get(Case, made.case_id).state == "submitted"
        assert case_state.facts_of(db.session.get(Case, made.case_id)).proposed_finding is None


def test_a_colleague_added_then_assigned_loses_the_key_when_reassigned(app):
    """A 协办 who becomes the assignee holds the case as its assignee from then on."""
    from portal.services import grants

    with app.app_context():
        made = gen_case("concern", "accepted")
        helper = gen_worker("xie.ban", "reviewer")
        other = gen_worker("ling.yi", "reviewer")
        grants.grant(
            made.supervisor.user,
            made.supervisor.private_key,
            made.case_id,
            helper.user_id,
            "协办。",
            form_tokens.issue(),
        )
        opened = open_for_staff(made.supervisor.user, made.supervisor.private_key, made.case_id)
        opened.step(Action.ASSIGN, StepInput(assignee_id=helper.user_id))
        db.session.commit()
        assert db.session.get(CaseKey, (made.case_id, helper.user_id)).reason == "assigned"
        opened = open_for_staff(made.supervisor.user, made.supervisor.private_key, made.case_id)
        opened.step(Action.ASSIGN, StepInput(assignee_id=other.user_id))
        db.session.commit()
        assert helper.user_id not in holdings.holder_ids(made.case_id)
