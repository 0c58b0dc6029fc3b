"""Zhengming (正名): anonymous concerns and clarification requests for grassroots cadres."""

from __future__ import annotations

import logging
import os
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import config as config_module
from portal.web import canonical

_PLAIN_ENV = {
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "RECEIPT_PEPPER": "RECEIPT_PEPPER",
}
_REQUIRED_SECRETS = ("SECRET_KEY", "RECEIPT_PEPPER")
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _load_config(app: Flask, name: str, overrides: dict[str, Any] | None) -> None:
    app.config.from_object(config_module.CONFIGS[name])
    app.config.from_pyfile("config.py", silent=True)  # instance/config.py (secrets of `make run`)
    for env_name, key in _PLAIN_ENV.items():
        if os.environ.get(env_name):
            app.config[key] = os.environ[env_name]
    if os.environ.get("SECRET_KEY_FALLBACKS"):
        app.config["SECRET_KEY_FALLBACKS"] = os.environ["SECRET_KEY_FALLBACKS"].split(",")
    app.config.from_prefixed_env("ZM")
    app.config.update(overrides or {})
    _fallback_keys(app.config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "zhengming.sqlite3")
    missing = [k for k in _REQUIRED_SECRETS if not app.config.get(k)]
    if missing:
        raise RuntimeError(
            "missing configuration: "
            + ", ".join(missing)
            + " (set them in the environment, or run `make instance` for the embedded default)"
        )
    _refuse_per_process_state(app.config)
    canonical.check_config(app.config)
    _check_cipher_settings(app.config)
    _install_holiday_notices(app.config)


def _install_holiday_notices(config: dict[str, Any]) -> None:
    """The operator's copy of the State Council's holiday notices, for years the package lacks.

    Read once at start-up; a file that cannot be trusted stops the start, because deadlines
    counted on a wrong calendar would be told to cadres as facts.
    """
    from portal.domain import holiday_notices, working_days

    path = config.get("HOLIDAY_NOTICES_FILE")
    if not path:
        working_days.use_notices({})
        return
    try:
        with open(path, encoding="utf-8") as file:
            notices = holiday_notices.parse(file.read())
    except OSError as exc:
        raise RuntimeError(f"HOLIDAY_NOTICES_FILE cannot be read: {exc.strerror}") from None
    except holiday_notices.NoticeError as exc:
        raise RuntimeError(f"HOLIDAY_NOTICES_FILE is not a holiday notice file: {exc}") from None
    working_days.use_notices(notices)


def _check_cipher_settings(config: dict[str, Any]) -> None:
    """A suite and a key derivation this code knows (whether the database agrees is
    checked on first use, `portal.services.cipher_suite`)."""
    from portal.domain.crypto import SUITES

    suite, kdf = config["CIPHER_SUITE"], config["SECRET_KDF"]
    if suite not in SUITES:
        raise RuntimeError(f"CIPHER_SUITE must be one of {', '.join(SUITES)}, not {suite!r}")
    if kdf not in ("argon2id", "pbkdf2-sm3"):
        raise RuntimeError(f"SECRET_KDF must be argon2id or pbkdf2-sm3, not {kdf!r}")
    if kdf == "pbkdf2-sm3" and suite != "gm":
        raise RuntimeError("SECRET_KDF pbkdf2-sm3 (GM/T 0091) belongs to CIPHER_SUITE gm")
    if kdf == "pbkdf2-sm3" and int(config["PBKDF2_ITERATIONS"]) < 1024:
        raise RuntimeError("PBKDF2_ITERATIONS must be at least 1024 (GM/T 0091)")


def _fallback_keys(config: dict[str, Any]) -> None:
    """Old signing keys still accepted after SECRET_KEY rotates (Flask 3.1's SECRET_KEY_FALLBACKS).

    Flask checks session cookies against them itself; forms already served (the CSRF token and
    the one-time form token) are checked against them too, so nobody in the middle of a form or
    signed in is thrown out by a rotation. New signatures always use SECRET_KEY.
    """
    fallbacks = [str(key).strip() for key in config.get("SECRET_KEY_FALLBACKS") or [] if str(key).strip()]
    config["SECRET_KEY_FALLBACKS"] = fallbacks
    if fallbacks and config.get("SECRET_KEY") and not config.get("WTF_CSRF_SECRET_KEY"):
        config["WTF_CSRF_SECRET_KEY"] = [*fallbacks, config["SECRET_KEY"]]  # itsdangerous: newest last


def _refuse_per_process_state(config: dict[str, Any]) -> None:
    """Limits in memory count per worker, and SQLite is one machine's file: refuse unless said on purpose."""
    if not config["REQUIRE_SHARED_STATE"] or config["SINGLE_PROCESS"]:
        return
    per_process = []
    if str(config["RATELIMIT_STORAGE_URI"]).startswith("memory://"):
        per_process.append("RATELIMIT_STORAGE_URI is memory:// (limits would count per worker; use redis://)")
    if str(config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        per_process.append("the database is SQLite (use PostgreSQL)")
    if per_process:
        raise RuntimeError(
            "refusing to start: "
            + "; ".join(per_process)
            + ". If one process really serves everything, set ZM_SINGLE_PROCESS=1."
        )


def create_app(
    overrides: dict[str, Any] | None = None,
    config_name: str | None = None,
    instance_path: str | None = None,
) -> Flask:
    """Build the application; binds extensions, blueprints, CLI and error pages."""
    app = canonical.PortalFlask(
        __name__,
        instance_path=instance_path or os.path.join(_ROOT, "instance"),
        instance_relative_config=True,
        template_folder=os.path.join(_ROOT, "templates"),
        static_folder=os.path.join(_ROOT, "static"),
    )
    _load_config(app, config_name or config_module.config_name(), overrides)
    if app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=1)  # type: ignore[method-assign]
    if app.config["NOTICES_PAGE_MEMO_BYTES"]:
        from portal.web.notices.front_cache import FrontCache

        app.wsgi_app = FrontCache(app, app.wsgi_app)  # type: ignore[method-assign]
    # Werkzeug's request log names the client address: it must never be written.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    from portal import cli, models  # noqa: F401  (models register their tables)
    from portal.extensions import babel, csrf, db, migrate
    from portal.services import cipher_suite
    from portal.web import (
        assets,
        body_limits,
        errors,
        health,
        i18n,
        notices,
        outages,
        request_checks,
        security,
        sessions,
        staff,
        templating,
    )
    from portal.web.admin import bp as admin_bp
    from portal.web.rate_limits import limiter
    from portal.web.review import bp as review_bp
    from portal.web.submit import bp as submit_bp

    db.init_app(app)
    cipher_suite.init_app(app)  # every application context runs in the configured suite
    migrate.init_app(app, db, directory=os.path.join(_ROOT, "migrations"), render_as_batch=True)
    body_limits.init_app(app)  # first: refuses an oversize body before anything reads it
    request_checks.init_app(app)  # before Flask-WTF: its check trips on malformed forms
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=os.path.join(_ROOT, "translations"),
    )
    i18n.init_app(app)
    security.init_app(app)
    sessions.init_app(app)
    staff.init_app(app)
    templating.init_app(app)
    assets.init_app(app)
    errors.init_app(app)
    outages.init_app(app)
    app.register_blueprint(submit_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(notices.bp)
    app.register_blueprint(health.bp)
    cli.init_app(app)
    return app
