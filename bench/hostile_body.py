"""Server CPU a hostile request body costs before it is refused; prints figures, asserts nothing.

    .venv/bin/python -m bench.hostile_body [--megabytes 50] [--rounds 3]

Starts the shipped gunicorn.conf.py (one worker, SQLite in a temporary folder)
and sends bodies a browser never sends from our pages, straight to gunicorn (no
nginx in front, so nothing is refused before the app). For each: the worker's
CPU time (user + system, from /proc) and the wall time until the answer, and the
status (or "reset" when gunicorn closed the connection before the client had
sent everything: what a browser shows without nginx in front).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def _worker(master: int) -> int:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True)
    return int(found.stdout.split()[0])


def _send(port: int, path: str, content_type: str, body_chunks, length: int) -> str:
    """Send the request; the status line of the answer, or how the connection ended."""
    with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
        )
        try:
            sock.sendall(head.encode())
            for chunk in body_chunks:
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            answer = sock.recv(200)
        except ConnectionResetError:
            return "reset"
        return answer.split(b"\r\n", 1)[0].decode() if answer else "closed"


def _urlencoded(size: int):
    chunk = b"1" * (1024 * 1024)
    yield b"receipt="
    sent = 8
    while sent < size:
        piece = chunk[: min(len(chunk), size - sent)]
        sent += len(piece)
        yield piece


def _multipart_text(size: int, boundary: str = "zmbench"):
    yield f'--{boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\n'.encode()
    chunk = b"x" * (1024 * 1024)
    sent = 0
    body = size - 200
    while sent < body:
        piece = chunk[: min(len(chunk), body - sent)]
        sent += len(piece)
        yield piece
    yield f"\r\n--{boundary}--\r\n".encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    size = args.megabytes * 1024 * 1024
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        env = {k: v for k, v in os.environ.items() if not k.startswith("ZM_") and k != "DATABASE_URL"}
        env.update(
            SECRET_KEY="bench-" + "s" * 40, RECEIPT_PEPPER="bench-" + "p" * 40, DATABASE_URL=f"sqlite:///{database}"
        )
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        port = _free_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen(
            [str(gunicorn), "-c", str(ROOT / "gunicorn.conf.py"), "-b", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            time.sleep(1)
            worker = _worker(server.pid)
            _send(port, "/followup", "application/x-www-form-urlencoded", [b"receipt=1"], 9)  # warm the worker
            cases = [
                ("/followup", "urlencoded", "application/x-www-form-urlencoded", lambda: _urlencoded(size)),
                ("/review/login", "urlencoded", "application/x-www-form-urlencoded", lambda: _urlencoded(size)),
                ("/followup/object", "urlencoded", "application/x-www-form-urlencoded", lambda: _urlencoded(size)),
                ("/submit/concern", "urlencoded", "application/x-www-form-urlencoded", lambda: _urlencoded(size)),
                (
                    "/submit/concern",
                    "multipart text",
                    "multipart/form-data; boundary=zmbench",
                    lambda: _multipart_text(size),
                ),
            ]
            print(f"{args.megabytes} MB bodies straight to gunicorn (one worker); median of {args.rounds}")
            print(f"{'path':<18} {'body':<15} {'worker CPU ms':>14} {'wall ms':>9}  answer")
            for path, kind, content_type, body in cases:
                cpu, wall, answer = [], [], ""
                for _ in range(args.rounds):
                    before, started = _cpu_seconds(worker), time.perf_counter()
                    answer = _send(port, path, content_type, body(), size)
                    wall.append((time.perf_counter() - started) * 1000)
                    time.sleep(0.3)  # let the worker finish whatever it still does
                    cpu.append((_cpu_seconds(worker) - before) * 1000)
                cpu.sort()
                wall.sort()
                print(f"{path:<18} {kind:<15} {cpu[len(cpu) // 2]:>14.0f} {wall[len(wall) // 2]:>9.0f}  {answer}")
        finally:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
