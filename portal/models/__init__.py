"""SQLAlchemy models, one module per aggregate; importing this registers them all."""

from portal.models.audit import AuditEntry, AuditHead
from portal.models.body import Body, CategoryRoute, EscrowKey, Transfer
from portal.models.bulletin import Bulletin, BulletinDraft, BulletinRevision
from portal.models.case import Case, CaseEvent, CaseKey
from portal.models.document import Document, DocumentSequence
from portal.models.message import Attachment, Message
from portal.models.note import Note
from portal.models.notice import Notice, NoticeGram, NoticeRevision
from portal.models.plan import ClarificationPlan, PendingCorrection
from portal.models.referral import AccuserReminder, Referral
from portal.models.security import KeySession, SpentFormToken
from portal.models.tolerance import ToleranceDecision
from portal.models.user import User

__all__ = [
    "AccuserReminder",
    "AuditEntry",
    "AuditHead",
    "Attachment",
    "Body",
    "Bulletin",
    "BulletinDraft",
    "BulletinRevision",
    "Case",
    "CaseEvent",
    "CaseKey",
    "CategoryRoute",
    "ClarificationPlan",
    "Document",
    "DocumentSequence",
    "EscrowKey",
    "KeySession",
    "Message",
    "Note",
    "Notice",
    "NoticeGram",
    "NoticeRevision",
    "PendingCorrection",
    "Referral",
    "SpentFormToken",
    "ToleranceDecision",
    "Transfer",
    "User",
]
