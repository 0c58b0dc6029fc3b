"""Migration c11e00000001 (h11x) with data in place: two defaults become one, the index forbids a
second, and it downgrades and upgrades again."""

from __future__ import annotations

import pytest
import sqlalchemy.exc
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal.extensions import db
from tests.conftest import make_app

BEFORE = "b5e3f4a50005"


def test_the_default_body_migration_keeps_the_first_default_and_round_trips(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'default-body.sqlite3'}")
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            for body_id, default in ((1, True), (2, True), (3, False)):
                conn.execute(
                    text(
                        "INSERT INTO bodies (id, name, short_name, kind, level, ranks, name_public, is_default,"
                        " created_at) VALUES (:id, :name, 'x', 'commission', 'county', '', 1, :default,"
                        " CURRENT_TIMESTAMP)"
                    ),
                    {"id": body_id, "name": f"body {body_id}", "default": default},
                )
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT id FROM bodies WHERE is_default ORDER BY id")).scalars().all() == [1]
            assert "checked_by_id" in {c["name"] for c in inspect(conn).get_columns("referrals")}
        with pytest.raises(sqlalchemy.exc.IntegrityError), db.engine.begin() as conn:
            conn.execute(text("UPDATE bodies SET is_default = 1 WHERE id = 3"))
        downgrade(revision=BEFORE)
        with db.engine.connect() as conn:
            assert "ix_bodies_one_default" not in {ix["name"] for ix in inspect(conn).get_indexes("bodies")}
            assert "checked_by_id" not in {c["name"] for c in inspect(conn).get_columns("referrals")}
            assert conn.execute(text("SELECT count(*) FROM bodies")).scalar() == 3
        upgrade()
        db.engine.dispose()
