"""Staff roles within a body: who registers, handles and approves cases, and who manages accounts."""

from __future__ import annotations

from enum import StrEnum


class StaffRole(StrEnum):
    """The role a staff account has in its body; stored as its value."""

    INTAKE = "intake"  # 信访干部: registers, accepts, assigns, transfers
    REVIEWER = "reviewer"  # 承办人
    SUPERVISOR = "supervisor"  # 审核人
    LEADER = "leader"  # 分管领导: approves, like a supervisor
    ADMIN = "admin"  # manages accounts of its body and those below, holds no key


#: Roles that hold key pairs and open cases; an admin is never one of them.
CASE_WORKER_ROLES: frozenset[str] = frozenset(
    {StaffRole.INTAKE.value, StaffRole.REVIEWER.value, StaffRole.SUPERVISOR.value, StaffRole.LEADER.value}
)

#: Roles a case is assigned to (承办): the engine checks an assignee against these.
ASSIGNABLE_ROLES: frozenset[str] = frozenset(
    {StaffRole.REVIEWER.value, StaffRole.SUPERVISOR.value, StaffRole.LEADER.value}
)

#: Roles that vouch for new accounts and approve proposals (four eyes).
SUPERVISING_ROLES: frozenset[str] = frozenset({StaffRole.SUPERVISOR.value, StaffRole.LEADER.value})
