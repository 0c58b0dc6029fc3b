"""Bodies (机关): the tree a deployment serves, and who within a body handles what.

Pure data, no Flask: the kinds and levels of body, the cadre ranks a body handles
(干部管理权限), and why a staff member holds a case's key.
"""

from __future__ import annotations

from enum import StrEnum


class BodyKind(StrEnum):
    """What a body is; the first three are discipline-inspection bodies."""

    COMMISSION = "commission"  # 纪委监委
    DISPATCHED = "dispatched"  # 派驻纪检监察组
    TOWNSHIP = "township"  # 乡镇（街道）纪（工）委
    DEPARTMENT = "department"  # 职能部门: 组织部、人社、编办…


#: Kinds that handle discipline matters (clarification requests go only to these).
DISCIPLINE_KINDS: frozenset[str] = frozenset({BodyKind.COMMISSION, BodyKind.DISPATCHED, BodyKind.TOWNSHIP})


class BodyLevel(StrEnum):
    """The administrative level a body sits at, highest first."""

    PROVINCE = "province"  # 省级
    CITY = "city"  # 市级
    COUNTY = "county"  # 县级
    TOWNSHIP = "township"  # 乡镇级


#: Levels from the top; the cadre's list of bodies is grouped in this order.
LEVEL_ORDER: tuple[str, ...] = tuple(level.value for level in BodyLevel)


class Rank(StrEnum):
    """Cadre ranks, for a body's 干部管理权限 and a clarification applicant's rank."""

    GENERAL = "general"  # 一般干部
    SECTION = "section"  # 科级
    DIVISION = "division"  # 处级
    BUREAU = "bureau"  # 厅局级及以上


def parse_ranks(stored: str) -> frozenset[str]:
    """The ranks a body handles, from their stored form (codes joined by commas)."""
    return frozenset(code for code in stored.split(",") if code in Rank.__members__.values())


def store_ranks(ranks) -> str:
    """The stored form of a set of ranks, in the enum's order."""
    chosen = set(ranks)
    return ",".join(rank.value for rank in Rank if rank.value in chosen)


class HoldReason(StrEnum):
    """Why a staff member holds a wrapped copy of a case's data key."""

    INTAKE = "intake"  # an intake officer of the case's body, sealed at filing or on arrival
    ASSIGNED = "assigned"  # the assignee (承办人)
    SUPERVISOR = "supervisor"  # the assignee's supervisor (审核人)
    GRANT = "grant"  # a per-case grant (协办), with a reason in the audit log
    RECOVERY = "recovery"  # reopened from the body's escrow, one case at a time
    LEGACY = "legacy"  # held before bodies existed (kept by the migration)
    APPROVER = "approver"  # the leader a proposal is submitted to for approval (分管领导审批)


#: Holds an assignment makes and a reassignment takes away again.
ASSIGNMENT_HOLDS: frozenset[str] = frozenset({HoldReason.ASSIGNED, HoldReason.SUPERVISOR})


class TransferReason(StrEnum):
    """Why a case leaves a body for another."""

    OTHER_BODY = "other_body"  # 转办: another body of the tree handles it
    NOT_DISCIPLINE = "not_discipline"  # 转送: a department (组织部, 人社…) can act on it
    OUTSIDE_REMIT = "outside_remit"  # 报送上一级: the cadre's rank is outside this body's remit
