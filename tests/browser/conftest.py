"""Real-browser fixtures: Debian's chromium driven by Playwright against a live loopback server.

Every test gets the clean, initialised app of the `app` fixture (tests/conftest.py)
served by a werkzeug server on 127.0.0.1 with a free port, and a fresh browser context
at a phone-sized viewport with JavaScript disabled (the site ships no scripts; the
portal must work without them). Playwright's own evaluate still works in such a
context, so measurements never depend on page scripts.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these chromium phones home and floods the closed network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 360, "height": 740}
LOOPBACK = "127.0.0.1"
RECEIPT_TEXT = re.compile(r"^\d{4} \d{4} \d{4} \d{4}$")


def _unavailable(reason: str) -> None:
    """Skip, unless CI demands the browser suite (ZM_REQUIRE_BROWSER=1): then fail loudly."""
    if os.environ.get("ZM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"ZM_REQUIRE_BROWSER=1 but {reason}: the browser suite cannot run", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (set ZM_REQUIRE_BROWSER=1 to make this an error)")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the environment
        _unavailable(f"the playwright package is not installed ({exc})")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """Serve the test's own app (clean tables, escrow key created) on a free loopback port."""
    server = make_server(LOOPBACK, 0, app, threaded=True)
    # A short poll interval: shutdown() waits for the loop to notice (0.5 s by default).
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="zm-live-server", daemon=True
    )
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Recorder:
    """What the browser did: every request URL and every dialog that opened."""

    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).hostname != LOOPBACK]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def context(browser, live_server: str, recorder: Recorder):
    context = browser.new_context(
        java_script_enabled=False,
        viewport=VIEWPORT,
        base_url=live_server,
        service_workers="block",
    )
    context.set_default_timeout(10_000)
    context.on("request", lambda request: recorder.requests.append(request.url))

    def on_dialog(dialog) -> None:
        recorder.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    context.on("dialog", on_dialog)
    yield context
    context.close()
    # Whatever the test did, the browser must never have left the loopback server.
    assert not recorder.foreign_requests(), recorder.foreign_requests()
    assert not recorder.dialogs, recorder.dialogs


@pytest.fixture
def page(context):
    return context.new_page()


class Cadre:
    """A person on a phone, JavaScript off, filling the forms with clicks and keys."""

    def __init__(self, page, tmp_path: Path) -> None:
        self.page = page
        self.tmp_path = tmp_path

    def open(self, path: str, status: int = 200):
        response = self.page.goto(path)
        assert response is not None and response.status == status, (path, response and response.status)
        return response

    def submit(self, form: str = "main form", status: int = 200):
        """Press the submit button of a form and wait for the page it leads to."""
        with self.page.expect_navigation() as navigation:
            self.page.locator(form).locator("button[type=submit]").click()
        response = navigation.value
        assert response is not None and response.status == status, (
            response and response.status,
            self.page.url,
            self.page.locator("main").inner_text(),
        )
        return response

    def png(self, name: str = "photo.png") -> Path:
        from PIL import Image

        path = self.tmp_path / name
        Image.new("RGB", (12, 8), (200, 30, 30)).save(path, "PNG")
        return path

    def file_concern(
        self,
        subject: str = "Too many inspections",
        description: str = "Every week three inspection teams ask for the same reports.",
        category: str = "workload",
        files: list[Path] | None = None,
    ) -> str:
        self.open("/submit/concern")
        self.page.check(f"input[name=category][value={category}]")
        self.page.fill("input[name=subject]", subject)
        self.page.fill("textarea[name=description]", description)
        if files:
            self.page.set_input_files("input[name=attachments]", [str(f) for f in files])
        self.submit()
        return self.receipt_on_page()

    def receipt_on_page(self) -> str:
        text = self.page.locator("p.receipt").inner_text().strip()
        assert RECEIPT_TEXT.match(text), text
        return text

    def follow_up(self, receipt: str, status: int = 200) -> None:
        self.open("/followup")
        self.page.fill("input[name=receipt]", receipt)
        self.submit(status=status)


@pytest.fixture
def phone(page, tmp_path: Path) -> Cadre:
    return Cadre(page, tmp_path)
