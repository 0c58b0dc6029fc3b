"""Absolute links come from the configured address (CANONICAL_URL), never from the request's Host.

A request may say `Host: evil.example`; the Atom feed is publicly cacheable, so
a link built from that header would be served to everyone who reads the cache.
`PortalFlask.url_for` builds every `_external=True` link, in any view or
template, from CANONICAL_URL instead. Production refuses to start without it
(`check_config`); the loopback default has none and keeps Flask's behaviour.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, has_request_context, request


def check_config(config: dict[str, Any]) -> None:
    """Normalise CANONICAL_URL (no trailing slash); refuse a malformed one, or none where it is required."""
    value = config.get("CANONICAL_URL")
    if not value:
        if config.get("REQUIRE_CANONICAL_URL"):
            raise RuntimeError(
                "refusing to start: CANONICAL_URL is not set (ZM_CANONICAL_URL=https://portal.example.gov.cn);"
                " absolute links would otherwise come from the request's Host header"
            )
        config["CANONICAL_URL"] = None
        return
    parts = urlsplit(str(value))
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment:
        raise RuntimeError(f"CANONICAL_URL must look like https://host or https://host/prefix, not {value!r}")
    if parts.scheme != "https" and config.get("REQUIRE_CANONICAL_URL"):
        raise RuntimeError("CANONICAL_URL must be an https:// address in production")
    config["CANONICAL_URL"] = str(value).rstrip("/")


class PortalFlask(Flask):
    """Flask, with external URLs built from CANONICAL_URL when it is configured."""

    def url_for(
        self,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        canonical = self.config.get("CANONICAL_URL")
        if not canonical or not _external or not has_request_context():
            return super().url_for(
                endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external, **values
            )
        path = super().url_for(endpoint, _anchor=_anchor, _method=_method, _external=False, **values)
        # The path as this request's mount point sees it; the canonical address names its own prefix.
        root = request.script_root
        if root and path.startswith(root):
            path = path[len(root) :]
        return canonical + path
