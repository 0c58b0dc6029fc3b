"""Staff roles: who works cases and who manages accounts (and reads no case)."""

from __future__ import annotations

from enum import StrEnum


class StaffRole(StrEnum):
    """The role a staff account has; stored as its value."""

    REVIEWER = "reviewer"  # 承办人
    SUPERVISOR = "supervisor"  # 审核人
    ADMIN = "admin"  # manages accounts, holds no key


#: Roles that hold key pairs and open cases; an admin is never one of them.
CASE_WORKER_ROLES: frozenset[str] = frozenset({StaffRole.REVIEWER.value, StaffRole.SUPERVISOR.value})
