"""What each cipher suite costs: filing a case, opening one, a sign-in; prints figures.

    .venv/bin/python -m bench.cipher_suites [--rounds N] [--holders H] [--attachment-kib K]

The key operations of each use case, as the services run them, under `intl`
and `gm`, with the production Argon2id profile (and, for `gm`, the configured
PBKDF2-HMAC-SM3 count as the alternative):

- filing: one receipt derivation, the submission and one attachment encrypted
  under a fresh data key, the key wrapped for the submitter and sealed to H
  holders (intake officers and the escrow key);
- opening: a holder unseals the data key, decrypts the submission and the
  attachment;
- sign-in: the password's credential opened, the private key and the TOTP
  secret decrypted.

The slow derivation is the same Argon2id in both suites, so the figures are also
printed without it: that part is what choosing `gm` changes. Asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from config import DefaultConfig, ProductionConfig
from portal.domain import receipts
from portal.domain.crypto import (
    Argon2Profile,
    KdfProfile,
    KeyPair,
    Pbkdf2Profile,
    decrypt,
    encrypt,
    new_credential,
    open_credential,
    random_key,
    seal,
    unseal,
    using,
)

ARGON2 = Argon2Profile(
    ProductionConfig.ARGON2_MEMORY_KIB, ProductionConfig.ARGON2_ITERATIONS, ProductionConfig.ARGON2_LANES
)
PBKDF2 = Pbkdf2Profile(DefaultConfig.PBKDF2_ITERATIONS)
PEPPER = b"bench-pepper-" + b"x" * 32
SUBMISSION = ("某县某镇人民政府 副镇长 " * 200).encode()  # about 6 KB of form fields


def median_ms(action: Callable[[], object], rounds: int) -> float:
    action()  # warm-up
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(suite: str, profile: KdfProfile, rounds: int, holders: int, attachment: bytes) -> dict[str, float]:
    with using(suite):
        pairs = [KeyPair.generate() for _ in range(holders)]
        wrap_key = random_key()
        credential, cred_wrap = new_credential(b"a staff password", profile)
        private = encrypt(cred_wrap, pairs[0].private, b"user/1/private-key")
        totp = encrypt(cred_wrap, b"JBSWY3DPEHPK3PXP", b"user/1/totp")

        def file_crypto() -> bytes:
            dk = random_key()
            encrypt(dk, SUBMISSION, b"case/1/submission")
            encrypt(dk, attachment, b"case/1/attachment/1")
            encrypt(wrap_key, dk, b"case/1/submitter-key")
            for index, pair in enumerate(pairs):
                seal(pair.public, dk, b"case/1/user/%d" % index)
            return dk

        def file_case() -> None:
            receipts.derive(receipts.new_receipt(), PEPPER, profile)
            file_crypto()

        dk = random_key()
        box = seal(pairs[0].public, dk, b"case/1/user/0")
        stored_submission = encrypt(dk, SUBMISSION, b"case/1/submission")
        stored_attachment = encrypt(dk, attachment, b"case/1/attachment/1")

        def open_case() -> None:
            key = unseal(pairs[0].private, box, b"case/1/user/0")
            decrypt(key, stored_submission, b"case/1/submission")
            decrypt(key, stored_attachment, b"case/1/attachment/1")

        def unlock() -> None:
            decrypt(cred_wrap, private, b"user/1/private-key")
            decrypt(cred_wrap, totp, b"user/1/totp")

        def sign_in() -> None:
            key = open_credential(b"a staff password", credential)
            decrypt(key, private, b"user/1/private-key")
            decrypt(key, totp, b"user/1/totp")

        def one_seal() -> None:
            seal(pairs[0].public, dk, b"case/1/user/0")

        def one_unseal() -> None:
            unseal(pairs[0].private, box, b"case/1/user/0")

        many = rounds * 20
        return {
            "file a case": median_ms(file_case, rounds),
            "  without the slow derivation": median_ms(file_crypto, many),
            "open a case": median_ms(open_case, many),
            "sign in": median_ms(sign_in, rounds),
            "  without the slow derivation ": median_ms(unlock, many),
            "one sealed box: seal": median_ms(one_seal, many),
            "one sealed box: unseal": median_ms(one_unseal, many),
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--holders", type=int, default=4, help="intake officers + escrow a new case is sealed to")
    parser.add_argument("--attachment-kib", type=int, default=1024)
    args = parser.parse_args()
    attachment = bytes(range(256)) * (args.attachment_kib * 4)
    runs = {
        "intl": measure("intl", ARGON2, args.rounds, args.holders, attachment),
        "gm": measure("gm", ARGON2, args.rounds, args.holders, attachment),
        "gm + pbkdf2": measure("gm", PBKDF2, args.rounds, args.holders, attachment),
    }
    print(
        f"Argon2id {ARGON2.memory_kib // 1024} MiB, {ARGON2.iterations} passes, {ARGON2.lanes} lanes;"
        f" PBKDF2-HMAC-SM3 {PBKDF2.iterations} iterations; {args.holders} holders;"
        f" submission {len(SUBMISSION) // 1024} KiB, attachment {args.attachment_kib} KiB;"
        f" medians in ms"
    )
    names = list(runs["intl"])
    print(f"{'':32}" + "".join(f"{label:>14}" for label in runs))
    for index, name in enumerate(names):
        row = [list(run.values())[index] for run in runs.values()]
        print(f"{name:32}" + "".join(f"{value:14.2f}" for value in row))


if __name__ == "__main__":
    main()
