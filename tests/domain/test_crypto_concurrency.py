"""Issue 7 item 3: production-cost Argon2id derivations at once in one process.

Before the fix two such derivations in threads deadlocked on OpenSSL's thread
pool (a third failed with MemoryError). Every wait here has a timeout, so a
deadlock fails the test instead of hanging the suite.
"""

from __future__ import annotations

import threading

from portal.domain.crypto import Argon2Profile, argon2id

PRODUCTION = Argon2Profile(65536, 3, 4)
#: Output of the derivation before the fix: existing receipts and credentials must still open.
KNOWN = "29111596f2856ab0d01e1a5d0aed84724bc27ba327e750476bf8fd938939f638"
DEADLINE_SECONDS = 60


def test_concurrent_production_derivations_all_finish_with_the_known_output():
    results: dict[int, object] = {}

    def derive(i: int) -> None:
        try:
            results[i] = argon2id(b"secret", b"s" * 16, PRODUCTION, pepper=b"pepper").hex()
        except Exception as exc:  # noqa: BLE001 - the failure itself is what we report
            results[i] = exc

    threads = [threading.Thread(target=derive, args=(i,), daemon=True) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(DEADLINE_SECONDS)
    assert not any(t.is_alive() for t in threads), "derivations deadlocked"
    assert results == {i: KNOWN for i in range(4)}
