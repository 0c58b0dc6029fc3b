"""gunicorn settings: no access log (it would record client addresses and agents)."""

import multiprocessing

bind = "127.0.0.1:8000"
workers = multiprocessing.cpu_count() * 2 + 1
accesslog = None
errorlog = "-"
loglevel = "warning"
# Keep the proxy's X-Forwarded-* handling in the app (ProxyFix), not here.
forwarded_allow_ips = "127.0.0.1"
