"""Notices published through the service, as the reviewer side would publish them, and a supervisor."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.domain.plan import Naming, NoticeDraft
from portal.extensions import db
from portal.models import Notice, User
from portal.services import accounts, form_tokens, notices

DRAFT = {
    "number": "平纪澄〔2024〕7号",
    "title": "关于对城关镇副镇长王建国有关问题核查情况的澄清公告",
    "naming": Naming.FULL,
    "person": "王建国",
    "unit": "平安县城关镇人民政府",
    "post": "副镇长",
    "allegation": "反映其在村道硬化工程验收中收受施工方礼品礼金。",
    "body_html": "<p>经核查，<strong>反映问题失实</strong>。</p><p>现予以澄清正名。</p>",
    "issuer": "平安县纪委监委",
    "issued_on": dt.date(2024, 3, 1),
}


class NoticeDesk:
    """Publishes, corrects and withdraws notices in the app context, like the reviewer side does."""

    def __init__(self, app) -> None:
        self.app = app
        self._supervisor_id: int | None = None

    def publish(self, published_at: dt.datetime | None = None, **fields) -> int:
        with self.app.app_context():
            notice = notices.publish(NoticeDraft(**{**DRAFT, **fields}), case_id=None)
            if published_at is not None:
                notice.published_at = published_at
            db.session.commit()
            return notice.id

    def supervisor(self) -> User:
        if self._supervisor_id is None:
            self._supervisor_id = accounts.create_user(
                "zhou", "supervisor", "supervisor password 123", confirmed=True
            ).user_id
        return db.session.get(User, self._supervisor_id)

    def correct(self, notice_id: int, reason: str = "文号有误", **changes) -> None:
        with self.app.app_context():
            notices.correct(self.supervisor(), None, notice_id, changes, reason, form_tokens.issue())

    def withdraw(self, notice_id: int, reason: str = "当事人撤回同意") -> None:
        with self.app.app_context():
            notices.withdraw(self.supervisor(), notice_id, reason, form_tokens.issue())

    def get(self, notice_id: int) -> Notice:
        with self.app.app_context():
            notice = db.session.get(Notice, notice_id)
            db.session.expunge(notice)
            return notice


@pytest.fixture
def desk(app) -> NoticeDesk:
    return NoticeDesk(app)


def hours_ago(hours: int) -> dt.datetime:
    return dt.datetime(2026, 1, 1, 12) - dt.timedelta(hours=hours)
