"""Load on the public notices with 100,000 of them: gunicorn on loopback, wrk (or threads); prints a table.

    /tmp/venv/bin/python -m bench.notices_load [--notices N] [--workers W] [--seconds S]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test /tmp/venv/bin/python -m bench.notices_load

Seeds a fresh database (a temporary SQLite file, or the PostgreSQL database named
`test` when DATABASE_URL is given: its schema is dropped and rebuilt through the
migrations, and dropped and rebuilt empty again at the end), starts
`python -m gunicorn` with the production configuration over plain http on
127.0.0.1, runs a fixed-length load per address, stops gunicorn. It measures
and prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import MetaData, insert, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.cli import _ensure_default_body
from portal.domain.notice_text import grams, plain_text, search_text
from portal.extensions import db
from portal.models import Notice, NoticeGram, NoticeRevision
from portal.services import accounts

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
BATCH = 2000
#: A word in roughly one notice in six (the "gifts" allegations).
COMMON_WORD = "礼品"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰文斌海燕鹏飞"
COUNTIES = ["平安县", "长宁县", "清河县", "永丰县", "临江县", "石门县", "双峰县", "新田县", "安化县", "桃源县"]
TOWNS = ["城关镇", "河口镇", "青山乡", "白沙镇", "黄土岭乡", "石桥镇", "柳树湾乡", "东坪镇", "马家堰乡", "龙潭镇"]
OFFICES = ["人民政府", "党委", "村民委员会", "农业农村办公室", "社会事务办公室", "综合执法队", "财政所", "自然资源所"]
POSTS = [
    "副镇长",
    "镇长",
    "党委副书记",
    "村党支部书记",
    "村委会主任",
    "财政所所长",
    "综合执法队队长",
    "驻村第一书记",
    "办公室主任",
    "副乡长",
]
ISSUERS = [
    "平安县纪委监委",
    "长宁县纪委监委",
    "清河县纪委监委",
    "永丰市纪委监委",
    "临江市纪委监委",
    "省纪委监委第三监督检查室",
]
ALLEGATIONS = [
    "在村道硬化工程验收中收受施工方礼品礼金，并为其结算工程款提供便利。",
    "在低保对象评定中优亲厚友，将不符合条件的亲属纳入低保。",
    "利用职务便利，在集体土地流转中为亲属谋取利益。",
    "违规报销差旅费用，虚列会议支出。",
    "在扶贫项目资金分配中弄虚作假，截留挪用项目资金。",
    "长期不在岗，工作作风漂浮，群众办事推诿扯皮。",
]
METHODS = [
    "调取了工程合同、验收记录、财务凭证和银行流水",
    "走访了村民代表、施工方负责人和相关工作人员共二十余人",
    "核对了低保评议会议记录、入户调查表和公示材料",
    "查阅了土地流转合同、村民代表大会决议和资金往来账目",
    "比对了差旅审批单、会议通知、签到表和报销凭证",
]
FINDINGS = [
    "未发现其收受礼品礼金或为他人谋取利益的事实，反映问题失实。",
    "相关评定程序符合规定，未发现优亲厚友问题，反映问题失实。",
    "相关资金均按规定用途使用，账实相符，反映问题失实。",
    "其在岗履职情况正常，群众评价较好，反映问题失实。",
]
CLOSINGS = [
    "现予以澄清正名，消除不良影响。希望广大干部群众如实反映问题，对诬告陷害行为将依规依纪依法严肃处理。",
    "特此公告，为其澄清正名。对恶意举报、诬告陷害者，将依纪依法追究责任。",
    "经研究，决定在一定范围内予以澄清，希望该同志放下思想包袱，继续担当作为、干事创业。",
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _notice(rng: random.Random, notice_id: int, published_at: dt.datetime) -> dict:
    county, town = rng.choice(COUNTIES), rng.choice(TOWNS)
    unit = county + town + rng.choice(OFFICES)
    post = rng.choice(POSTS)
    full = _name(rng)
    person = rng.choice((full, full[0] + "某", ""))
    allegation = rng.choice(ALLEGATIONS)
    issuer = rng.choice(ISSUERS)
    issued_on = published_at.date() - dt.timedelta(days=rng.randint(0, 5))
    who = person or "该同志"
    paragraphs = [
        f"{issued_on.year}年{issued_on.month}月，{issuer}收到反映{unit}{post}{who}的问题线索，反映其{allegation}",
        f"经初步核实，{issuer}成立核查组，{rng.choice(METHODS)}，并{rng.choice(METHODS)}。核查组还听取了{who}本人的说明，"
        f"对反映的每一项问题逐一核实。核查过程中严格遵守纪律，注意保护反映人，依规依纪依法开展工作。",
        f"经核查，{rng.choice(FINDINGS)}{who}在{county}工作期间，认真履行岗位职责，在乡村振兴、基层治理和疫情防控等工作中表现突出，"
        f"多次被评为优秀等次。",
        rng.choice(CLOSINGS),
    ]
    body_html = "".join(f"<p>{p}</p>" for p in paragraphs)
    number = f"{issuer[:2]}纪澄〔{issued_on.year}〕{notice_id}号"
    title = f"关于对{unit}{post}{who}有关问题核查情况的澄清公告"
    return {
        "id": notice_id,
        "case_id": None,
        "number": number,
        "title": title[:200],
        "person": person,
        "unit": unit,
        "post": post,
        "allegation": allegation,
        "body_html": body_html,
        "issuer": issuer,
        "issued_on": issued_on,
        "status": "published",
        "published_at": published_at,
        "updated_at": published_at,
        "withdrawn_reason": None,
        "search_text": search_text(number, title, person, unit, post, allegation, plain_text(body_html), issuer),
    }


def _others_connected(database_url: str) -> int:
    """Sessions of other programs on the PostgreSQL database (a test run would lose its tables)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url}, config_name="testing")
    with app.app_context():
        count = db.session.scalar(
            text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        )
        db.engine.dispose()
    return count


def _reset_schema(app) -> None:
    with app.app_context():
        existing = MetaData()
        existing.reflect(db.engine)
        existing.drop_all(db.engine)
        upgrade()
        db.engine.dispose()


def seed(database_url: str, count: int) -> dict:
    """A fresh schema and `count` published notices from 2020 to 2026; returns addresses to load."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url}, config_name="testing")
    _reset_schema(app)
    with app.app_context():  # as `flask init` leaves a deployment: its first body and the escrow key
        _ensure_default_body()  # (before init every request checks the cipher suite in the database)
        accounts.create_escrow("bench escrow passphrase")
    rng = random.Random(20240301)
    start, end = dt.datetime(2020, 1, 1), dt.datetime(2026, 11, 30)
    step = (end - start) / count
    started = time.perf_counter()
    with app.app_context():
        notice_table, revision_table = Notice.__table__, NoticeRevision.__table__
        for first in range(1, count + 1, BATCH):
            ids = range(first, min(first + BATCH, count + 1))
            rows = [_notice(rng, i, (start + step * i).replace(minute=0, second=0, microsecond=0)) for i in ids]
            db.session.execute(insert(notice_table), rows)
            db.session.execute(
                insert(NoticeGram.__table__),
                [{"gram": g, "notice_id": r["id"]} for r in rows for g in grams(r["search_text"])],
            )
            db.session.execute(
                insert(revision_table),
                [
                    {
                        "id": r["id"],
                        "notice_id": r["id"],
                        "kind": "published",
                        "at": r["published_at"],
                        "reason": None,
                        "changes": None,
                    }
                    for r in rows
                ],
            )
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            for table in ("notices", "notice_revisions"):
                db.session.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
            db.session.commit()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE notices"))
                conn.execute(text("VACUUM ANALYZE notice_revisions"))
                conn.execute(text("VACUUM ANALYZE notice_grams"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        middle = db.session.execute(
            text("SELECT published_at, id FROM notices ORDER BY published_at DESC, id DESC LIMIT 1 OFFSET :n"),
            {"n": count // 2},
        ).one()
        db.engine.dispose()
    published_at = middle[0] if isinstance(middle[0], dt.datetime) else dt.datetime.fromisoformat(str(middle[0]))
    print(f"seeded {count} notices in {time.perf_counter() - started:.1f} s")
    return {
        "/healthz": "/healthz",
        "/notices": "/notices",
        "/notices?q=": f"/notices?q={urllib.request.quote(COMMON_WORD)}",
        "/notices?older= (mid-list)": f"/notices?older={published_at:%Y%m%d%H%M%S}-{middle[1]}",
        "/notices/<id>": f"/notices/{count // 3}",
        "/notices/feed.atom": "/notices/feed.atom",
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(database_url: str, workers: int, port: int, log: Path, memo: bool) -> subprocess.Popen:
    env = {
        **os.environ,
        **({} if memo else {"ZM_NOTICES_PAGE_MEMO_BYTES": "0"}),
        "ZM_CONFIG": "production",
        "SECRET_KEY": "bench-secret-key-" + "x" * 32,
        "RECEIPT_PEPPER": "bench-pepper-" + "y" * 32,
        "DATABASE_URL": database_url,
        "ZM_SESSION_COOKIE_SECURE": "false",
        "ZM_PROXY_COUNT": "0",
        "ZM_CANONICAL_URL": "https://portal.example",
        # Limits shared by the workers as production keeps them (the public pages have none, but
        # production refuses per-worker limits); SQLite is the embedded default, said on purpose.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/15"),
        **({"ZM_SINGLE_PROCESS": "1"} if database_url.startswith("sqlite") else {}),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        "-w",
        str(workers),
        "-b",
        f"{HOST}:{port}",
        "wsgi:app",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=1) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"gunicorn did not answer within 30 s:\n{log.read_text()[-2000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * _UNITS[unit]


def load_wrk(url: str, seconds: int, connections: int) -> tuple[float, float, float]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"  warning: {errors.group(1)} non-2xx responses for {url}")
    return rps, p50, p99


def load_threads(url: str, seconds: int, connections: int) -> tuple[float, float, float]:
    """Keep-alive clients in threads: a fallback when wrk is missing (it measures less precisely)."""
    host, port = HOST, int(url.split(":")[2].split("/")[0])
    path = "/" + url.split("/", 3)[3]
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client() -> None:
        mine: list[float] = []
        conn = http.client.HTTPConnection(host, port, timeout=10)
        while time.perf_counter() < stop_at:
            began = time.perf_counter()
            try:
                conn.request("GET", path)
                conn.getresponse().read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=10)
                continue
            mine.append((time.perf_counter() - began) * 1000)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return len(latencies) / seconds, statistics.median(latencies), latencies[int(len(latencies) * 0.99) - 1]


def _drain(port: int, connections: int) -> None:
    """Wait out requests a slow address left queued, so they do not count against the next one."""
    for _ in range(connections):
        urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=60).read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=4, help="load per address and round")
    parser.add_argument("--rounds", type=int, default=2, help="each address is loaded once per round; best kept")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--no-memo", action="store_true", help="render every page (no memo of rendered pages)")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL")
    tmp = Path(tempfile.mkdtemp(prefix="zm-bench-"))
    if database_url:
        if make_url(database_url).database != "test":
            sys.exit("DATABASE_URL must name the database `test`: this benchmark drops its schema")
        if _others_connected(database_url):
            sys.exit("other sessions use the database `test` (a test run?); try again when it is free")
    else:
        database_url = f"sqlite:///{tmp}/bench.sqlite3"
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(
        f"database: {make_url(database_url).get_backend_name()}, {args.notices} notices, "
        f"{args.workers} gunicorn workers, {args.connections} connections, {args.rounds} rounds of {args.seconds} s "
        f"per address (best kept), "
        f"load by {'wrk' if shutil.which('wrk') else 'Python threads'}, "
        f"memo of rendered pages {'off' if args.no_memo else 'on'}"
    )
    paths = seed(database_url, args.notices)
    port = _free_port()
    process = start_gunicorn(database_url, args.workers, port, tmp / "gunicorn.log", not args.no_memo)
    load = load_wrk if shutil.which("wrk") else load_threads
    results = {}
    try:
        load(f"http://{HOST}:{port}/healthz", 1, args.connections)  # until every worker has booted
        for path in paths.values():
            for _ in range(20):  # warm each worker's pools and template caches
                urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=10).read()
        # Rounds over all addresses, keeping each one's best: other work on the machine comes and goes.
        for _ in range(args.rounds):
            for name, path in paths.items():
                measured = load(f"http://{HOST}:{port}{path}", args.seconds, args.connections)
                _drain(port, args.connections)
                if name not in results or measured[0] > results[name][0]:
                    results[name] = measured
    finally:
        stop(process)
        if make_url(database_url).get_backend_name() == "postgresql":
            _reset_schema(create_app({"SQLALCHEMY_DATABASE_URI": database_url}, config_name="testing"))
        shutil.rmtree(tmp, ignore_errors=True)
    base = results["/healthz"][0]
    print(f"{'address':<28}{'req/s':>9}{'× healthz':>11}{'median ms':>11}{'p99 ms':>9}")
    for name, (rps, p50, p99) in results.items():
        print(f"{name:<28}{rps:>9.0f}{rps / base:>11.2f}{p50:>11.2f}{p99:>9.2f}")


if __name__ == "__main__":
    main()
