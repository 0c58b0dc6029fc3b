"""The migrations are the schema's only source: their head must match the models."""

from __future__ import annotations

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal.extensions import db
from tests.conftest import make_app

FIRST = "0708aad65246"


def test_migration_head_matches_the_models(app):
    with app.app_context(), db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_each_migration_upgrades_and_downgrades_with_data_in_place(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'round-trip.sqlite3'}")
    with app.app_context():
        upgrade(revision=FIRST)
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO cases (id, kind, state, category, created_at, updated_at, receipt_lookup,"
                    " submitter_key, escrow_key, submission) VALUES ('c1', 'concern', 'submitted', 'other',"
                    " :at, :at, :lookup, :blob, :blob, :blob)"
                ),
                {"at": dt.datetime(2025, 9, 26, 2), "lookup": b"l" * 32, "blob": b"x"},
            )
        upgrade()
        with db.engine.connect() as conn:
            accept_due, flag = conn.execute(text("SELECT accept_due, flag FROM cases WHERE id = 'c1'")).one()
        # Filed Friday 26 Sep 2025. Working days: Sun 28 Sep (make-up), 29, 30 Sep, then after the
        # 1-8 Oct holiday 9, 10, Sat 11 (make-up) and Mon 13 Oct, the seventh.
        assert str(accept_due) == "2025-10-13" and flag == "none"
        downgrade(revision=FIRST)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM cases")).scalar() == 1
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "audit_entries" in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_the_gram_index_migration_backfills_existing_notices(tmp_path):
    from portal.domain.notice_text import grams

    app = make_app(f"sqlite:///{tmp_path / 'grams.sqlite3'}")
    with app.app_context():
        upgrade(revision="6a1f0c2d8e57")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO notices (id, number, title, person, unit, post, allegation, body_html, issuer,"
                    " issued_on, status, published_at, updated_at, search_text) VALUES (1, 'n', '王伟', '王伟',"
                    " 'u', 'p', 'a', '', 'i', :day, 'published', :at, :at, :searched)"
                ),
                {"day": dt.date(2024, 3, 1), "at": dt.datetime(2024, 3, 1, 2), "searched": "n 关于王伟 澄清"},
            )
        upgrade()
        with db.engine.connect() as conn:
            stored = set(conn.execute(text("SELECT gram FROM notice_grams WHERE notice_id = 1")).scalars())
        assert stored == grams("n 关于王伟 澄清") and "王伟" in stored and "伟" in stored
        assert "于王" in stored and "伟 " not in stored and "n关" not in stored
        db.engine.dispose()
