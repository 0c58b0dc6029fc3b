"""The cadre's choice of body (受理机关) and where a case then goes: through HTTP, as a cadre would."""

from __future__ import annotations

import html
import re

from portal.extensions import db
from portal.models import Case
from tests.conftest import Staff
from tests.web.body_helpers import Member, cases, default_body_id, holders, make_body

NOT_LISTED = "The body chosen is not one of those listed. Choose one of the list; nothing was sent."


def english(cadre):
    cadre.client.set_cookie("zm_lang", "en")
    return cadre


def body_select(page: str) -> str:
    found = re.search(r'<select[^>]*name="body"[^>]*>(.*?)</select>', page, re.S)
    assert found, "no body select on the form"
    return found.group(1)


def groups(page: str) -> list[tuple[str, list[str]]]:
    """The select's option groups in order, each with its options' words."""
    return [
        (html.unescape(label), [html.unescape(t) for t in re.findall(r"<option[^>]*>([^<]*)</option>", body)])
        for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', body_select(page), re.S)
    ]


def selected(page: str) -> str:
    found = re.search(
        r"<option selected[^>]*>([^<]*)</option>|<option[^>]*selected[^>]*>([^<]*)</option>", body_select(page)
    )
    assert found, "nothing preselected"
    return html.unescape(found.group(1) or found.group(2))


def option_value(page: str, words: str) -> str:
    options = {
        html.unescape(t): v
        for v, t in re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', body_select(page))
    }
    return options[words]


def tree(app):
    """A county commission (the default body) with a dispatched group, two townships, a department,
    a township without its escrow key yet, and one whose name is not public; and a city above nobody."""
    county = default_body_id(app)
    made = {
        "group": make_body(app, "县纪委监委派驻第一纪检监察组", "dispatched", "county", county),
        "east": make_body(app, "东镇纪委", "township", "township", county),
        "west": make_body(app, "西镇纪委", "township", "township", county),
        "dept": make_body(app, "县委组织部", "department", "county", county),
        "new": make_body(app, "南镇纪委", "township", "township", county, escrow=False),
        "hidden": make_body(app, "北镇纪委", "township", "township", county, public=False),
        "city": make_body(app, "某市纪委监委", "commission", "city"),
    }
    return {"county": county, **made}


def test_the_concern_form_lists_public_bodies_with_escrow_grouped_by_level(app, cadre):
    tree(app)
    page = english(cadre).client.get("/submit/concern").get_data(as_text=True)
    assert groups(page) == [
        ("City level", ["某市纪委监委"]),
        ("County level", ["测试县纪委监委", "县纪委监委派驻第一纪检监察组", "县委组织部"]),
        ("Township level", ["东镇纪委", "西镇纪委"]),
    ]
    assert "南镇纪委" not in page and "北镇纪委" not in page  # no escrow key yet; name not public
    assert selected(page) == "Decided by the category of the concern"  # optional for a concern


def test_the_clarification_form_lists_discipline_bodies_only_with_the_default_preselected(app, cadre):
    tree(app)
    page = english(cadre).client.get("/submit/clarification").get_data(as_text=True)
    assert [group for group, _ in groups(page)] == ["City level", "County level", "Township level"]
    assert "县委组织部" not in page
    assert selected(page) == "测试县纪委监委"
    assert "Decided by the category" not in body_select(page)
    for rank in ("General cadre", "Section level", "Division level", "Bureau level"):
        assert rank in page


def test_with_one_body_the_form_names_it_instead_of_offering_a_choice(app, cadre):
    page = english(cadre).client.get("/submit/clarification").get_data(as_text=True)
    assert 'name="body"' not in page and "测试县纪委监委" in page
    cadre.file_clarification(rank="general")
    assert [body for _id, body, _cat in cases(app)] == [default_body_id(app)]


def test_a_case_filed_to_a_body_is_sealed_to_its_intake_officers_and_no_one_else(app, cadre):
    bodies = tree(app)
    east = [Member(app, f"east.in{i}", "intake", bodies["east"], login=False) for i in range(2)]
    Member(app, "east.rev", "reviewer", bodies["east"], login=False)
    Member(app, "east.sup", "supervisor", bodies["east"], login=False)
    Member(app, "west.in", "intake", bodies["west"], login=False)
    Staff(app, "county.in", "intake")
    page = english(cadre).client.get("/submit/concern").get_data(as_text=True)
    response = cadre.file_concern(body=option_value(page, "东镇纪委"))
    assert response.status_code == 200
    [(case_id, body_id, _category)] = cases(app)
    assert body_id == bodies["east"]
    assert holders(app, case_id) == {m.user_id: "intake" for m in east}  # one box each, none for anyone else
    with app.app_context():
        assert db.session.get(Case, case_id).escrow_sealed_key  # and the body's escrow


def test_a_concern_with_no_body_chosen_follows_its_category_route(app, cadre, staff):
    bodies = tree(app)
    admin = staff("root.admin", "admin")
    page = admin.get("/admin/bodies").get_data(as_text=True)
    assert 'id="route-rotation"' in page
    response = admin.post(
        "/admin/bodies/routes", {"category": "rotation", "body": str(bodies["dept"])}, form_page="/admin/bodies"
    )
    assert response.status_code == 303
    cadre.file_concern(category="rotation", body="")
    cadre.file_concern(category="workload", body="")
    routed = {category: body for _id, body, category in cases(app)}
    assert routed == {"rotation": bodies["dept"], "workload": bodies["county"]}  # unrouted: the default body


def test_a_forged_body_id_is_refused_and_nothing_is_stored(app, cadre):
    bodies = tree(app)
    english(cadre)
    for forged in (str(bodies["new"]), str(bodies["hidden"]), "999999", "-1", "x"):
        response = cadre.file_concern(body=forged)
        assert response.status_code == 400, forged
        assert NOT_LISTED in response.get_data(as_text=True)
    response = cadre.file_clarification(rank="section", body=str(bodies["dept"]))  # not a discipline body
    assert response.status_code == 400 and NOT_LISTED in response.get_data(as_text=True)
    assert cases(app) == []


def test_the_rank_is_stored_with_a_clarification_request_and_read_back(app, cadre):
    tree(app)
    english(cadre)
    page = cadre.client.get("/submit/clarification").get_data(as_text=True)
    response = cadre.file_clarification(rank="division", body=option_value(page, selected(page)))
    receipt = cadre.receipt_of(response)
    missing = cadre.file_clarification(rank="", body=option_value(page, selected(page)))
    assert missing.status_code == 400 and "Please choose your rank." in missing.get_data(as_text=True)
    cadre.follow_up(receipt)
    status = cadre.client.get("/followup/status").get_data(as_text=True)
    assert "Your rank" in status and "Division level" in status
    assert len(cases(app)) == 1


def test_the_pages_with_a_body_choice_have_unique_ids_and_no_script(app, cadre, staff):
    from tests.html_checks import assert_unique_ids

    tree(app)
    admin = staff("root.admin", "admin")
    pages = [(cadre.client, "/submit/concern"), (cadre.client, "/submit/clarification")]
    pages += [(admin.client, "/admin"), (admin.client, "/admin/bodies")]
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_unique_ids(response, path)
        assert "<script" not in response.get_data(as_text=True), path  # the forms work without JavaScript


def test_the_bodies_page_shows_the_tree_in_chinese(app, staff):
    bodies = tree(app)
    admin = staff("root.admin", "admin")
    admin.client.set_cookie("zm_lang", "zh_CN")
    page = admin.get("/admin/bodies").get_data(as_text=True)
    assert "待设置托管密钥" in page.split("南镇纪委")[1].split("</li>")[0]
    assert "某市纪委监委" not in page  # above the admin's body: not theirs
    assert page.index("测试县纪委监委") < page.index("东镇纪委")
    assert "派驻纪检监察组" in page and "一般干部、科级" in page
    assert f'value="{bodies["dept"]}"' in page  # a route may go to the department, which has escrow


def test_the_cadre_reads_the_body_choice_in_chinese(app, cadre):
    tree(app)
    page = cadre.client.get("/submit/concern").get_data(as_text=True)
    assert '<label for="body">受理机关（选填）</label>' in page
    assert selected(page) == "按反映类别自动确定"
    assert [group for group, _ in groups(page)] == ["市级", "县级", "乡镇级"]
    page = cadre.client.get("/submit/clarification").get_data(as_text=True)
    assert "<legend>您的职级</legend>" in page and ">厅局级</label>" in page


def test_a_clarification_sent_without_the_select_goes_to_the_preselected_body_but_an_empty_choice_is_refused(
    app, cadre
):
    tree(app)
    english(cadre)
    empty = cadre.file_clarification(rank="general", body="")
    assert empty.status_code == 400 and "Please choose the receiving body." in empty.get_data(as_text=True)
    assert cases(app) == []
    cadre.receipt_of(cadre.file_clarification(rank="general"))  # no body field at all: what the page preselects
    assert [body for _id, body, _cat in cases(app)] == [default_body_id(app)]


def test_the_cadre_reads_which_body_handles_the_case_only_if_its_name_is_public(app, cadre):
    from portal.extensions import db
    from portal.models import Body

    receipt = cadre.receipt_of(cadre.file_concern())
    cadre.follow_up(receipt)
    assert "办理机关：测试县纪委监委" in cadre.client.get("/followup/status").get_data(as_text=True)
    with app.app_context():
        db.session.execute(db.update(Body).values(name_public=False))
        db.session.commit()
    page = cadre.client.get("/followup/status").get_data(as_text=True)
    assert "办理机关" not in page and "测试县纪委监委" not in page
