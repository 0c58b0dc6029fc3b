"""h11r: a monthly statistics release, computed once and stored (every worker reads the same one).

A release is a year's protected lattices (portal.domain.disclosure) counted through the last day
of its last complete month in China time. The lattices are JSON, zlib-compressed: plain data a
reader can check, never pickle. Unique on (year, through): two workers building the same release at
once store one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Integer, LargeBinary, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class StatisticsRelease(db.Model):
    """One year's statistics through one day, as computed once."""

    __tablename__ = "statistics_releases"
    __table_args__ = (UniqueConstraint("year", "through", name="uq_statistics_releases_year_through"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    #: The last day (China time) whose events the release counts.
    through: Mapped[dt.date] = mapped_column(Date, nullable=False)
    #: When it was built, UTC, to the hour (no finer time is kept).
    built_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    #: The protected lattices as zlib-compressed JSON.
    lattices: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
