"""The shipped deployment, driven over HTTPS: nginx (deploy/nginx/zhengming.conf) in front of two
gunicorn instances on one PostgreSQL database and one Redis.

The tests of this module share one deployment and run in order: the edge, a flood of
submissions with follow-ups and a staff session, limits across instances, a killed worker and
a killed instance, and last what the logs hold. bench/production_load.py is the 200-submission run.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image

from portal.extensions import db
from portal.models import Attachment, Case, CaseEvent, CaseKey, Message
from tests.factories import gen_png
from tests.production import harness

pytestmark = pytest.mark.production

#: Submissions in the flood: under a minute on 2 shared cores (the issue's 200 are in bench/).
SUBMISSIONS = 40
THREADS = 8


def _counts(app) -> dict[str, int]:
    with app.app_context():
        count = lambda model: db.session.scalar(db.select(db.func.count()).select_from(model))  # noqa: E731
        return {m.__tablename__: count(m) for m in (Case, Attachment, Message, CaseKey, CaseEvent)}


def _every_case_is_whole(app) -> None:
    """No partial case: each has its key for the intake officer, its filing event and exactly its one file."""
    with app.app_context():
        for case in db.session.scalars(db.select(Case)):
            assert case.submission and case.submitter_wrapped_key and case.escrow_sealed_key
            keys = db.session.scalar(db.select(db.func.count()).where(CaseKey.case_id == case.id))
            events = db.session.scalar(db.select(db.func.count()).where(CaseEvent.case_id == case.id))
            files = db.session.scalar(
                db.select(db.func.count()).where(Attachment.case_id == case.id, Attachment.message_id.is_(None))
            )
            assert keys >= 1 and events >= 1 and files == 1, case.id


def _audit_verify(deployment) -> str:
    result = subprocess.run(
        [str(harness.FLASK), "--app", "wsgi", "audit", "verify"],
        cwd=harness.ROOT,
        env=deployment.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _raw(deployment, path: str, headers: dict[str, str], data: bytes | None = None):
    """A request with headers urllib would not send by itself; (status, headers, body)."""
    request = urllib.request.Request(deployment.nginx.base + path, data=data, headers=headers)
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=harness.tls_context(deployment.nginx)))
    try:
        with opener.open(request, timeout=120) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# --- the edge --------------------------------------------------------------------------------


def test_https_and_http2_from_the_shipped_site_file(deployment):
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    nginx = deployment.nginx
    version = subprocess.run(
        [
            curl,
            "-sS",
            "--http2",
            "--cacert",
            str(nginx.prefix / "cert.pem"),
            "-o",
            "/dev/null",
            "-w",
            "%{http_version}",
            nginx.base + "/",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert version.stdout == "2", version.stderr
    plain = subprocess.run(
        [
            curl,
            "-sS",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code} %{redirect_url}",
            f"http://localhost:{nginx.http_port}/followup",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert plain.stdout == f"301 {nginx.base}/followup"


def test_static_files_come_from_nginx_compressed_and_hashed_names_are_immutable(deployment):
    status, headers, body = _raw(deployment, "/static/site.css", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (harness.ROOT / "static" / "site.css").read_bytes()
    assert "X-Test-Upstream" not in headers  # from disk, not from gunicorn
    hashed = harness.ROOT / "static" / "site.0123456789abcdef.css"
    shutil.copy(harness.ROOT / "static" / "site.css", hashed)
    try:
        status, headers, _ = _raw(deployment, "/static/" + hashed.name, {})
    finally:
        hashed.unlink()
    assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # Private pages are never compressed (BREACH); the public notices are.
    assert "Content-Encoding" not in _raw(deployment, "/submit/concern", {"Accept-Encoding": "gzip"})[1]
    assert _raw(deployment, "/notices", {"Accept-Encoding": "gzip"})[1].get("Content-Encoding") == "gzip"


def test_client_max_body_size_matches_the_app(deployment):
    site = harness.SITE.read_text()
    config = deployment.app.config
    sizes = re.findall(r"client_max_body_size (\d+)k;", site)
    assert int(sizes[0]) * 1024 == config["MAX_CONTENT_LENGTH"]
    assert {int(s) * 1024 for s in sizes[1:]} == {config["MAX_SHORT_FORM_BYTES"]}


def test_an_oversize_upload_gets_the_413_page_through_nginx(deployment):
    browser = deployment.browser()
    tokens = browser.tokens("/submit/concern")
    big = b"\x89PNG\r\n\x1a\n" + os.urandom(60 * 1024 * 1024)
    answer = browser.post(
        "/submit/concern",
        {"category": "other", "subject": "s", "description": "d"},
        [("attachments", "big.png", big)],
        tokens=tokens,
    )
    assert answer.status == 413
    assert "提交内容过大" in answer.text and "Too much data" in answer.text
    assert "<script" not in answer.text and "http" not in answer.text.split("<body>")[1].replace('href="/"', "")


def test_a_50_mb_urlencoded_field_is_refused_with_a_413_page(deployment):
    browser = deployment.browser()
    field = b"receipt=" + b"1" * (50 * 1024 * 1024)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    # Refused by nginx on the receipt form (its own short limit)...
    answer = browser.open("/followup", field, form)
    assert answer.status == 413 and "提交内容过大" in answer.text
    # ...and by the app on the other forms without a file, before parsing: still a page, not a reset.
    answer = browser.open("/followup/leave", field, form)
    assert answer.status == 413 and "未保存任何内容" in answer.text and "X-Test-Upstream" in answer.headers


def test_absolute_links_name_the_canonical_address_and_other_hosts_get_no_answer(deployment):
    nginx = deployment.nginx
    status, _, body = _raw(deployment, "/notices/feed.atom", {})
    assert status == 200 and f'href="{nginx.base}/notices/feed.atom"' in body.decode()
    with pytest.raises(Exception):  # noqa: B017 - nginx closes the connection (444), whatever the error says
        _raw(deployment, "/notices/feed.atom", {"Host": "evil.example"})


# --- many at once ----------------------------------------------------------------------------


def _cadre(deployment, number: int, attachment: bytes) -> tuple[str, str | None, int]:
    marker = f"ZM-LOAD-{number:04d}"
    receipt = deployment.browser().file_concern(marker, [(f"photo-{number}.png", attachment)])
    if receipt is None:
        return marker, None, 0
    later = deployment.browser()  # another visit, another cookie jar
    later.follow_up(receipt)
    status = later.get("/followup/status")
    mine = marker in status.text and len(re.findall(r"ZM-LOAD-\d{4}", status.text)) == status.text.count(marker)
    reply = later.reply(f"More detail for {marker}.")
    saved = reply.status == 200 and reply.url.endswith("/followup/status")  # after the redirect
    return marker, receipt, (reply.status if mine and saved else -1)


def test_concurrent_submissions_across_both_instances_with_follow_ups_and_a_staff_session(deployment):
    before = _counts(deployment.app)
    attachment = gen_png(64, 48, "teal")
    reviewer = deployment.browser()
    assert reviewer.sign_in(deployment.reviewer, deployment.reviewer_totp).url.endswith("/review")
    staff_pages: list[float] = []
    flood = threading.Event()

    def staff_session() -> None:
        while not flood.is_set():
            started = time.perf_counter()
            assert reviewer.get("/review").status == 200
            staff_pages.append(time.perf_counter() - started)

    watcher = threading.Thread(target=staff_session)
    started = time.perf_counter()
    watcher.start()
    try:
        with ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(lambda n: _cadre(deployment, n, attachment), range(SUBMISSIONS)))
    finally:
        flood.set()
        watcher.join(120)
    elapsed = time.perf_counter() - started
    print(
        f"\n{SUBMISSIONS} submissions + follow-ups + replies in {elapsed:.1f} s through nginx and 2 instances;"
        f" {len(staff_pages)} staff pages meanwhile, slowest {max(staff_pages, default=0):.2f} s"
    )
    assert [r for r in results if r[1] is None] == []
    assert all(status == 200 for _marker, _receipt, status in results), results
    assert len({receipt for _m, receipt, _s in results}) == SUBMISSIONS
    assert deployment.record.server_errors() == []
    upstreams = {upstream for _p, _s, upstream in deployment.record.answers if upstream}
    assert {f"127.0.0.1:{i.port}" for i in deployment.instances} <= upstreams

    # The staff member's session hops between instances; their message reaches one cadre's status page.
    with deployment.app.app_context():
        case_id = db.session.scalar(db.select(Case.id).order_by(Case.id).limit(1))
    served_by = set()
    for _ in range(4):
        page = reviewer.get(f"/review/cases/{case_id}")
        assert page.status == 200
        served_by.add(page.headers["X-Test-Upstream"])
    assert len(served_by) == 2
    page = f"/review/cases/{case_id}"
    assert reviewer.post(f"{page}/messages", {"body": "Which teams? ZM-STAFF-MESSAGE"}, page=page).status == 200

    after = _counts(deployment.app)
    assert after["cases"] - before["cases"] == SUBMISSIONS
    assert after["attachments"] - before["attachments"] == SUBMISSIONS
    assert after["messages"] - before["messages"] == SUBMISSIONS + 1
    # Every receipt opens exactly its own case (checked in _cadre), and the message is where it belongs.
    seen = 0
    for marker, receipt, _status in results:
        cadre = deployment.browser()
        cadre.follow_up(receipt)
        html = cadre.get("/followup/status").text
        assert marker in html
        seen += "ZM-STAFF-MESSAGE" in html
    assert seen == 1
    _every_case_is_whole(deployment.app)
    assert "intact" in _audit_verify(deployment)


def test_a_rate_limit_holds_across_both_instances(deployment):
    guesser = deployment.browser()
    answers = []
    for n in range(12):
        if n % 2:
            guesser.get("/healthz")  # round robin: one request more, so the next post goes to the other instance
        tokens = guesser.tokens("/followup")
        body, content_type = harness.multipart({**tokens, "receipt": "1111 2222 3333 4444"}, [])
        # A forged X-Forwarded-For changes nothing: nginx names its own peer, one hop.
        answers.append(
            guesser.open(
                "/followup",
                body,
                {
                    "Content-Type": content_type,
                    "Referer": guesser.base + "/followup",
                    "X-Forwarded-For": f"198.51.100.{n}",
                },
            )
        )
    assert [a.status for a in answers] == [400] * 10 + [429] * 2  # LIMIT_FOLLOWUP: 10 per 10 minutes
    assert len({a.headers["X-Test-Upstream"] for a in answers}) == 2
    sign_ins = [
        deployment.browser().post("/review/login", {"username": "wang", "password": "wrong", "code": "000000"}).status
        for _ in range(7)
    ]
    assert sign_ins == [401] * 5 + [429] * 2  # LIMIT_LOGIN_ACCOUNT: 5 per 15 minutes, from both instances
    # Every test browser is 127.0.0.1: forget the guesser's counts (our own Redis db) for the tests after.
    import redis

    from tests.production.conftest import REDIS_URL

    redis.Redis.from_url(REDIS_URL).flushdb()


# --- faults ----------------------------------------------------------------------------------


def test_a_killed_instance_leaves_the_other_serving(deployment):
    # First of the faults: nginx counts a failed upstream as down for fail_timeout (10 s), and
    # with both down it has no one to pass to; a worker killed just before would be such a failure.
    before = _counts(deployment.app)["cases"]
    dead = deployment.instances[0]
    deployment.record.answers.clear()
    dead.kill()
    try:
        receipts = [deployment.browser().file_concern(f"ZM-ALONE-{n}", [("p.png", gen_png())]) for n in range(6)]
        assert None not in receipts
        for n, receipt in enumerate(receipts):
            cadre = deployment.browser()
            assert cadre.follow_up(receipt).status == 200
            assert f"ZM-ALONE-{n}" in cadre.get("/followup/status").text
        reviewer = deployment.browser()
        assert reviewer.sign_in(deployment.reviewer, deployment.reviewer_totp).url.endswith("/review")
        assert deployment.record.server_errors() == []
        alive = f"127.0.0.1:{deployment.instances[1].port}"
        # $upstream_addr lists every instance tried: the dead one refused, the live one answered.
        assert {u.split(", ")[-1] for _p, _s, u in deployment.record.answers if u} == {alive}
        assert _counts(deployment.app)["cases"] - before == 6
        _every_case_is_whole(deployment.app)
    finally:
        deployment.restart(0)
    assert "intact" in _audit_verify(deployment)


def _noise_png(width: int = 1200, height: int = 900) -> bytes:
    """A photo-sized image that takes the worker a moment to clean (noise does not compress)."""
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, "PNG", compress_level=1)
    return out.getvalue()


def test_a_worker_killed_mid_submission_leaves_no_partial_case_and_the_resend_shows_its_receipt(deployment):
    photo = _noise_png()
    fields = {"category": "workload", "subject": "", "description": "Filed while a worker dies."}
    # How long one submission takes here and now, so the kills land inside one whatever the machine's speed.
    calibrating = deployment.browser()
    calibration_tokens = calibrating.tokens("/submit/concern")
    started = time.monotonic()
    calibration = calibrating.post(
        "/submit/concern",
        {**fields, "subject": "ZM-CALIBRATE"},
        [("attachments", "photo.png", photo)],
        tokens=calibration_tokens,
    )
    took = time.monotonic() - started
    assert calibration.status == 200, calibration.status
    before = _counts(deployment.app)["cases"]
    interrupted = 0
    # Spread over the whole submission (nginx buffers the upload first, so most land late).
    delays = tuple(took * share for share in (0.3, 0.5, 0.65, 0.75, 0.85, 0.9, 0.95, 1.0))
    for round_number, delay in enumerate(delays):
        cadre = deployment.browser()
        form = cadre.get("/submit/concern")
        tokens = {
            "csrf_token": harness.hidden(form.text, "csrf_token"),
            "form_token": harness.hidden(form.text, "form_token"),
        }
        # One nginx worker, round robin over two: the post goes to the instance the form did not come from.
        target = next(i for i in deployment.instances if f"127.0.0.1:{i.port}" != form.headers["X-Test-Upstream"])
        sent = {**fields, "subject": f"ZM-KILL-{round_number}"}
        outcome: list[harness.Answer] = []

        def send(browser=cadre, fields=sent, form_tokens=tokens, into=outcome) -> None:
            files = [("attachments", "photo.png", photo)]
            into.append(browser.post("/submit/concern", fields, files, page="/submit/concern", tokens=form_tokens))

        poster = threading.Thread(target=send)
        poster.start()
        time.sleep(delay)
        for worker in target.workers():
            os.kill(worker, signal.SIGKILL)
        poster.join(120)
        answer = outcome[0]
        if answer.status >= 500:
            interrupted += 1
            assert answer.status == 502 and "暂时无法使用" in answer.text  # nginx's page, in both languages
            harness.wait_until_answering(target)
            # The cadre goes Back and sends the same form again: a receipt, never a second case.
            answer = cadre.post(
                "/submit/concern", sent, [("attachments", "photo.png", photo)], page="/submit/concern", tokens=tokens
            )
        assert answer.status == 200 and harness.RECEIPT.search(answer.text), answer.status
        receipt = harness.RECEIPT.search(answer.text).group(1)
        check = deployment.browser()
        check.follow_up(receipt)
        assert f"ZM-KILL-{round_number}" in check.get("/followup/status").text
        harness.wait_until_answering(target)
    print(f"\n{interrupted} of {len(delays)} submissions were cut by the SIGKILL")
    assert _counts(deployment.app)["cases"] - before == len(delays)
    if interrupted == 0:
        # Every round was still checked (one case each, its receipt opens it); only the cut itself
        # is a matter of timing on a shared machine, so say so rather than pass it off as tested.
        pytest.skip("no SIGKILL landed inside a submission this run: the cut-and-resend path was not exercised")
    _every_case_is_whole(deployment.app)


def _blocked_filing_ports(app) -> list[int]:
    """Client ports of the backends blocked inside a filing, at its INSERT of the attachment rows."""
    with app.app_context():
        return list(
            db.session.scalars(
                db.text(
                    "SELECT client_port FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND query ILIKE 'INSERT INTO attachments%'"
                )
            )
        )


def _socket_inodes(port: int) -> set[str]:
    """Inodes of the local TCP sockets bound to ``port`` (/proc/net/tcp{,6}: hex local port)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            for row in list(rows)[1:]:
                fields = row.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(fields[9])
    return inodes


def _worker_holding(deployment, port: int) -> tuple[harness.Instance, int]:
    """The gunicorn worker (and its instance) whose database connection uses local ``port``."""
    wanted = {f"socket:[{inode}]" for inode in _socket_inodes(port)}
    for instance in deployment.instances:
        for worker in instance.workers():
            with contextlib.suppress(FileNotFoundError, PermissionError):
                for fd in os.listdir(f"/proc/{worker}/fd"):
                    with contextlib.suppress(FileNotFoundError):
                        if os.readlink(f"/proc/{worker}/fd/{fd}") in wanted:
                            return instance, worker
    raise AssertionError(f"no worker holds the connection from port {port}")


def test_a_worker_killed_inside_the_filing_transaction_commits_nothing(deployment):
    """The same cut without timing: the filing is held inside its transaction, then its worker dies.

    The test takes the attachments table's EXCLUSIVE lock, so a filing stops at its attachment
    INSERT after its case row, holder rows and timeline are written but before its COMMIT. The
    worker serving it (found by its database connection) is killed only then; the lock goes, the
    orphaned backend finds its client gone and rolls back. Nothing of that case may remain, the
    other instance keeps serving, and the resent form files it once.
    """
    photo = _noise_png(300, 200)
    before = _counts(deployment.app)
    cadre = deployment.browser()
    tokens = cadre.tokens("/submit/concern")
    sent = {"category": "workload", "subject": "ZM-HELD-KILL", "description": "Held in its transaction, then cut."}
    outcome: list[harness.Answer] = []
    with deployment.app.app_context():
        holder = db.engine.connect()
    try:
        locking = holder.begin()
        holder.execute(db.text("LOCK TABLE attachments IN EXCLUSIVE MODE"))

        def send() -> None:
            files = [("attachments", "photo.png", photo)]
            outcome.append(cadre.post("/submit/concern", sent, files, page="/submit/concern", tokens=tokens))

        poster = threading.Thread(target=send)
        poster.start()
        deadline = time.monotonic() + 60
        while not (ports := _blocked_filing_ports(deployment.app)):
            assert time.monotonic() < deadline, "the filing never reached its attachment INSERT"
            time.sleep(0.05)
        assert len(ports) == 1, ports
        serving, worker = _worker_holding(deployment, ports[0])
        os.kill(worker, signal.SIGKILL)
        poster.join(120)
        locking.rollback()
    finally:
        holder.close()
    answer = outcome[0]
    assert answer.status == 502 and "暂时无法使用" in answer.text, answer.status
    deadline = time.monotonic() + 60
    while _blocked_filing_ports(deployment.app):  # the orphan notices its client is gone
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert _counts(deployment.app) == before  # not a row of the cut filing
    other = next(i for i in deployment.instances if i is not serving)
    with urllib.request.urlopen(f"http://127.0.0.1:{other.port}/healthz", timeout=30) as health:
        assert health.status == 200, "the other instance stopped serving"
    harness.wait_until_answering(serving)
    # nginx counts the cut as a failure of that upstream; the earlier test's kills may have marked the
    # other one too, and with both marked it answers 502 at once until fail_timeout (10 s) passes.
    deadline = time.monotonic() + 60
    while deployment.browser().get("/healthz").status != 200:
        assert time.monotonic() < deadline, "nginx never passed requests on again"
        time.sleep(0.5)
    answer = cadre.post(
        "/submit/concern", sent, [("attachments", "photo.png", photo)], page="/submit/concern", tokens=tokens
    )
    assert answer.status == 200 and harness.RECEIPT.search(answer.text), answer.status
    check = deployment.browser()
    check.follow_up(harness.RECEIPT.search(answer.text).group(1))
    assert "ZM-HELD-KILL" in check.get("/followup/status").text
    assert _counts(deployment.app)["cases"] == before["cases"] + 1
    _every_case_is_whole(deployment.app)


# --- what stays on disk ----------------------------------------------------------------------


def test_no_log_holds_a_client_address(deployment):
    """After 413s, killed upstreams and a refused host: nothing in nginx's logs names a client."""
    logs = {path.name: path.read_text() if path.exists() else "" for path in deployment.nginx.error_logs}
    for name, text in logs.items():
        assert "client:" not in text, (name, text[-2000:])
    assert (
        not (deployment.nginx.prefix / "debian-default-access.log").exists()
        or not (deployment.nginx.prefix / "debian-default-access.log").read_text()
    )
    for instance in deployment.instances:
        assert "127.0.0.1" not in instance.log.read_text().replace(f"127.0.0.1:{instance.port}", "")
