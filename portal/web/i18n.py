"""Language choice: zh_CN by default, English on request, remembered for the browser session."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, redirect, request

bp = Blueprint("i18n", __name__)
COOKIE = "zm_lang"


def select_locale() -> str:
    """Flask-Babel locale selector: the cookie if valid, else the default."""
    wanted = request.cookies.get(COOKIE)
    if wanted is not None and wanted in current_app.config["LANGUAGES"]:
        return wanted
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def local_path(target: str | None) -> str:
    """Only same-site paths are followed (no open redirect)."""
    parts = urlsplit(target or "/")
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.get("/lang/<code>")
def switch(code: str):
    """Set the language and go back to the page the link was on."""
    response = redirect(local_path(request.args.get("next")), code=303)
    if code in current_app.config["LANGUAGES"]:
        # A session cookie: nothing about the visit outlives the browser session.
        response.set_cookie(
            COOKIE,
            code,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
