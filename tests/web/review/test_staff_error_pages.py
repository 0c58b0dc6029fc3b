"""Staff who hit a 403 or 404 stay in the staff layout: their navigation, their footer, their way home."""

from __future__ import annotations

import pytest

STAFF_NAV = 'aria-label="工作台"'
STAFF_FOOTER = "正名平台办理工作台。所有操作均记入审计日志。"


def staff_layout(page: str) -> bool:
    return STAFF_NAV in page and STAFF_FOOTER in page and "返回工作台" in page


@pytest.mark.parametrize(
    "path", ["/review/no-such-page", "/review/cases/0123456789abcdef0123456789abcdef", "/review/notices/999999/correct"]
)
def test_a_supervisor_gets_404_inside_the_workspace(staff, path):
    chief = staff("qian.sup", "supervisor")
    response = chief.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and "页面不存在" in page
    assert staff_layout(page) and '<a href="/review">返回工作台</a>' in page


def test_an_admin_gets_404_under_admin_inside_the_workspace(staff):
    admin = staff("root.adm", "admin")
    response = admin.get("/admin/no-such-page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and staff_layout(page)
    assert "/admin/audit" in page  # the admin's own navigation


def test_403_keeps_the_staff_layout_for_an_admin_and_a_reviewer(staff):
    admin = staff("root.adm", "admin")
    response = admin.get("/review")
    page = response.get_data(as_text=True)
    assert response.status_code == 403 and "不允许此操作" in page and staff_layout(page)
    assert '<a href="/admin">返回工作台</a>' in page
    reviewer = staff("zhao.rev", "reviewer")
    response = reviewer.get("/admin/audit")
    assert response.status_code == 403 and staff_layout(response.get_data(as_text=True))
    response = reviewer.get("/review/grants")
    assert response.status_code == 403 and staff_layout(response.get_data(as_text=True))


def test_english_staff_error_page_stays_in_the_workspace(staff):
    chief = staff("qian.sup", "supervisor")
    chief.client.get("/lang/en")
    page = chief.get("/review/no-such-page").get_data(as_text=True)
    assert "Back to the workspace" in page and "Zhengming review workspace." in page


def test_the_cadre_side_keeps_the_public_layout(client):
    page = client.get("/no-such-page").get_data(as_text=True)
    assert STAFF_NAV not in page and STAFF_FOOTER not in page and "返回首页" in page
