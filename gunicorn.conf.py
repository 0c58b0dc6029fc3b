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
# No control socket (gunicornc, gunicorn 25.1+): systemd starts, reloads (HUP) and stops the pools.
# Its default place, ~/.gunicorn, is read-only under the units' ProtectSystem=strict (gunicorn
# logged an error at every start), and the two pools of one user would share one socket there.
control_socket_disable = True


def on_starting(server) -> None:
    """Refuse several workers (e.g. `-w 5`) while each would keep its own limit counters,
    and a database initialised with another cipher suite than ZM_CIPHER_SUITE."""
    if _LIMITS_PER_PROCESS and server.cfg.workers > 1:
        raise RuntimeError(
            f"{server.cfg.workers} workers with rate limits in memory:// would count every limit per worker;"
            " set RATELIMIT_STORAGE_URI=redis://... or run one worker"
        )
    _refuse_another_cipher_suite()


def _refuse_another_cipher_suite() -> None:
    """SuiteMismatch stops the start; a database not reachable (or not initialised) yet does
    not: every worker checks again before its first request."""
    from sqlalchemy.exc import SQLAlchemyError

    from portal.extensions import db
    from portal.services import cipher_suite

    app = create_app()
    with app.app_context():
        try:
            cipher_suite.check()
        except SQLAlchemyError:
            pass
        finally:
            db.engine.dispose()  # no connection of the master's is inherited by a worker
