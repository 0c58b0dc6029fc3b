"""A 容错纠错 application end to end through HTTP (issue 10): filed, accepted, verified with a
question answered, proposed, collectively decided, approved by the named leader only, read and
objected to by the applicant through the receipt, decided again, measures done, closed."""

from __future__ import annotations

from flask import Flask

from portal.domain.bodies import HoldReason
from portal.extensions import db
from portal.models import Case, CaseKey
from portal.services import case_state, holdings
from tests.conftest import only_case_id
from tests.factories import private_key_of
from tests.web.review.test_clarification_plan import submitter_post
from tests.web.tolerance_helpers import file_application, propose, record_collective, record_measure, state_of

REASONS = "Emergency repair, no private gain: liability reduced."
MEASURES = "Repay the excess cost\nRevise the emergency procurement rule"
SCRIPT = "<script>alert('zm')</script>"


def _grant(app: Flask, case_id: str, granter, to) -> None:
    """Give a leader a copy of the key (协办), so the engine, not the key, is what refuses them."""
    from portal.models import User

    with app.app_context():
        user = db.session.get(User, granter.user_id)
        from portal.services.case_keys import case_key

        case = db.session.get(Case, case_id)
        dk = case_key(case, user, private_key_of(user, "staff password for tests"))
        holdings.seal_to(case, dk, db.session.get(User, to.user_id), HoldReason.GRANT)
        db.session.commit()


def test_an_application_to_a_decision_the_applicant_reads_objects_to_and_sees_carried_out(app, cadre, staff, intake):
    reviewer = staff("li.rev", "reviewer")
    supervisor = staff("qian.sup", "supervisor")
    leader = staff("zhao.lead", "leader")
    unnamed = staff("sun.lead", "leader")
    receipt = cadre.receipt_of(file_application(cadre))
    case_id = only_case_id(app)
    with app.app_context():
        day = case_state.today().isoformat()

    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "verify").status_code == 303
    assert reviewer.act(case_id, "ask", reason="Which tender was it?").status_code == 303
    assert cadre.follow_up(receipt).status_code == 303
    assert cadre.reply("The county tender of May.").status_code == 303
    assert state_of(app, case_id) == "verifying"  # the answer restarted the clock

    assert propose(reviewer, case_id, "reduced", REASONS, MEASURES).status_code == 303
    assert state_of(app, case_id) == "decision_proposed"
    assert record_collective(reviewer, case_id, leader, day).status_code == 303
    assert state_of(app, case_id) == "collectively_decided"
    with app.app_context():
        held = db.session.get(CaseKey, (case_id, leader.user_id))
        assert held is not None and held.reason == HoldReason.APPROVER.value

    # Neither a supervisor nor a leader other than the one named may approve; the proposer neither.
    assert supervisor.act(case_id, "approve_decision", reason="I approve.").status_code == 403
    _grant(app, case_id, supervisor, unnamed)
    assert unnamed.act(case_id, "approve_decision", reason="I approve.").status_code == 403
    assert reviewer.act(case_id, "approve_decision", reason="I approve.").status_code == 403
    assert state_of(app, case_id) == "collectively_decided"
    page = leader.get(f"/review/cases/{case_id}").get_data(as_text=True)
    assert "approve_decision" in page and REASONS in page

    assert leader.act(case_id, "approve_decision", reason=REASONS).status_code == 303
    assert state_of(app, case_id) == "decided"

    # The applicant reads the decision, its reasons and the measures through the receipt, and objects once.
    assert cadre.follow_up(receipt).status_code == 303
    status = cadre.client.get("/followup/status").get_data(as_text=True)
    assert "减责" in status and REASONS in status and "Repay the excess cost" in status
    assert "已落实0项，共2项" in status
    asked = submitter_post(cadre, "/followup/object", {"reason": "The loss was the contractor's."}, confirm=False)
    assert asked.status_code == 200 and "对容错纠错认定申请复核？" in asked.get_data(
        as_text=True
    )  # nothing written yet
    assert state_of(app, case_id) == "decided"
    objected = submitter_post(cadre, "/followup/object", {"reason": "The loss was the contractor's."})
    assert objected.status_code == 303
    assert state_of(app, case_id) == "verifying"
    assert "申请复核" not in cadre.client.get("/followup/status").get_data(as_text=True)  # no decision shown now

    # Decided again; the measures are recorded; closing waits for them.
    assert propose(reviewer, case_id, "reduced", REASONS, MEASURES).status_code == 303
    assert record_collective(reviewer, case_id, leader, day).status_code == 303
    assert leader.act(case_id, "approve_decision", reason="Reviewed (复核): reduced, as before.").status_code == 303
    assert state_of(app, case_id) == "decided"
    status = cadre.client.get("/followup/status").get_data(as_text=True)
    assert 'action="/followup/object"' not in status  # the one objection is used
    assert reviewer.act(case_id, "close").status_code == 409  # the measures are not done
    assert record_measure(reviewer, case_id, 0, day, "Repaid in full.").status_code == 303
    assert record_measure(reviewer, case_id, 0, day, "Again.").status_code == 409  # recorded already
    assert record_measure(reviewer, case_id, 1, day, "Rule revised.").status_code == 303
    status = cadre.client.get("/followup/status").get_data(as_text=True)
    assert "已落实2项，共2项" in status and "Repaid in full." in status
    assert reviewer.act(case_id, "close").status_code == 303
    assert state_of(app, case_id) == "closed"
    archive = reviewer.get(f"/review/cases/{case_id}/archive").get_data(as_text=True)
    assert REASONS in archive and "Repaid in full." in archive and "县纪委常委会" in archive


def test_a_collective_decision_names_only_a_confirmed_leader_of_the_body(app, cadre, staff, intake):
    reviewer = staff("li.rev", "reviewer")
    supervisor = staff("qian.sup", "supervisor")
    cadre.receipt_of(file_application(cadre))
    case_id = only_case_id(app)
    with app.app_context():
        day = case_state.today().isoformat()
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "verify").status_code == 303
    assert propose(reviewer, case_id).status_code == 303
    refused = record_collective(reviewer, case_id, supervisor, day)
    assert refused.status_code == 400
    assert state_of(app, case_id) == "decision_proposed"
    with app.app_context():
        assert db.session.get(CaseKey, (case_id, supervisor.user_id)).reason != HoldReason.APPROVER.value
    # The supervisor returns it (four eyes: not the proposer), and it is verified again.
    assert reviewer.act(case_id, "return_decision", reason="Verify the tender.").status_code == 403
    assert supervisor.act(case_id, "return_decision", reason="Verify the tender.").status_code == 303
    assert state_of(app, case_id) == "verifying"


def test_script_in_every_text_field_is_shown_as_text(app, cadre, staff, intake):
    reviewer = staff("li.rev", "reviewer")
    leader = staff("zhao.lead", "leader")
    texts = {
        name: f"{name} {SCRIPT}"
        for name in ("real_name", "unit_name", "post", "matter", "fault", "accountability_detail", "distinction_reason")
    }
    texts["contact"] = f"contact {SCRIPT}"
    receipt = cadre.receipt_of(file_application(cadre, **texts))
    case_id = only_case_id(app)
    with app.app_context():
        day = case_state.today().isoformat()
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "verify").status_code == 303
    assert propose(reviewer, case_id, "exempt", f"reasons {SCRIPT}", f"measure {SCRIPT}").status_code == 303
    collective = record_collective(reviewer, case_id, leader, day, f"meeting {SCRIPT}", f"result {SCRIPT}")
    assert collective.status_code == 303
    assert leader.act(case_id, "approve_decision", reason=f"approved {SCRIPT}").status_code == 303
    assert record_measure(reviewer, case_id, 0, day, f"note {SCRIPT}").status_code == 303
    pages = [
        reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True),
        leader.get(f"/review/cases/{case_id}").get_data(as_text=True),
    ]
    assert cadre.follow_up(receipt).status_code == 303
    pages.append(cadre.client.get("/followup/status").get_data(as_text=True))
    for page in pages:
        assert SCRIPT not in page
        assert "&lt;script&gt;" in page
    staff_page = pages[0]
    for shown in ("matter", "fault", "reasons", "measure", "meeting", "result", "note"):
        assert f"{shown} &lt;script&gt;" in staff_page, shown


def test_a_collectively_decided_application_waits_in_the_named_leaders_approval_queue_only(app, cadre, staff, intake):
    from portal.models import User
    from portal.services import queues

    reviewer = staff("li.rev", "reviewer")
    leader = staff("zhao.lead", "leader")
    unnamed = staff("sun.lead", "leader")
    cadre.receipt_of(file_application(cadre))
    case_id = only_case_id(app)
    with app.app_context():
        day = case_state.today().isoformat()
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "verify").status_code == 303
    assert propose(reviewer, case_id).status_code == 303
    assert record_collective(reviewer, case_id, leader, day).status_code == 303
    _grant(app, case_id, reviewer, unnamed)
    with app.app_context():
        for member, expected in ((leader, [case_id]), (unnamed, [])):
            user = db.session.get(User, member.user_id)
            page = queues.page("approval", user, queues.QueueFilters(), None, 50)
            assert [c.id for c in page.cases] == expected
    assert case_id[:8] in leader.get("/review?queue=approval").get_data(as_text=True)


def test_the_cadre_is_offered_the_application_and_bad_input_files_nothing(app, cadre, intake):
    landing = cadre.client.get("/").get_data(as_text=True)
    assert 'href="/submit/fault-tolerance"' in landing
    assert 'href="/submit/fault-tolerance"' in cadre.client.get("/submit/concern").get_data(as_text=True)
    refused = file_application(cadre, filed_by="unit", unit_contact="", matter="")
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "请填写单位联系人。" in page  # a unit filing names its contact person
    assert 'id="matter-error"' in page and "请填写此项。" in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 0
    filed = file_application(cadre, filed_by="unit", unit_contact="王主任 0000")
    assert filed.status_code == 200 and cadre.receipt_of(filed)
    with app.app_context():
        case = db.session.scalar(db.select(Case))
        assert case.kind == "fault_tolerance" and case.category is None and case.state == "submitted"


def test_a_returned_decision_takes_the_key_from_the_leader_it_was_before(app, cadre, staff, intake):
    reviewer = staff("li.rev", "reviewer")
    supervisor = staff("qian.sup", "supervisor")
    leader = staff("zhao.lead", "leader")
    cadre.receipt_of(file_application(cadre))
    case_id = only_case_id(app)
    with app.app_context():
        day = case_state.today().isoformat()
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "verify").status_code == 303
    assert propose(reviewer, case_id).status_code == 303
    assert record_collective(reviewer, case_id, leader, day).status_code == 303
    assert leader.get(f"/review/cases/{case_id}").status_code == 200
    assert supervisor.act(case_id, "return_decision", reason="Hear the contractor first.").status_code == 303
    assert state_of(app, case_id) == "verifying"
    with app.app_context():
        assert leader.user_id not in holdings.holder_ids(case_id)
    assert leader.get(f"/review/cases/{case_id}").status_code == 403
