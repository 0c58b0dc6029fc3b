"""Associated data for every ciphertext: it binds each one to its row and field,
so a ciphertext copied to another row or column fails to decrypt."""

from __future__ import annotations


def submitter_key(case_id: str) -> bytes:
    return f"case/{case_id}/key/submitter".encode()


def escrow_key(case_id: str) -> bytes:
    return f"case/{case_id}/key/escrow".encode()


def user_key(case_id: str, user_id: int) -> bytes:
    return f"case/{case_id}/key/user/{user_id}".encode()


def submission(case_id: str) -> bytes:
    return f"case/{case_id}/submission".encode()


def event_reason(case_id: str, event_id: str) -> bytes:
    return f"case/{case_id}/event/{event_id}/reason".encode()


def message_body(case_id: str, message_id: str) -> bytes:
    return f"case/{case_id}/message/{message_id}/body".encode()


def attachment_meta(case_id: str, attachment_id: str) -> bytes:
    return f"case/{case_id}/attachment/{attachment_id}/meta".encode()


def attachment_content(case_id: str, attachment_id: str) -> bytes:
    return f"case/{case_id}/attachment/{attachment_id}/content".encode()


def submitter_session(case_id: str, receipt_lookup: bytes) -> bytes:
    """A follow-up session opens the case only while the receipt it signed in with is the case's
    receipt: a re-issue (or a shredding) changes the lookup, and every open session ends with it."""
    return f"session/submitter/case/{case_id}/receipt/{receipt_lookup.hex()}".encode()


def user_private_key(user_id: int) -> bytes:
    return f"user/{user_id}/private-key".encode()


def user_totp(user_id: int) -> bytes:
    return f"user/{user_id}/totp".encode()


def escrow_private_key(escrow_id: int) -> bytes:
    return f"escrow/{escrow_id}/private-key".encode()


def staff_session(user_id: int, epoch: int) -> bytes:
    return f"session/staff/{user_id}/{epoch}".encode()


def staff_enrolment(user_id: int) -> bytes:
    return f"session/staff/{user_id}/enrolment".encode()


def note_body(case_id: str, note_id: str) -> bytes:
    return f"case/{case_id}/note/{note_id}/body".encode()


def plan_content(case_id: str) -> bytes:
    return f"case/{case_id}/plan".encode()


def correction_content(case_id: str) -> bytes:
    return f"case/{case_id}/notice-correction".encode()


def held_receipt(token_digest: bytes) -> bytes:
    return b"form/" + token_digest.hex().encode() + b"/receipt"


# -- the 诬告陷害 ledger (issue 10) --
def referral_field(case_id: str, referral_id: str, field: str) -> bytes:
    return f"case/{case_id}/referral/{referral_id}/{field}".encode()


def reminder_note(case_id: str, reminder_id: str) -> bytes:
    return f"case/{case_id}/reminder/{reminder_id}/note".encode()


def false_items(case_id: str) -> bytes:
    """The items a 部分失实 finding found false (issue 10)."""
    return f"case/{case_id}/false-items".encode()


def tolerance_decision(case_id: str) -> bytes:
    """The 容错纠错 decision of a fault-tolerance application (issue 10)."""
    return f"case/{case_id}/tolerance-decision".encode()


# -- 典型案例通报 (issue 10) --
def bulletin_draft(case_id: str) -> bytes:
    return f"case/{case_id}/bulletin".encode()


def bulletin_return(case_id: str) -> bytes:
    return f"case/{case_id}/bulletin/return-reason".encode()


# -- official documents (issue 11, h11d1) --
def document_content(case_id: str, document_id: str) -> bytes:
    """The Gongwen of one issued document."""
    return f"case/{case_id}/document/{document_id}/content".encode()


def document_void_reason(case_id: str, document_id: str) -> bytes:
    """The reason an issued document was voided (作废原因)."""
    return f"case/{case_id}/document/{document_id}/void_reason".encode()
