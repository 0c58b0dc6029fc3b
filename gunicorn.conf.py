"""gunicorn settings: no access log (it would record client addresses and agents).

Rate limits kept in memory (memory://, the embedded default) would count per worker,
so with them gunicorn runs one worker and refuses to start with more; with Redis
(RATELIMIT_STORAGE_URI=redis://...) it runs 2 x cores + 1.
"""

import multiprocessing
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from portal import create_app  # noqa: E402  (reads configuration only: no I/O, no database)

_LIMITS_PER_PROCESS = str(create_app().config["RATELIMIT_STORAGE_URI"]).startswith("memory://")

bind = "127.0.0.1:8000"
workers = 1 if _LIMITS_PER_PROCESS else multiprocessing.cpu_count() * 2 + 1
accesslog = None
errorlog = "-"
loglevel = "warning"
# Keep the proxy's X-Forwarded-* handling in the app (ProxyFix), not here.
forwarded_allow_ips = "127.0.0.1"


def on_starting(server) -> None:
    """Refuse several workers (e.g. `-w 5`) while each would keep its own limit counters."""
    if _LIMITS_PER_PROCESS and server.cfg.workers > 1:
        raise RuntimeError(
            f"{server.cfg.workers} workers with rate limits in memory:// would count every limit per worker;"
            " set RATELIMIT_STORAGE_URI=redis://... or run one worker"
        )
