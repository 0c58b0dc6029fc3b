"""The audit log's hash chain: each entry's hash covers its fields and the previous hash,
so editing, deleting or reordering any stored entry breaks every hash after it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from portal.domain.crypto import digest

GENESIS = b"\x00" * 32


@dataclass(frozen=True)
class Link:
    """The fields of one entry that the chain protects (never any case content)."""

    id: int
    at: str
    actor_id: int | None
    action: str
    case_id: str | None
    target_user_id: int | None
    detail: str | None


def entry_hash(prev_hash: bytes, link: Link) -> bytes:
    """The suite's hash (SHA-256, or SM3 under `gm`) over the previous hash and a canonical
    encoding of the entry."""
    body = json.dumps(
        [link.id, link.at, link.actor_id, link.action, link.case_id, link.target_user_id, link.detail],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    return digest(prev_hash + body)


@dataclass(frozen=True)
class Break:
    """Where the chain stops being trustworthy."""

    entry_id: int | None  # first entry whose hashes do not match; None if entries are missing at the end
    reason: str


def first_break(entries: Iterable[tuple[Link, bytes, bytes]], head: bytes) -> Break | None:
    """Walk (link, stored prev_hash, stored hash) in id order against the stored head hash."""
    expected_prev = GENESIS
    for link, prev_hash, stored in entries:
        if prev_hash != expected_prev:
            return Break(link.id, "does not follow the previous entry (one was removed or reordered)")
        if entry_hash(prev_hash, link) != stored:
            return Break(link.id, "was altered")
        expected_prev = stored
    if expected_prev != head:
        return Break(None, "entries are missing after the last one")
    return None
