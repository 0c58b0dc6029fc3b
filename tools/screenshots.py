"""Screenshots of the main pages for the README, in Chinese, from a fresh demo deployment (`make screenshots`).

    .venv/bin/python -m tools.screenshots [--out docs/screenshots]

Builds a throwaway embedded deployment (temporary SQLite file, the demo's accounts and body
name), serves it on a loopback port, and walks it in Debian's chromium with JavaScript off,
as a cadre on a phone (360 px) and a reviewer at a desk (1280 px) would: files concerns and a
clarification request, accepts a case and writes to the cadre, reads the reply. Each page is
saved as a palette PNG, so the set stays at a few hundred KB. Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import tempfile
import threading
from pathlib import Path

import pyotp
from flask_migrate import upgrade
from PIL import Image
from werkzeug.serving import make_server

from portal import create_app
from portal.bootstrap import DEMO_CONTACT, DEMO_OPERATOR
from portal.domain.plan import Naming, NoticeDraft
from portal.extensions import db
from portal.models import Case
from portal.services import accounts, bodies, notices

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 820}
PASSWORD = "screenshot demo password"
#: Colours kept per image: the pages are flat, so 64 look the same and weigh a third.
COLOURS = 64

CONCERNS = (
    (
        "workload",
        "同一批材料每周要报三次",
        "县里三个检查组每周分别要求报送同一批台账材料，格式各不相同，"
        "村干部每周有两天在整理材料，真正入户走访的时间越来越少。",
    ),
    (
        "identity_barrier",
        "事业编制干部提拔渠道不畅",
        "乡镇事业编制干部长期承担行政工作，但在提拔任用中一直被排除在外，希望明确政策口径。",
    ),
    (
        "fault_tolerance",
        "探索新做法出了偏差怕被问责",
        "村里试行土地流转新办法，出现了程序瑕疵，大家担心被问责，不敢再尝试新办法。",
    ),
)


def _save(page, path: Path) -> int:
    """A viewport screenshot, reduced to a palette PNG."""
    raw = page.screenshot(full_page=False)
    with Image.open(io.BytesIO(raw)) as image:
        small = image.convert("RGB").quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT)
        small.save(path, "PNG", optimize=True)
    return path.stat().st_size


def _submit(page, form: str = "main form") -> None:
    with page.expect_navigation():
        page.locator(form).locator("button[type=submit]").first.click()


def _file_concern(page, category: str, subject: str, description: str) -> str:
    page.goto("/submit/concern")
    page.check(f"input[name=category][value={category}]")
    page.fill("input[name=subject]", subject)
    page.fill("textarea[name=description]", description)
    _submit(page)
    receipt = page.locator("p.receipt").inner_text().strip()
    return receipt


def _written_down(page) -> None:
    _submit(page)


def _file_clarification(page) -> None:
    page.goto("/submit/clarification")
    page.fill("input[name=real_name]", "李建华")
    page.fill("input[name=unit_name]", "青山县城关镇人民政府")
    page.fill("input[name=post]", "副镇长")
    page.locator("input[name=rank][value=section]").check()
    page.fill("textarea[name=allegation]", "有人反映我在村道硬化工程验收中收受施工方礼品，与事实不符。")
    page.fill("textarea[name=allegation_source]", "2026年10月匿名信访件。")
    page.locator("input[name=harms]").first.check()
    _submit(page)
    _written_down(page)


def _seed_notices(app) -> int:
    with app.app_context():
        first = notices.publish(
            NoticeDraft(
                number="青纪澄〔2026〕2号",
                title="关于对城关镇副镇长王某有关问题核查情况的澄清公告",
                naming=Naming.SURNAME,
                person="王某",
                unit="青山县城关镇人民政府",
                post="副镇长",
                allegation="反映其在村道硬化工程验收中收受施工方礼品礼金。",
                body_html="<p>经核查，<strong>反映问题失实</strong>。</p><p>现予以澄清正名，"
                "希望广大党员干部放下包袱、担当作为。</p>",
                issuer="青山县纪委监委",
                issued_on=dt.date(2026, 11, 20),
            ),
            case_id=None,
        )
        notices.publish(
            NoticeDraft(
                number="青纪澄〔2026〕1号",
                title="关于对河西乡党委委员赵某有关问题核查情况的澄清公告",
                naming=Naming.SURNAME,
                person="赵某",
                unit="青山县河西乡人民政府",
                post="党委委员",
                allegation="反映其在低保评定中优亲厚友。",
                body_html="<p>经核查，反映问题失实，现予以澄清正名。</p>",
                issuer="青山县纪委监委",
                issued_on=dt.date(2026, 10, 9),
            ),
            case_id=None,
        )
        db.session.commit()
        return first.id


def _desk_sign_in(page, username: str, totp: pyotp.TOTP) -> None:
    page.goto("/review/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    _submit(page)  # the first sign-in leads to the authenticator page
    page.fill("input[name=code]", totp.now())
    _submit(page)


def take(out: Path) -> dict[str, int]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/screens.sqlite3",
                "OPERATOR_NAME": DEMO_OPERATOR,
                "OPERATOR_CONTACT": DEMO_CONTACT,
                "RATELIMIT_ENABLED": False,
            },
            config_name="testing",
        )
        with app.app_context():
            upgrade()
            bodies.create(DEMO_OPERATOR, "青纪", "commission", "county", ("general", "section"))
            accounts.create_escrow("screenshot escrow passphrase")
            accounts.create_user("supervisor", "supervisor", PASSWORD, confirmed=True)
            accounts.create_user("reviewer", "reviewer", PASSWORD, confirmed=True)
            intake = accounts.create_user("intake", "intake", PASSWORD, confirmed=True)
        totp = pyotp.parse_uri(intake.totp_uri)
        notice_id = _seed_notices(app)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                phone = browser.new_context(java_script_enabled=False, viewport=PHONE, base_url=base)
                desk = browser.new_context(java_script_enabled=False, viewport=DESK, base_url=base)
                cadre, reviewer = phone.new_page(), desk.new_page()

                cadre.goto("/")
                sizes["landing"] = _save(cadre, out / "landing.png")
                cadre.goto("/submit/concern")
                sizes["concern"] = _save(cadre, out / "concern.png")
                receipt = _file_concern(cadre, *CONCERNS[0])
                sizes["receipt"] = _save(cadre, out / "receipt.png")
                _written_down(cadre)
                for concern in CONCERNS[1:]:
                    _file_concern(cadre, *concern)
                    _written_down(cadre)
                _file_clarification(cadre)
                with app.app_context():  # the oldest concern has waited too long: its row shows red
                    late = db.session.scalar(db.select(Case).where(Case.category == "fault_tolerance"))
                    late.accept_due = late.due_on = dt.date.today() - dt.timedelta(days=2)
                    db.session.commit()
                    first = db.session.scalar(db.select(Case.id).where(Case.category == "workload"))

                # The intake officer (new cases are sealed to intake only) asks, then accepts and assigns.
                _desk_sign_in(reviewer, "intake", totp)
                reviewer.goto(f"/review/cases/{first}")
                reviewer.fill("textarea[name=body]", "您好，请具体说明是哪三个检查组，分别要求报送哪些材料？")
                _submit(reviewer, "main form[action$='/messages']")
                accept = "main form.action:has(input[name=action][value=accept])"
                reviewer.locator(f"{accept} select[name=assignee]").select_option(label="reviewer")
                _submit(reviewer, accept)

                cadre.goto("/followup")
                cadre.fill("input[name=receipt]", receipt)
                _submit(cadre)
                cadre.fill("textarea[name=body]", "县委办督查组、县农业农村局和乡镇党政办，都要求报送村级台账。")
                _submit(cadre, "form[action$='/followup/reply']")
                sizes["status"] = _save(cadre, out / "status.png")
                cadre.goto("/notices")
                sizes["notices"] = _save(cadre, out / "notices.png")
                cadre.goto(f"/notices/{notice_id}")
                sizes["notice"] = _save(cadre, out / "notice.png")

                reviewer.goto("/review?queue=all&sort=deadline")
                sizes["queue"] = _save(reviewer, out / "queue.png")
                reviewer.goto(f"/review/cases/{first}")
                sizes["case"] = _save(reviewer, out / "case.png")
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
            with app.app_context():
                db.engine.dispose()
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    sizes = take(args.out)
    for name, size in sizes.items():
        print(f"{name:<10}{size / 1024:>8.1f} KB")
    print(f"{'total':<10}{sum(sizes.values()) / 1024:>8.1f} KB  in {args.out}")


if __name__ == "__main__":
    main()
