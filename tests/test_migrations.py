"""The migrations are the schema's only source: their head must match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from portal.extensions import db
from tests.conftest import make_app


def test_migration_head_matches_the_models(app):
    with app.app_context(), db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_upgrade_and_downgrade_round_trip_with_data(tmp_path, cadre_factory):
    url = f"sqlite:///{tmp_path / 'round-trip.sqlite3'}"
    app = make_app(url)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "cases" in inspect(db.engine).get_table_names()
        db.engine.dispose()
