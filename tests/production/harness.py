"""The shipped deployment on loopback: Debian's nginx with deploy/nginx/zhengming.conf in front of
gunicorn instances (gunicorn.conf.py), on one PostgreSQL database and one Redis.

The site file is the one operators install; `render_site` only swaps its ports, paths and
certificate for temporary ones (and fails loudly if a line it swaps is gone), so the test
runs what ships. Used by tests/production/ and bench/production_load.py.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import ipaddress
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "zhengming.conf"
GUNICORN = Path(sys.executable).with_name("gunicorn")
FLASK = Path(sys.executable).with_name("flask")
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
SERVER_NAME = "localhost"
STAFF_PASSWORD = "staff password for the deployment test"
RECEIPT = re.compile(r'<p class="receipt">(\d{4} \d{4} \d{4} \d{4})</p>')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1, made now."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, SERVER_NAME)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(SERVER_NAME), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def _swap(text: str, old: str, new: str) -> str:
    assert old in text, f"the site file no longer has {old!r}: update tests/production/harness.py"
    return text.replace(old, new)


def _upstream(text: str, name: str, servers: list[int]) -> str:
    block = re.compile(r"(upstream " + name + r" \{\n)(.*?)(\})", re.S)
    assert block.search(text), f"no upstream {name} in the site file"
    lines = "".join(f"    server 127.0.0.1:{port};\n" for port in servers)
    return block.sub(lambda m: m.group(1) + lines + m.group(3), text, count=1)


def render_site(
    *, cert: Path, key: Path, https_port: int, http_port: int, public: list[int], staff: list[int], error_log: Path
) -> str:
    """deploy/nginx/zhengming.conf with this machine's ports, paths and certificate."""
    text = SITE.read_text()
    text = _swap(text, "/srv/zhengming/", f"{ROOT}/")
    text = _swap(text, "/etc/ssl/zhengming/fullchain.pem", str(cert))
    text = _swap(text, "/etc/ssl/zhengming/privkey.pem", str(key))
    text = _swap(text, "/var/log/nginx/zhengming-error.log", str(error_log))
    text = _swap(text, "server_name portal.example.gov.cn;", f"server_name {SERVER_NAME};")
    text = _swap(text, "https://portal.example.gov.cn$request_uri", f"https://{SERVER_NAME}:{https_port}$request_uri")
    # IPv4 loopback only (the machine may have no IPv6), on free ports.
    text = re.sub(r"^\s*listen \[::\]:\d+[^;]*;\n", "", text, flags=re.M)
    text = _swap(text, "listen 443 ", f"listen 127.0.0.1:{https_port} ")
    text = _swap(text, "listen 80", f"listen 127.0.0.1:{http_port}")
    text = _upstream(text, "zhengming_public", public)
    text = _upstream(text, "zhengming_staff", staff)
    # Test only: name the instance that answered, to see requests hop between them.
    return text.replace(
        "proxy_pass http://", "add_header X-Test-Upstream $upstream_addr always;\n        proxy_pass http://"
    )


def render_main(prefix: Path, site: Path, main_log: Path) -> str:
    """The nginx.conf around the site file: what Debian's /etc/nginx/nginx.conf does, in a folder of ours."""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # Run by root (a container), nginx's workers would become "nobody" and could not write our temp folders.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    return f"""daemon off;
{user}master_process on;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {main_log} info;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {prefix}/debian-default-access.log;
    gzip on;
{temp}
    include {site};
}}
"""


@dataclass
class Instance:
    """One gunicorn instance (master and workers) on a loopback port."""

    port: int
    process: subprocess.Popen
    log: Path

    def workers(self) -> list[int]:
        found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]

    def kill(self) -> None:
        """SIGKILL the whole instance: master and workers."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(30)

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                self.kill()


def instance_environment(database_url: str, redis_url: str, canonical: str, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ZM_") and k not in ("RATELIMIT_STORAGE_URI", "DATABASE_URL")
    }
    env.update(
        ZM_CONFIG="production",
        SECRET_KEY="deployment-test-secret-key-" + "s" * 24,
        RECEIPT_PEPPER="deployment-test-pepper-" + "p" * 24,
        DATABASE_URL=database_url,
        RATELIMIT_STORAGE_URI=redis_url,
        ZM_CANONICAL_URL=canonical,
        # The testing Argon2 profile (tests/conftest.py's accounts are made with it too).
        ZM_ARGON2_MEMORY_KIB="8",
        ZM_ARGON2_ITERATIONS="1",
        ZM_ARGON2_LANES="1",
        ZM_TOTP_DRIFT_STEPS="3",
        # Every test browser comes from 127.0.0.1: the per-address limits of filing would stop the
        # load after 10; the limits under test (receipts, sign-ins) keep their production values.
        ZM_LIMIT_SUBMIT="100000 per hour",
        ZM_LIMIT_REPLY="100000 per hour",
    )
    env.update(extra)
    return env


def start_instance(env: dict[str, str], port: int, workers: int, log: Path) -> Instance:
    out = log.open("w")
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: killing the instance kills its workers
    )
    return Instance(port, process, log)


def wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"exited {process.returncode}: {log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listening on {port} after {seconds} s: {log.read_text()[-3000:]}")


def wait_until_answering(instance: Instance, seconds: float = 120) -> None:
    """Until the instance answers /healthz (its workers have imported the app)."""
    wait_for_port(instance.port, instance.process, instance.log, seconds)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{instance.port}/healthz", timeout=30) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"instance on {instance.port} does not answer: {instance.log.read_text()[-3000:]}")


@dataclass
class Nginx:
    process: subprocess.Popen
    https_port: int
    http_port: int
    prefix: Path
    error_logs: list[Path]

    @property
    def base(self) -> str:
        return f"https://{SERVER_NAME}:{self.https_port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def start_nginx(folder: Path, public: list[int], staff: list[int], https_port: int | None = None) -> Nginx:
    assert NGINX, "nginx is not installed (apt-get install nginx)"
    prefix = folder / "nginx"
    prefix.mkdir(exist_ok=True)
    cert, key = make_certificate(prefix)
    https_port, http_port = https_port or free_port(), free_port()
    site_log, main_log = prefix / "zhengming-error.log", prefix / "main-error.log"
    site = prefix / "zhengming.conf"
    site.write_text(
        render_site(
            cert=cert,
            key=key,
            https_port=https_port,
            http_port=http_port,
            public=public,
            staff=staff,
            error_log=site_log,
        )
    )
    main = prefix / "nginx.conf"
    main.write_text(render_main(prefix, site, main_log))
    check = subprocess.run(
        [NGINX, "-t", "-q", "-p", str(prefix), "-c", str(main), "-e", str(main_log)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    out = (prefix / "stdout.log").open("w")
    process = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(main), "-e", str(main_log)], stdout=out, stderr=subprocess.STDOUT
    )
    wait_for_port(https_port, process, main_log, 20)
    return Nginx(process, https_port, http_port, prefix, [site_log, main_log])


def tls_context(nginx: Nginx) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(nginx.prefix / "cert.pem"))


# --- a browser over HTTPS -------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    url: str
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Record:
    """Every answer any browser got: for "no 5xx", and to see which instance served it."""

    answers: list[tuple[str, int, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, status: int, upstream: str) -> None:
        with self.lock:
            self.answers.append((path, status, upstream))

    def server_errors(self) -> list[tuple[str, int, str]]:
        return [a for a in self.answers if a[1] >= 500]


def hidden(html: str, name: str) -> str:
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and 'type="hidden"' in tag:
            value = re.search(r'value="([^"]*)"', tag)
            if value:
                return unescape(value.group(1))
    raise AssertionError(f"no hidden field {name} in {html[:300]!r}")


def multipart(fields: dict[str, str | list[str]], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = "zm" + uuid.uuid4().hex
    parts: list[bytes] = []
    for name, values in fields.items():
        for value in [values] if isinstance(values, str) else values:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    """One person's browser: cookies, Referer of the page a form came from, redirects followed."""

    def __init__(self, base: str, context: ssl.SSLContext, record: Record, language: str | None = None) -> None:
        self.base, self.record = base, record
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context), urllib.request.HTTPCookieProcessor(self.cookies)
        )
        if language:
            self.get(f"/lang/{language}")

    def open(self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> Answer:
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=120) as response:
                answer = Answer(response.status, response.url, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, error.url, dict(error.headers), error.read())
        self.record.add(path, answer.status, answer.headers.get("X-Test-Upstream", ""))
        return answer

    def get(self, path: str) -> Answer:
        return self.open(path)

    def tokens(self, page: str) -> dict[str, str]:
        html = self.get(page).text
        tokens = {"csrf_token": hidden(html, "csrf_token")}
        if 'name="form_token"' in html:
            tokens["form_token"] = hidden(html, "form_token")
        return tokens

    def post(
        self,
        path: str,
        fields: dict[str, str | list[str]],
        files: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
        page: str | None = None,
        tokens: dict[str, str] | None = None,
    ) -> Answer:
        form = {**(self.tokens(page or path) if tokens is None else tokens), **fields}
        body, content_type = multipart(form, list(files))
        return self.open(path, body, {"Content-Type": content_type, "Referer": self.base + (page or path)})

    # The cadre's side.

    def file_concern(self, marker: str, files: list[tuple[str, str, bytes]]) -> str | None:
        """File a concern; the receipt shown, after confirming it is written down (None if none shown)."""
        fields = {
            "category": "workload",
            "subject": f"Inspections {marker}",
            "description": f"Three inspection teams ask for the same reports every week. {marker}",
            "unit": "",
        }
        answer = self.post("/submit/concern", fields, [("attachments", name, data) for name, data in files])
        found = RECEIPT.search(answer.text)
        if answer.status != 200 or not found:
            return None
        self.post("/submit/receipt", {}, page="/submit/receipt")
        return found.group(1)

    def follow_up(self, receipt: str) -> Answer:
        return self.post("/followup", {"receipt": receipt})

    def reply(self, body: str) -> Answer:
        return self.post("/followup/reply", {"body": body}, page="/followup/status")

    # The staff side.

    def sign_in(self, username: str, codes: Authenticator, password: str = STAFF_PASSWORD) -> Answer:
        answer = self.post("/review/login", {"username": username, "password": password, "code": codes.next()})
        if answer.url.endswith("/review/enrol"):
            answer = self.post("/review/enrol", {"code": codes.next()})
        return answer


class Authenticator:
    """A staff member's TOTP app: each code newer than the last (the server refuses a replayed step)."""

    def __init__(self, totp) -> None:
        self.totp, self.step, self.lock = totp, 0, threading.Lock()

    def next(self) -> str:
        with self.lock:
            self.step = max(self.step + 1, int(time.time()) // self.totp.interval)
            return self.totp.generate_otp(self.step)
