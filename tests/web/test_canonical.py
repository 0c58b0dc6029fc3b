"""Absolute links come from CANONICAL_URL, never from the Host header a request names."""

from __future__ import annotations

import re

import pytest

from portal import create_app


def test_the_feed_links_to_the_canonical_address_whatever_host_the_request_names(cadre_factory):
    _app, _cadre, client = cadre_factory(CANONICAL_URL="https://jw.example.gov.cn/zhengming/")
    response = client.get("/notices/feed.atom", headers={"Host": "evil.example"})
    assert response.status_code == 200
    feed = response.get_data(as_text=True)
    assert "evil.example" not in feed
    links = re.findall(r'href="([^"]+)"', feed) + re.findall(r"<id>([^<]+)</id>", feed)
    assert links and all(link.startswith("https://jw.example.gov.cn/zhengming/notices") for link in links)
    # A cache keyed on the URL serves this answer to everyone: it must not depend on the Host.
    again = client.get("/notices/feed.atom", headers={"Host": "portal.example"})
    assert again.get_data(as_text=True) == feed


def test_without_a_canonical_address_the_loopback_default_links_to_the_request_host(client):
    feed = client.get("/notices/feed.atom", headers={"Host": "127.0.0.1:5000"}).get_data(as_text=True)
    assert 'href="http://127.0.0.1:5000/notices/feed.atom"' in feed


def _production(monkeypatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("RECEIPT_PEPPER", "pepper-from-the-environment")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://zm@db.invalid/zm")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/3")


def test_production_refuses_to_start_without_a_canonical_address(monkeypatch, tmp_path):
    _production(monkeypatch)
    monkeypatch.delenv("ZM_CANONICAL_URL", raising=False)
    with pytest.raises(RuntimeError, match="CANONICAL_URL"):
        create_app(config_name="production", instance_path=str(tmp_path))


@pytest.mark.parametrize("value", ["http://jw.example.gov.cn", "jw.example.gov.cn", "https://jw.example.gov.cn/?x=1"])
def test_production_refuses_a_canonical_address_that_is_not_https(monkeypatch, tmp_path, value):
    _production(monkeypatch)
    monkeypatch.setenv("ZM_CANONICAL_URL", value)
    with pytest.raises(RuntimeError, match="CANONICAL_URL"):
        create_app(config_name="production", instance_path=str(tmp_path))


def test_production_takes_the_canonical_address_from_the_environment(monkeypatch, tmp_path):
    _production(monkeypatch)
    monkeypatch.setenv("ZM_CANONICAL_URL", "https://jw.example.gov.cn/")
    app = create_app(config_name="production", instance_path=str(tmp_path))
    assert app.config["CANONICAL_URL"] == "https://jw.example.gov.cn"
