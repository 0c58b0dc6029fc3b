"""Configuration: classes, environment overrides, refusing to start without secrets."""

from __future__ import annotations

import pytest

from portal import create_app


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    for name in ("SECRET_KEY", "ZM_SECRET_KEY", "RECEIPT_PEPPER", "ZM_RECEIPT_PEPPER"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config_name="production", instance_path=str(tmp_path))


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("RECEIPT_PEPPER", "pepper-from-the-environment")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://zm@db.invalid/env")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/3")
    monkeypatch.setenv("ZM_ARGON2_ITERATIONS", "5")
    monkeypatch.setenv("ZM_CANONICAL_URL", "https://jw.example.gov.cn")
    app = create_app(config_name="production", instance_path=str(tmp_path))
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("/env")
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    assert app.config["ARGON2_ITERATIONS"] == 5


def test_default_reads_secrets_from_the_instance_folder(monkeypatch, tmp_path):
    for name in ("SECRET_KEY", "RECEIPT_PEPPER", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "config.py").write_text("SECRET_KEY = 'k' * 40\nRECEIPT_PEPPER = 'p' * 40\n")
    app = create_app(config_name="default", instance_path=str(tmp_path))
    assert app.config["SECRET_KEY"] == "k" * 40
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/zhengming.sqlite3"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_production_argon2_profile_is_at_least_64_mib_and_3_passes():
    from config import ProductionConfig

    assert ProductionConfig.ARGON2_MEMORY_KIB >= 64 * 1024
    assert ProductionConfig.ARGON2_ITERATIONS >= 3


def test_creating_the_app_touches_no_database(tmp_path):
    create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/never.sqlite3"}, config_name="testing")
    assert not (tmp_path / "never.sqlite3").exists()


def _production_env(monkeypatch, database: str, limits: str | None) -> None:
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("RECEIPT_PEPPER", "pepper-from-the-environment")
    monkeypatch.setenv("DATABASE_URL", database)
    monkeypatch.delenv("ZM_SINGLE_PROCESS", raising=False)
    monkeypatch.setenv("ZM_CANONICAL_URL", "https://jw.example.gov.cn")
    if limits is None:
        monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    else:
        monkeypatch.setenv("RATELIMIT_STORAGE_URI", limits)


@pytest.mark.parametrize(
    ("database", "limits", "named"),
    [
        pytest.param("postgresql+psycopg://zm@db.invalid/zm", None, "memory://", id="memory-limits"),
        pytest.param("postgresql+psycopg://zm@db.invalid/zm", "memory://", "memory://", id="memory-limits-named"),
        pytest.param("sqlite:////tmp/zm-never.sqlite3", "redis://127.0.0.1:6379/3", "SQLite", id="sqlite"),
    ],
)
def test_production_refuses_state_kept_in_one_process(monkeypatch, tmp_path, database, limits, named):
    _production_env(monkeypatch, database, limits)
    with pytest.raises(RuntimeError, match=named) as refused:
        create_app(config_name="production", instance_path=str(tmp_path))
    assert "ZM_SINGLE_PROCESS=1" in str(refused.value)


def test_production_runs_in_one_process_only_when_told_so(monkeypatch, tmp_path):
    _production_env(monkeypatch, f"sqlite:///{tmp_path}/one.sqlite3", None)
    monkeypatch.setenv("ZM_SINGLE_PROCESS", "1")
    app = create_app(config_name="production", instance_path=str(tmp_path))
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://" and app.config["SINGLE_PROCESS"] == 1
