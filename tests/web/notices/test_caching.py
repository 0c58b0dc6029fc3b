"""Public caching: a minute in any cache, then revalidation by ETag or date; 304s carry no body."""

from __future__ import annotations

import pytest

PATHS = ["/notices", "/notices/{id}", "/notices/feed.atom"]


@pytest.fixture
def notice_id(desk) -> int:
    return desk.publish()


def get(client, template: str, notice_id: int, **headers):
    return client.get(template.format(id=notice_id), headers=headers)


@pytest.mark.parametrize("template", PATHS)
def test_public_responses_are_cacheable_with_validators(client, notice_id, template):
    response = get(client, template, notice_id)
    assert response.status_code == 200
    h = response.headers
    assert h["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in h["Vary"]
    assert h["ETag"].startswith('"') and len(h["ETag"]) > 10
    assert h["Last-Modified"].endswith(" GMT")
    assert "Set-Cookie" not in h
    assert "Pragma" not in h


@pytest.mark.parametrize("template", PATHS)
def test_if_none_match_gets_an_empty_304(client, notice_id, template):
    etag = get(client, template, notice_id).headers["ETag"]
    response = get(client, template, notice_id, **{"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag
    assert response.headers["Cache-Control"] == "public, max-age=60"


@pytest.mark.parametrize("template", PATHS)
def test_if_modified_since_gets_an_empty_304(client, notice_id, template):
    last_modified = get(client, template, notice_id).headers["Last-Modified"]
    response = get(client, template, notice_id, **{"If-Modified-Since": last_modified})
    assert response.status_code == 304 and response.data == b""
    older = get(client, template, notice_id, **{"If-Modified-Since": "Mon, 01 Jan 2018 00:00:00 GMT"})
    assert older.status_code == 200 and older.data


@pytest.mark.parametrize("template", PATHS)
def test_etag_changes_after_a_correction_and_the_new_text_is_served(client, desk, notice_id, template):
    etag = get(client, template, notice_id).headers["ETag"]
    desk.correct(notice_id, reason="标题有误", title="更正后的标题")
    response = get(client, template, notice_id, **{"If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["ETag"] != etag
    assert "更正后的标题" in response.get_data(as_text=True)


@pytest.mark.parametrize("template", ["/notices", "/notices/feed.atom"])
def test_a_new_notice_in_the_same_hour_changes_the_list(client, desk, notice_id, template):
    etag = get(client, template, notice_id).headers["ETag"]
    desk.publish(title="同一小时内的新公告")
    response = get(client, template, notice_id, **{"If-None-Match": etag})
    assert response.status_code == 200
    assert "同一小时内的新公告" in response.get_data(as_text=True)


def test_a_withdrawal_changes_the_notice_etag(client, desk, notice_id):
    etag = get(client, "/notices/{id}", notice_id).headers["ETag"]
    desk.withdraw(notice_id)
    assert get(client, "/notices/{id}", notice_id, **{"If-None-Match": etag}).status_code == 200


@pytest.mark.parametrize("template", PATHS)
def test_each_language_has_its_own_etag(client, notice_id, template):
    chinese = get(client, template, notice_id)
    client.set_cookie("zm_lang", "en")
    english = get(client, template, notice_id, **{"If-None-Match": chinese.headers["ETag"]})
    assert english.status_code == 200
    assert english.headers["ETag"] != chinese.headers["ETag"]
    assert english.data != chinese.data


def test_each_query_has_its_own_etag(client, notice_id):
    tags = {client.get(path).headers["ETag"] for path in ("/notices", "/notices?q=王建国", "/notices?year=2024")}
    assert len(tags) == 3


def test_errors_are_not_cached_publicly(client, notice_id):
    for path in ("/notices/999", "/notices?older=bad"):
        assert client.get(path).headers["Cache-Control"] == "no-store"


def test_a_pending_message_is_never_cached(app, client, notice_id):
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "只给这个人看的消息")]
    response = client.get(f"/notices/{notice_id}")
    assert "只给这个人看的消息" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    again = client.get(f"/notices/{notice_id}")
    assert "只给这个人看的消息" not in again.get_data(as_text=True)
    assert again.headers["Cache-Control"] == "public, max-age=60"
