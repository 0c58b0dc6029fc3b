"""Threat model 2: no address, user agent or receipt in logs or limiter storage."""

from __future__ import annotations

import datetime as dt
import logging
import os

import pytest

from portal.web.client_key import daily_key
from portal.web.rate_limits import limiter
from tests.conftest import CLIENT_ADDRESS, CLIENT_AGENT


def full_visit(cadre, client) -> str:
    receipt = cadre.receipt_of(cadre.file_concern())
    cadre.follow_up("9999 9999 9999 9999")
    cadre.follow_up(receipt)
    client.get("/followup/status")
    cadre.reply("hello")
    client.get("/no-such-page")
    return receipt


def test_logs_name_no_address_agent_or_receipt(cadre, client, caplog):
    caplog.set_level(logging.DEBUG)
    receipt = full_visit(cadre, client)
    text = caplog.text
    for needle in (CLIENT_ADDRESS, CLIENT_AGENT, receipt, receipt.replace(" ", "")):
        assert needle not in text


def test_memory_limiter_keys_hold_no_address(app, cadre, client):
    full_visit(cadre, client)
    storage = limiter.storage
    keys = list(getattr(storage, "storage", {}).keys()) + list(getattr(storage, "events", {}).keys())
    assert keys, "the limiter counted nothing"
    assert not any(CLIENT_ADDRESS in key for key in keys)


def test_limiter_key_rotates_daily():
    assert daily_key("k", dt.date(2026, 1, 1)) != daily_key("k", dt.date(2026, 1, 2))


def test_redis_limiter_keys_hold_no_address(schema, cadre_factory):
    redis = pytest.importorskip("redis")
    url = os.environ["ZM_TEST_REDIS_URL"]  # this test's own Redis database (tests/conftest.py)
    server = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at " + url)
    server.flushdb()
    app, cadre, client = cadre_factory(RATELIMIT_STORAGE_URI=url)
    full_visit(cadre, client)
    keys = [k.decode() for k in server.keys("*")]
    assert keys
    assert not any(CLIENT_ADDRESS in k for k in keys)
    for key in keys:
        assert CLIENT_ADDRESS.encode() not in (server.dump(key) or b"")
    server.flushdb()
