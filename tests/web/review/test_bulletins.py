"""典型案例通报 through HTTP: drafted from a referred case, approved by the named leader only,
published with list, detail, print and feed, corrected, withdrawn, with its history."""

from __future__ import annotations

from flask import Flask

from portal.domain.bodies import HoldReason
from portal.extensions import db
from portal.models import AuditEntry, Bulletin, BulletinDraft, BulletinRevision, CaseKey, Referral
from tests.web.bulletin_helpers import CADRE_NAME, Referred, bulletin_form, referred_case
from tests.web.referral_helpers import record_outcome, refer, today
from tests.web.review.test_authorization_matrix import fresh_form_token
from tests.web.test_confidentiality import database_files, every_stored_value

CANONICAL = "https://jw.example.gov.cn"
SCRIPT = "<script>alert('zm')</script>"


def page(case_id: str) -> str:
    return f"/review/cases/{case_id}/bulletin"


def counts(app: Flask) -> tuple[int, ...]:
    """What a refused step must leave as it was."""
    with app.app_context():
        count = lambda model: db.session.scalar(db.select(db.func.count()).select_from(model))  # noqa: E731
        audited = db.session.scalar(
            db.select(db.func.count()).select_from(AuditEntry).where(AuditEntry.action != "bulletin_viewed")
        )
        return count(Bulletin), count(BulletinRevision), count(BulletinDraft), count(CaseKey), audited


def draft_row(app: Flask, case_id: str) -> tuple[str, int | None, int | None]:
    with app.app_context():
        row = db.session.get(BulletinDraft, case_id)
        return row.status, row.approver_id, row.bulletin_id


def approver_holds(app: Flask, case_id: str, user_id: int) -> bool:
    with app.app_context():
        row = db.session.get(CaseKey, (case_id, user_id))
        return row is not None and row.reason == HoldReason.APPROVER.value


def submit(world: Referred, approver_id: int, **fields: str):
    return world.drafter.post(page(world.case_id), {**bulletin_form(**fields), "approver": str(approver_id)})


def decide(who, world: Referred, what: str, **fields: str):
    """Post a decision as ``who``, with a fresh one-time token (one who may not read the draft gets no form)."""
    token = {"form_token": fresh_form_token(who.app)}
    return who.post(f"{page(world.case_id)}/{what}", {**token, **fields}, form_page=page(world.case_id))


def test_a_bulletin_from_draft_to_withdrawal_with_four_eyes_and_its_history(app, cadre, client, staff, intake):
    world = referred_case(app, cadre, staff, intake)
    drafter, leader, other = world.drafter, world.leader, world.other_leader
    html = drafter.get(f"/review/cases/{world.case_id}").get_data(as_text=True)
    assert page(world.case_id) in html  # the case page links to its bulletin
    form = drafter.get(page(world.case_id))
    assert form.status_code == 200 and 'name="approver"' in form.get_data(as_text=True)

    # Never the cadre's name, nor the drafter as their own approver, nor a supervisor as approver.
    before = counts(app)
    named = submit(world, leader.user_id, facts=f"检举人多次诬告{CADRE_NAME}同志。")
    assert named.status_code == 400 and "姓名" in named.get_data(as_text=True)
    assert submit(world, drafter.user_id).status_code == 403
    assert submit(world, world.reviewer.user_id).status_code == 403
    assert counts(app) == before

    assert submit(world, leader.user_id).status_code == 303
    assert draft_row(app, world.case_id)[:2] == ("submitted", leader.user_id)
    assert approver_holds(app, world.case_id, leader.user_id)
    assert "ZM-BUL-FACTS" in leader.get(page(world.case_id)).get_data(as_text=True)  # they read what they approve

    # A dump holds no plaintext of the unpublished draft.
    stored = every_stored_value(app) + database_files(app)
    for needle in ("ZM-BUL-TITLE", "ZM-BUL-FACTS", "ZM-BUL-TREAT", "某镇一起诬告陷害案"):
        for encoded in (needle.encode(), needle.encode("utf-16-le")):
            assert not any(encoded in blob for blob in stored), needle

    # The drafter, a supervisor who is not a leader, and a leader not named cannot decide.
    before = counts(app)
    assert decide(drafter, world, "approve", confirmed="1").status_code == 403
    assert decide(world.reviewer, world, "approve", confirmed="1").status_code == 403
    assert decide(other, world, "approve", confirmed="1").status_code == 403
    assert decide(other, world, "return", reason="不同意。").status_code == 403
    assert counts(app) == before
    assert client.get("/notices/bulletins").get_data(as_text=True).count("ZM-BUL-TITLE") == 0

    # The named leader is asked to confirm, then approves: the bulletin is public, their key copy goes.
    asked = leader.post(f"{page(world.case_id)}/approve", {}, form_page=page(world.case_id), confirm=False)
    assert asked.status_code == 200 and counts(app) == before  # the confirmation page changed nothing
    approved = decide(leader, world, "approve")
    assert approved.status_code == 303
    status, _approver, bulletin_id = draft_row(app, world.case_id)
    assert status == "published" and bulletin_id
    assert approved.headers["Location"].endswith(f"/review/bulletins/{bulletin_id}/correct")
    assert not approver_holds(app, world.case_id, leader.user_id)
    assert decide(leader, world, "approve", confirmed="1").status_code == 409  # once

    app.config["CANONICAL_URL"] = CANONICAL
    listing = client.get("/notices/bulletins").get_data(as_text=True)
    assert "ZM-BUL-TITLE" in listing and f"/notices/bulletins/{bulletin_id}" in listing
    assert "ZM-BUL-TITLE" in client.get("/notices/bulletins?q=zm-bul-treat").get_data(as_text=True)
    assert "ZM-BUL-TITLE" not in client.get("/notices/bulletins?q=nothing-like-it").get_data(as_text=True)
    detail = client.get(f"/notices/bulletins/{bulletin_id}").get_data(as_text=True)
    assert "ZM-BUL-FACTS" in detail and "ZM-BUL-TREAT" in detail and CADRE_NAME not in detail
    printed = client.get(f"/notices/bulletins/{bulletin_id}/print").get_data(as_text=True)
    assert "ZM-BUL-FACTS" in printed and "print-view" in printed
    feed = client.get("/notices/bulletins/feed.atom", headers={"Host": "evil.example"})
    assert feed.headers["Content-Type"].startswith("application/atom+xml")
    text = feed.get_data(as_text=True)
    assert f"{CANONICAL}/notices/bulletins/{bulletin_id}" in text and "evil.example" not in text
    assert "ZM-BUL-TITLE" in text
    assert "/notices/bulletins" in client.get("/notices").get_data(as_text=True)  # beside the notices
    first = client.get(f"/notices/bulletins/{bulletin_id}")
    assert first.headers["ETag"] and "public" in first.headers["Cache-Control"]
    unchanged = client.get(f"/notices/bulletins/{bulletin_id}", headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304

    # Corrected by a supervisor of the issuing body: at once, with what changed and why, in public.
    edit = f"/review/bulletins/{bulletin_id}/correct"
    fix = {**bulletin_form(treatment="ZM-BUL-TREAT2 检举人受到党内严重警告处分。"), "reason": "处分决定更正。"}
    named = drafter.post(edit, {**fix, "facts": f"{CADRE_NAME}被诬告。"})
    assert named.status_code == 400
    assert drafter.post(edit, fix).status_code == 303
    detail = client.get(f"/notices/bulletins/{bulletin_id}").get_data(as_text=True)
    assert "ZM-BUL-TREAT2" in detail and "<del>ZM-BUL-TREAT 检举人受到党内警告处分。</del>" in detail
    assert "处分决定更正。" in detail
    changed = client.get(f"/notices/bulletins/{bulletin_id}", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200  # a correction is a new version

    # Withdrawn: the page stays, says so, and keeps its history; what it said about the case goes.
    withdrawn = drafter.post(f"/review/bulletins/{bulletin_id}/withdraw", {"reason": "发布有误。"}, form_page=edit)
    assert withdrawn.status_code == 303
    detail = client.get(f"/notices/bulletins/{bulletin_id}")
    text = detail.get_data(as_text=True)
    assert detail.status_code == 200 and "本通报已撤回" in text and "发布有误。" in text
    assert "ZM-BUL-FACTS" not in text and "ZM-BUL-TREAT2" not in text and "ZM-BUL-TITLE" in text
    assert text.count('<li id="rev-') == 3  # published, corrected, withdrawn
    assert "ZM-BUL-FACTS" not in client.get("/notices/bulletins/feed.atom").get_data(as_text=True)
    assert "ZM-BUL-TITLE" not in client.get("/notices/bulletins?q=zm-bul-facts").get_data(as_text=True)
    late = {**fix, "form_token": fresh_form_token(app)}  # the page offers no correction form any more
    assert drafter.post(edit, late).status_code == 409  # a withdrawn bulletin is not corrected
    with app.app_context():
        actions = set(db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.action.like("bulletin_%"))))
    assert actions == {
        "bulletin_viewed",
        "bulletin_submitted",
        "bulletin_approved",
        "bulletin_corrected",
        "bulletin_withdrawn",
    }


def test_a_returned_bulletin_is_redrafted_and_submitted_to_another_leader(app, cadre, staff, intake):
    world = referred_case(app, cadre, staff, intake)
    assert submit(world, world.leader.user_id).status_code == 303
    assert decide(world.leader, world, "return", reason="").status_code == 400
    assert decide(world.leader, world, "return", reason="ZM-BUL-RETURN 删去村名。").status_code == 303
    assert draft_row(app, world.case_id)[0] == "returned"
    assert not approver_holds(app, world.case_id, world.leader.user_id)
    html = world.drafter.get(page(world.case_id)).get_data(as_text=True)
    assert "ZM-BUL-RETURN" in html and 'name="title"' in html
    assert all(b"ZM-BUL-RETURN" not in blob for blob in every_stored_value(app))
    assert submit(world, world.other_leader.user_id, facts="ZM-BUL-FACTS 检举人捏造事实。").status_code == 303
    assert draft_row(app, world.case_id)[:2] == ("submitted", world.other_leader.user_id)
    assert decide(world.leader, world, "approve", confirmed="1").status_code == 403
    assert decide(world.other_leader, world, "approve").status_code == 303


def test_a_leader_who_drafts_never_approves_their_own(app, cadre, staff, intake):
    world = referred_case(app, cadre, staff, intake)
    # A leader holds the case only when asked to approve; as a drafter they need the key first.
    assert submit(world, world.leader.user_id).status_code == 303
    assert decide(world.leader, world, "return", reason="我来改。").status_code == 303
    with app.app_context():
        row = db.session.get(BulletinDraft, world.case_id)
        row.drafter_id = world.leader.user_id  # as if the leader had written it
        row.status = "submitted"
        row.approver_id = world.other_leader.user_id
        db.session.commit()
    refused = decide(world.leader, world, "approve", confirmed="1")
    assert refused.status_code == 409 and "双人审核" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Bulletin)) == 0


def test_only_a_referred_malicious_accusation_may_have_a_bulletin(app, cadre, staff, intake):
    """Flagged, referred, and concluded where it was referred (the accuser's treatment decided)."""
    reviewer, chief = staff("zhao.rev", "reviewer"), staff("qian.sup", "supervisor")
    staff("sun.lead", "leader")
    cadre.file_clarification()
    from tests.conftest import only_case_id

    case_id = only_case_id(app)
    intake.accept(case_id, reviewer)
    reviewer.act(case_id, "verify")
    assert chief.get(page(case_id)).status_code == 409
    assert reviewer.act(case_id, "flag", flag="suspected_malicious").status_code == 303
    assert chief.get(page(case_id)).status_code == 409  # flagged, not yet referred
    assert page(case_id) not in chief.get(f"/review/cases/{case_id}").get_data(as_text=True)
    day = today(app)
    assert refer(chief, case_id, referred_on=day.isoformat()).status_code == 303
    assert chief.get(page(case_id)).status_code == 409  # referred, no outcome reported yet
    with app.app_context():
        referral_id = db.session.scalar(db.select(Referral.id).where(Referral.case_id == case_id))
    assert record_outcome(chief, case_id, referral_id, "filed", day).status_code == 303
    assert chief.get(page(case_id)).status_code == 409  # 立案 is not yet a final outcome
    assert record_outcome(chief, case_id, referral_id, "not_pursued", day, "证据不足，不予追究。").status_code == 303
    assert chief.get(page(case_id)).status_code == 200
    assert page(case_id) in chief.get(f"/review/cases/{case_id}").get_data(as_text=True)


def test_script_in_every_field_is_shown_as_text(app, cadre, client, staff, intake):
    world = referred_case(app, cadre, staff, intake)
    fields = {"title": f"T{SCRIPT}", "facts": f"F{SCRIPT}", "treatment": f"R{SCRIPT}"}
    assert submit(world, world.leader.user_id, **fields).status_code == 303
    assert SCRIPT not in world.leader.get(page(world.case_id)).get_data(as_text=True)
    assert decide(world.leader, world, "approve").status_code == 303
    bulletin_id = draft_row(app, world.case_id)[2]
    for path in (
        "/notices/bulletins",
        f"/notices/bulletins/{bulletin_id}",
        f"/notices/bulletins/{bulletin_id}/print",
        "/notices/bulletins/feed.atom",
        f"/review/bulletins/{bulletin_id}/correct",
    ):
        who = world.drafter.client if path.startswith("/review") else client
        body = who.get(path).get_data(as_text=True)
        assert "<script>alert" not in body, path
        assert "&lt;script&gt;" in body, path


def test_shredding_the_case_keeps_its_bulletin_and_deletes_its_draft(app, cadre, client, staff, intake, monkeypatch):
    from portal.services import retention

    world = referred_case(app, cadre, staff, intake)
    assert submit(world, world.leader.user_id).status_code == 303
    assert decide(world.leader, world, "approve").status_code == 303
    bulletin_id = draft_row(app, world.case_id)[2]
    reviewer = world.reviewer
    proposed = reviewer.act(world.case_id, "propose_finding", finding="unverifiable", reason="No witness.")
    assert proposed.status_code == 303
    closed = world.drafter.act(world.case_id, "approve_finding", reason="经核查，反映问题查无实据。")
    assert closed.status_code == 303  # 查无实据 closes the case
    with app.app_context():
        later = retention.today().replace(year=retention.today().year + 6)
    monkeypatch.setattr(retention, "today", lambda: later)
    with app.app_context():
        assert [d.case_id for d in retention.purge()] == [world.case_id]
        assert db.session.get(BulletinDraft, world.case_id) is None
        assert db.session.get(Bulletin, bulletin_id).case_id is None
    assert "ZM-BUL-FACTS" in client.get(f"/notices/bulletins/{bulletin_id}").get_data(as_text=True)
