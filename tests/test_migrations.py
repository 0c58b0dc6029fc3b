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


def test_the_bodies_migration_keeps_every_case_with_exactly_its_holders_up_and_down(tmp_path):
    """Existing data moves to one default body: staff keep their roles, each case keeps exactly the
    holders it had (as "legacy" holder rows), and nothing a case owns is lost on SQLite's table
    rebuilds (a DROP with foreign keys on would delete every cascading child)."""
    app = make_app(f"sqlite:///{tmp_path / 'bodies.sqlite3'}")
    at = dt.datetime(2026, 3, 2, 9)
    with app.app_context():
        upgrade(revision="7d3a9c5e1f20")
        with db.engine.begin() as conn:
            for user_id, role, key in ((1, "reviewer", b"p1"), (2, "supervisor", b"p2"), (3, "admin", None)):
                conn.execute(
                    text(
                        "INSERT INTO users (id, username, role, credential, totp_secret, public_key, private_key,"
                        " totp_enrolled, totp_last_step, session_epoch, disabled, keys_confirmed, created_at)"
                        " VALUES (:id, :name, :role, :b, :b, :key, :key, 1, 0, 0, 0, 1, :at)"
                    ),
                    {"id": user_id, "name": f"user{user_id}", "role": role, "b": b"x", "key": key, "at": at},
                )
            conn.execute(
                text(
                    "INSERT INTO escrow_keys (id, public_key, credential, private_key, created_at)"
                    " VALUES (1, :b, :b, :b, :at)"
                ),
                {"b": b"e", "at": at},
            )
            conn.execute(
                text(
                    "INSERT INTO cases (id, kind, state, category, created_at, updated_at, receipt_lookup,"
                    " submitter_key, escrow_key, submission, objected, flag, referred, correction_pending, accept_due,"
                    " due_on) VALUES ('c1', 'concern', 'submitted', 'other', :at, :at, :lookup, :sub, :esc, :blob,"
                    " 0, 'none', 0, 0, '2026-03-11', '2026-03-11')"
                ),
                {"at": at, "lookup": b"l" * 32, "sub": b"wrapped", "esc": b"sealed", "blob": b"x"},
            )
            for user_id in (1, 2):
                conn.execute(
                    text("INSERT INTO case_keys (case_id, user_id, sealed_key) VALUES ('c1', :u, :k)"),
                    {"u": user_id, "k": b"box%d" % user_id},
                )
            conn.execute(
                text(
                    "INSERT INTO case_events (id, case_id, position, created_at, state, action, visible_to_submitter)"
                    " VALUES ('e1', 'c1', 1, :at, 'submitted', 'submit', 1)"
                ),
                {"at": at},
            )
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT id, is_default FROM bodies")).all() == [(1, True)]
            assert set(conn.execute(text("SELECT role, body_id FROM users")).all()) == {
                ("reviewer", 1),
                ("supervisor", 1),
                ("admin", 1),
            }
            assert conn.execute(text("SELECT body_id FROM escrow_keys")).scalar() == 1
            row = conn.execute(
                text("SELECT body_id, submitter_wrapped_key, escrow_sealed_key FROM cases WHERE id = 'c1'")
            ).one()
            assert tuple(row) == (1, b"wrapped", b"sealed")
            holders = conn.execute(
                text("SELECT user_id, sealed_key, reason, case_filed_at FROM case_keys ORDER BY user_id")
            ).all()
            assert [(h[0], h[1], h[2]) for h in holders] == [(1, b"box1", "legacy"), (2, b"box2", "legacy")]
            assert all(str(h[3]).startswith("2026-03-02 09:00") for h in holders)
            assert conn.execute(text("SELECT count(*) FROM case_events")).scalar() == 1
        downgrade(revision="7d3a9c5e1f20")
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT submitter_key, escrow_key FROM cases WHERE id = 'c1'")).one()
            assert tuple(row) == (b"wrapped", b"sealed")
            assert conn.execute(text("SELECT user_id, sealed_key FROM case_keys ORDER BY user_id")).all() == [
                (1, b"box1"),
                (2, b"box2"),
            ]
            assert conn.execute(text("SELECT count(*) FROM case_events")).scalar() == 1
        assert "bodies" not in inspect(db.engine).get_table_names()
        db.engine.dispose()
