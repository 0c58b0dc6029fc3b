"""典型案例通报 naming the cadre, with their consent, through HTTP (issue 10, h12b): the drafter ticks
it, the cadre reads the exact text on their status page and consents or declines (or withdraws),
the leader approves only a text consented to, and a correction must take the name out."""

from __future__ import annotations

from flask import Flask

from portal.domain.bodies import HoldReason
from portal.extensions import db
from portal.models import AuditEntry, Bulletin, BulletinDraft, CaseEvent, CaseKey
from tests.conftest import Cadre, _client, hidden
from tests.web.bulletin_helpers import CADRE_NAME, Referred, bulletin_form, referred_case
from tests.web.review.test_authorization_matrix import fresh_form_token
from tests.web.review.test_bulletins import SCRIPT, decide, draft_row, page
from tests.web.test_confidentiality import database_files, every_stored_value

NAMED_FACTS = f"ZM-BUL-FACTS 检举人捏造事实，多次匿名举报{CADRE_NAME}同志收受礼品，经核查失实。"
CONSENT, DECLINE = "/followup/bulletin/consent", "/followup/bulletin/decline"


def submit_naming(world: Referred, approver_id: int | None = None, **fields: str):
    data = {**bulletin_form(facts=NAMED_FACTS, **fields), "approver": str(approver_id or world.leader.user_id)}
    return world.drafter.post(page(world.case_id), {**data, "names_cadre": "y"})


def consent_row(app: Flask, case_id: str) -> tuple[str, str | None, bool]:
    with app.app_context():
        row = db.session.get(BulletinDraft, case_id)
        return row.status, row.consent, row.consented_digest is not None


def snapshot(app: Flask) -> tuple:
    """What a refused answer must leave as it was."""
    with app.app_context():
        count = lambda model: db.session.scalar(db.select(db.func.count()).select_from(model))  # noqa: E731
        rows = db.session.execute(
            db.select(BulletinDraft.status, BulletinDraft.consent, BulletinDraft.consented_digest)
        )
        return count(Bulletin), count(CaseEvent), count(CaseKey), count(AuditEntry), tuple(rows)


def status_page(cadre: Cadre) -> str:
    return cadre.client.get("/followup/status").get_data(as_text=True)


def answer(cadre: Cadre, path: str, confirm: bool = True, digest: str | None = None):
    """Post an answer with the status page's tokens (and the digest of the text shown, to consent)."""
    html = status_page(cadre)
    data = {"text_digest": digest if digest is not None else hidden(html, "text_digest")} if path == CONSENT else {}
    return cadre.post(path, data, tokens=cadre.form("/followup/status"), confirm=confirm)


def test_the_cadre_consents_to_the_exact_text_and_the_published_bulletin_names_them(app, cadre, client, staff, intake):
    world = referred_case(app, cadre, staff, intake)
    assert submit_naming(world, title=f"ZM-BUL-TITLE 为{CADRE_NAME}同志澄清正名").status_code == 303
    assert consent_row(app, world.case_id) == ("submitted", "asked", False)
    # The name sits only in ciphertext until publication.
    stored = every_stored_value(app) + database_files(app)
    for encoded in (CADRE_NAME.encode(), CADRE_NAME.encode("utf-16-le")):
        assert not any(encoded in blob for blob in stored)

    # Before the cadre consents the leader cannot approve: a clear refusal, nothing changes.
    before = snapshot(app)
    refused = decide(world.leader, world, "approve")
    assert refused.status_code == 409 and "同意" in refused.get_data(as_text=True)
    assert decide(world.leader, world, "approve", confirmed="1").status_code == 409
    assert snapshot(app)[:3] == before[:3] and snapshot(app)[4] == before[4]
    assert "尚未同意" in world.leader.get(page(world.case_id)).get_data(as_text=True)

    # The cadre reads the text exactly as it would be published, and is asked to confirm.
    cadre.follow_up(world.receipt)
    html = status_page(cadre)
    assert NAMED_FACTS in html and "ZM-BUL-TITLE" in html and "ZM-BUL-TREAT" in html
    assert "同意公开姓名" in html and "不同意" in html and CONSENT in html and DECLINE in html
    before = snapshot(app)
    asked = answer(cadre, CONSENT, confirm=False)
    assert asked.status_code == 200 and "确认" in asked.get_data(as_text=True)
    assert snapshot(app) == before  # the confirmation page changed nothing

    # Confirmed: one consent, audited without content, on the cadre's timeline; a replay is refused.
    html = status_page(cadre)
    payload = {**cadre.form("/followup/status"), "text_digest": hidden(html, "text_digest"), "confirmed": "1"}
    assert cadre.client.post(CONSENT, data=payload).status_code == 303
    assert consent_row(app, world.case_id) == ("submitted", "given", True)
    after = snapshot(app)
    assert cadre.client.post(CONSENT, data=payload).status_code >= 400
    assert snapshot(app) == after
    html = status_page(cadre)
    assert "您已同意在典型案例通报中公开姓名" in html and "撤回同意" in html
    with app.app_context():
        entries = list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action.like("bulletin_naming_%"))))
    assert [(e.action, e.detail, e.actor_id) for e in entries] == [("bulletin_naming_consented", None, None)]
    assert "本人已同意" in world.leader.get(page(world.case_id)).get_data(as_text=True)

    # The leader approves; the public bulletin names the cadre: list, detail, feed.
    assert decide(world.leader, world, "approve").status_code == 303
    bulletin_id = draft_row(app, world.case_id)[2]
    detail = client.get(f"/notices/bulletins/{bulletin_id}").get_data(as_text=True)
    assert CADRE_NAME in detail
    assert f"为{CADRE_NAME}同志澄清正名" in client.get("/notices/bulletins").get_data(as_text=True)
    assert CADRE_NAME in client.get(f"/notices/bulletins?q={CADRE_NAME}").get_data(as_text=True)
    assert CADRE_NAME in client.get("/notices/bulletins/feed.atom").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Bulletin, bulletin_id).names_cadre
        # No name in any audit detail nor any event detail.
        details = db.session.scalars(db.select(AuditEntry.detail).where(AuditEntry.detail.is_not(None)))
        assert not any(CADRE_NAME in d for d in details)
    # Once published the cadre's consent is no longer theirs to withdraw, and no form offers it.
    cadre.follow_up(world.receipt)
    assert DECLINE not in status_page(cadre)
    late = cadre.client.post(DECLINE, data=cadre.form("/followup/status"))
    assert late.status_code == 409

    # A correction of a naming bulletin must take the name out.
    edit = f"/review/bulletins/{bulletin_id}/correct"
    keeps = world.drafter.post(edit, {**bulletin_form(facts=NAMED_FACTS + "（更正）"), "reason": "更正。"})
    assert keeps.status_code == 400 and "姓名" in keeps.get_data(as_text=True)
    assert world.drafter.post(edit, {**bulletin_form(), "reason": "删去姓名。"}).status_code == 303
    with app.app_context():
        assert not db.session.get(Bulletin, bulletin_id).names_cadre
    # Taken out everywhere the public looks, the correction's own history included.
    detail = client.get(f"/notices/bulletins/{bulletin_id}").get_data(as_text=True)
    assert CADRE_NAME not in detail and "删去姓名" in detail and "原文含本人姓名" in detail
    for address in ("/notices/bulletins", f"/notices/bulletins/{bulletin_id}/print", "/notices/bulletins/feed.atom"):
        assert CADRE_NAME not in client.get(address).get_data(as_text=True), address
    assert f'/notices/bulletins/{bulletin_id}"' not in client.get(f"/notices/bulletins?q={CADRE_NAME}").get_data(
        as_text=True
    )


def test_the_cadre_declines_and_the_draft_goes_back_to_its_drafter(app, cadre, client, staff, intake):
    world = referred_case(app, cadre, staff, intake)
    # Without the tick, a text naming the cadre is still refused.
    named = world.drafter.post(
        page(world.case_id), {**bulletin_form(facts=NAMED_FACTS), "approver": str(world.leader.user_id)}
    )
    assert named.status_code == 400 and "姓名" in named.get_data(as_text=True)
    assert submit_naming(world).status_code == 303
    assert decide(world.leader, world, "approve").status_code == 409
    cadre.follow_up(world.receipt)
    assert answer(cadre, DECLINE).status_code == 303
    assert consent_row(app, world.case_id) == ("returned", "declined", False)
    with app.app_context():
        assert db.session.get(CaseKey, (world.case_id, world.leader.user_id)) is None  # the leader's copy went
    html = status_page(cadre)
    assert "您不同意在典型案例通报中公开姓名" in html and CONSENT not in html
    drafter_page = world.drafter.get(page(world.case_id)).get_data(as_text=True)
    assert "本人不同意公开姓名" in drafter_page and 'name="title"' in drafter_page
    assert decide(world.leader, world, "approve", confirmed="1").status_code == 409  # returned: nothing to approve
    # The drafter redrafts without naming; it is approved and names nobody.
    again = world.drafter.post(page(world.case_id), {**bulletin_form(), "approver": str(world.leader.user_id)})
    assert again.status_code == 303
    assert consent_row(app, world.case_id) == ("submitted", None, False)
    assert decide(world.leader, world, "approve").status_code == 303
    bulletin_id = draft_row(app, world.case_id)[2]
    assert CADRE_NAME not in client.get(f"/notices/bulletins/{bulletin_id}").get_data(as_text=True)
    with app.app_context():
        actions = list(
            db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.action.like("bulletin_naming_%")))
        )
    assert actions == ["bulletin_naming_declined"]


def test_an_edit_after_consent_asks_again_and_a_stale_consent_is_refused(app, cadre, staff, intake):
    world = referred_case(app, cadre, staff, intake)
    assert submit_naming(world).status_code == 303
    cadre.follow_up(world.receipt)
    first_digest = hidden(status_page(cadre), "text_digest")
    assert answer(cadre, CONSENT).status_code == 303
    assert decide(world.leader, world, "return", reason="请补充处理结果。").status_code == 303
    assert consent_row(app, world.case_id) == ("returned", "given", True)

    # An edited text asks the cadre again; the leader cannot approve it before.
    assert submit_naming(world, treatment="ZM-BUL-TREAT 检举人受到党内严重警告处分。").status_code == 303
    assert consent_row(app, world.case_id) == ("submitted", "asked", False)
    assert decide(world.leader, world, "approve").status_code == 409
    before = snapshot(app)
    stale = answer(cadre, CONSENT, digest=first_digest)  # the text they consented to is not this one
    assert stale.status_code == 409 and "重新阅读" in stale.get_data(as_text=True)
    assert answer(cadre, CONSENT, digest="not hex").status_code == 409
    assert snapshot(app)[1:] == before[1:]
    assert "严重警告" in status_page(cadre)
    assert answer(cadre, CONSENT).status_code == 303

    # The cadre may change their mind until publication: a withdrawn consent returns the draft.
    assert answer(cadre, DECLINE).status_code == 303
    assert consent_row(app, world.case_id) == ("returned", "declined", False)
    assert "您已撤回" in status_page(cadre)
    # Asked again with the same text, they consent again; a resubmission of that very text keeps it.
    assert submit_naming(world, treatment="ZM-BUL-TREAT 检举人受到党内严重警告处分。").status_code == 303
    assert answer(cadre, CONSENT).status_code == 303
    assert decide(world.leader, world, "return", reason="换一位领导审批。").status_code == 303
    resubmitted = submit_naming(
        world, world.other_leader.user_id, treatment="ZM-BUL-TREAT 检举人受到党内严重警告处分。"
    )
    assert resubmitted.status_code == 303
    assert consent_row(app, world.case_id) == ("submitted", "given", True)
    assert decide(world.other_leader, world, "approve").status_code == 303
    with app.app_context():
        actions = list(
            db.session.scalars(
                db.select(AuditEntry.action).where(AuditEntry.action.like("bulletin_naming_%")).order_by(AuditEntry.id)
            )
        )
    assert actions == [
        "bulletin_naming_consented",
        "bulletin_naming_consented",
        "bulletin_naming_withdrawn",
        "bulletin_naming_consented",
    ]


def test_nobody_else_answers_for_the_cadre(app, cadre, staff, intake):
    world = referred_case(app, cadre, staff, intake)
    assert submit_naming(world).status_code == 303
    cadre.follow_up(world.receipt)
    digest = hidden(status_page(cadre), "text_digest")

    # Another cadre's session (their own receipt) reaches only their own case: nothing to answer there.
    other = Cadre(_client(app))
    other.follow_up(other.receipt_of(other.file_concern()))
    before = snapshot(app)
    assert CONSENT not in status_page(other) and CADRE_NAME not in status_page(other)
    refused = other.post(CONSENT, {"text_digest": digest}, tokens=other.form("/followup/status"))
    assert refused.status_code == 409
    assert other.post(DECLINE, {}, tokens=other.form("/followup/status")).status_code == 409

    # No follow-up session at all (a stranger, or staff in their own browser): refused before anything.
    stranger = _client(app)
    assert stranger.post(CONSENT, data={"text_digest": digest}).status_code in (400, 401)
    for member in (world.drafter, world.leader, world.reviewer):
        token = {"form_token": fresh_form_token(app), "text_digest": digest, "confirmed": "1"}
        assert member.client.post(CONSENT, data=token).status_code in (400, 401)
        assert member.client.post(DECLINE, data=token).status_code in (400, 401)
    assert snapshot(app)[1:] == before[1:]
    assert consent_row(app, world.case_id) == ("submitted", "asked", False)


def test_script_in_the_text_is_shown_as_text_on_the_cadres_page(app, cadre, staff, intake):
    world = referred_case(app, cadre, staff, intake)
    assert submit_naming(world, title=f"T{SCRIPT}", treatment=f"R{SCRIPT}").status_code == 303
    cadre.follow_up(world.receipt)
    html = status_page(cadre)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    asked = answer(cadre, CONSENT, confirm=False)
    assert "<script>alert" not in asked.get_data(as_text=True)


def test_a_naming_bulletin_whose_case_was_shredded_is_not_corrected(app, cadre, staff, intake, monkeypatch):
    from portal.services import retention

    world = referred_case(app, cadre, staff, intake)
    assert submit_naming(world).status_code == 303
    cadre.follow_up(world.receipt)
    assert answer(cadre, CONSENT).status_code == 303
    assert decide(world.leader, world, "approve").status_code == 303
    bulletin_id = draft_row(app, world.case_id)[2]
    proposed = world.reviewer.act(world.case_id, "propose_finding", finding="unverifiable", reason="No witness.")
    assert proposed.status_code == 303
    assert world.drafter.act(world.case_id, "approve_finding", reason="经核查，反映问题查无实据。").status_code == 303
    with app.app_context():
        later = retention.today().replace(year=retention.today().year + 6)
    monkeypatch.setattr(retention, "today", lambda: later)
    with app.app_context():
        assert [d.case_id for d in retention.purge()] == [world.case_id]
    edit = f"/review/bulletins/{bulletin_id}/correct"
    refused = world.drafter.post(edit, {**bulletin_form(), "reason": "删去姓名。"})
    assert refused.status_code == 409 and "撤回" in refused.get_data(as_text=True)
    with app.app_context():
        assert CADRE_NAME in db.session.get(Bulletin, bulletin_id).facts  # unchanged; it can be withdrawn
    assert (
        world.drafter.post(
            f"/review/bulletins/{bulletin_id}/withdraw", {"reason": "无法征得本人同意。"}, form_page=edit
        ).status_code
        == 303
    )


def test_the_approvers_key_copy_goes_when_the_cadre_declines(app, cadre, staff, intake):
    world = referred_case(app, cadre, staff, intake)
    assert submit_naming(world).status_code == 303
    with app.app_context():
        row = db.session.get(CaseKey, (world.case_id, world.leader.user_id))
        assert row is not None and row.reason == HoldReason.APPROVER.value
    cadre.follow_up(world.receipt)
    assert answer(cadre, CONSENT).status_code == 303
    assert answer(cadre, DECLINE).status_code == 303  # a consent withdrawn while the draft waits
    with app.app_context():
        assert db.session.get(CaseKey, (world.case_id, world.leader.user_id)) is None
    assert consent_row(app, world.case_id) == ("returned", "declined", False)


def test_the_archive_copy_says_the_bulletin_names_the_cadre_with_their_consent(app, cadre, staff, intake):
    world = referred_case(app, cadre, staff, intake)
    assert submit_naming(world).status_code == 303
    cadre.follow_up(world.receipt)
    assert answer(cadre, CONSENT).status_code == 303
    assert decide(world.leader, world, "approve").status_code == 303
    # Concluded unverifiable: closed, so it may be exported for the paper archive.
    world.reviewer.act(world.case_id, "propose_finding", finding="unverifiable", reason="无法查实。")
    assert world.drafter.act(world.case_id, "approve_finding", reason="经核查，无法查实。").status_code == 303
    html = world.reviewer.get(f"/review/cases/{world.case_id}/archive").get_data(as_text=True)
    assert "经本人同意公开姓名" in html and "本人已同意通报文本" in html and NAMED_FACTS in html
