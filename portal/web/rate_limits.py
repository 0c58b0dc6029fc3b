"""The rate limiter: web code (it keys on the client), so it lives here, not in extensions."""

from __future__ import annotations

from flask_limiter import Limiter

from portal.web.client_key import limiter_key

limiter = Limiter(key_func=limiter_key)
