"""The staff cookie says who is signed in and carries the session key's half: nothing about the client."""

from __future__ import annotations

import hashlib
import json

from flask import Flask

from tests.conftest import Staff, _client

#: Values made fresh for each sign-in (the key session's cookie half, the CSRF secret).
RANDOM_FIELDS = {"staff_key", "csrf_token"}
CLIENTS = (("198.51.100.23", "FirstAgent/1.0 (desk)"), ("192.0.2.200", "OtherAgent/7.3 (phone)"))


def staff_session(app: Flask, cookie: str) -> dict:
    with app.test_request_context("/review"):
        return app.session_interface.get_signing_serializer(app).loads(cookie)


def signed_in_from(app: Flask, member: Staff, address: str, agent: str) -> dict:
    member.client = _client(app)
    member.client.environ_base.update(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    assert member.login().status_code == 303
    assert member.get("/review").status_code == 200  # a request after sign-in may rewrite the cookie
    return staff_session(app, member.client.get_cookie("zm_staff").value)


def test_the_staff_cookie_holds_nothing_derived_from_the_address_or_agent(app):
    member = Staff(app, "li.ming", "reviewer")
    sessions = [signed_in_from(app, member, address, agent) for address, agent in CLIENTS]
    for contents, (address, agent) in zip(sessions, CLIENTS, strict=True):
        assert "_id" not in contents
        text = json.dumps(contents)
        identifier = hashlib.sha512(f"{address}|{agent}".encode()).hexdigest()  # Flask-Login's _create_identifier
        assert address not in text and agent not in text and identifier not in text
    first, second = sessions
    assert first.keys() == second.keys()
    assert {k: v for k, v in first.items() if k not in RANDOM_FIELDS} == {
        k: v for k, v in second.items() if k not in RANDOM_FIELDS
    }
