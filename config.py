"""Configuration classes; environment variables prefixed ZM_ (and a few plain
names) override them in `portal.create_app`.

Only plain values live here: nothing is read from disk or network at import.
"""

from __future__ import annotations

import os


class DefaultConfig:
    """The embedded default: SQLite under instance/, limits in memory, one process."""

    #: Flask's signing key; the app refuses to start without it (`make run` writes one to instance/).
    SECRET_KEY: str | None = None
    #: Previous signing keys, still accepted after a rotation (env SECRET_KEY_FALLBACKS, comma-separated).
    SECRET_KEY_FALLBACKS: list[str] = []
    #: Pepper for receipt derivations; kept out of the database on purpose.
    RECEIPT_PEPPER: str | None = None
    #: None means sqlite:///<instance>/zhengming.sqlite3.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    RATELIMIT_STORAGE_URI = "memory://"
    #: A moving window has no boundary where the count resets (no double burst at the edge).
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_HEADERS_ENABLED = False
    #: Redis down: each process counts the same limits in its own memory until Redis answers again
    #: (portal.web.outages says why neither "open" nor "closed"); short timeouts keep a dead Redis quick.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS: dict = {"socket_timeout": 1, "socket_connect_timeout": 1}
    #: Limits for the anonymous side (flask-limiter syntax).
    LIMIT_SUBMIT = "10 per hour;30 per day"
    LIMIT_FOLLOWUP = "10 per 10 minutes;50 per day"
    LIMIT_REPLY = "20 per hour"
    #: Staff sign-in: failures per client, and per account name (existing or not) at one client.
    LIMIT_LOGIN_CLIENT = "20 per 15 minutes"
    LIMIT_LOGIN_ACCOUNT = "5 per 15 minutes"
    #: Failures per account name from all clients together: above what one client may reach, so
    #: one attacker cannot lock the real user out at their own client, but a distributed one stops.
    LIMIT_LOGIN_ACCOUNT_ALL_CLIENTS = "30 per 15 minutes"
    #: Wrong secrets typed behind a staff session, per account: current password, escrow passphrase.
    LIMIT_CURRENT_PASSWORD = "5 per 15 minutes"
    LIMIT_ESCROW_PASSPHRASE = "5 per 15 minutes"
    #: TOTP steps (30 s) accepted either side of now, for clock drift.
    TOTP_DRIFT_STEPS = 1
    #: Argon2id cost (memory KiB, passes, lanes) for receipts and secrets.
    ARGON2_MEMORY_KIB = 65536
    ARGON2_ITERATIONS = 3
    ARGON2_LANES = 4
    #: The cipher suite: "intl" (X25519, AES-256-GCM, SHA-256) or "gm" (SM2, SM4-GCM, SM3).
    #: Chosen once, at `flask --app wsgi init`, and kept with the escrow key; the app refuses
    #: to run when this disagrees with the database (README, "Cipher suite").
    CIPHER_SUITE = "intl"
    #: How passwords, passphrases and receipts become keys: "argon2id", or (gm only, for
    #: assessors who require GM/T 0091) "pbkdf2-sm3". Fixed at init like the suite: receipts
    #: are found by their derivation, so changing it later would lose every receipt.
    SECRET_KDF = "argon2id"
    #: PBKDF2-HMAC-SM3 iterations: about as long as the Argon2id profile above on one core
    #: (`python -m bench.cipher_suites` prints both); GM/T 0091 asks at least 1024.
    PBKDF2_ITERATIONS = 300_000

    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_CN", "en")

    #: Five attachments of 10 MB and the text fields fit; more is a 413.
    MAX_ATTACHMENTS = 5
    MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
    MAX_CONTENT_LENGTH = 5 * 10 * 1024 * 1024 + 512 * 1024
    MAX_FORM_MEMORY_SIZE = 512 * 1024
    #: Bodies of forms without a file field, refused (413) before parsing (portal.web.body_limits):
    #: forms with long text (20,000 Chinese characters urlencoded are 180 KB), and all the others.
    MAX_TEXT_FORM_BYTES = 512 * 1024
    MAX_SHORT_FORM_BYTES = 16 * 1024
    #: Largest image we agree to decode (pixels); bigger is refused, not resized.
    MAX_IMAGE_PIXELS = 40_000_000

    #: Workflow deadlines (Chinese working days where it says so).
    DEADLINE_ACCEPT_WORKING_DAYS = 7
    DEADLINE_CARRY_OUT_WORKING_DAYS = 5
    DEADLINE_ANSWER_DAYS = 90
    OBJECTION_DAYS = 15
    #: A transferred case (转办, 转送, 报送上一级) is accepted or refused by its new body within these.
    DEADLINE_TRANSFER_WORKING_DAYS = 5
    #: When to ask the body a suspected malicious accusation was referred to (移送) for feedback:
    #: this many working days after the referral, and again after it reports 立案 (issue 10).
    DEADLINE_REFERRAL_FEEDBACK_WORKING_DAYS = 30
    DEADLINE_FILED_FEEDBACK_WORKING_DAYS = 60
    #: A real-name submitter (实名反映) is told whether the case is accepted within these working days
    #: of filing, and of the result within these working days of closing (工作规则).
    DEADLINE_TELL_REAL_NAME_WORKING_DAYS = 15
    #: The 回访 after a clarification is carried out is due within these months.
    DEADLINE_VISIT_MONTHS = 3
    #: Who runs this deployment (its body's name, e.g. "某某县纪委监委"), named on the landing page
    #: so a cadre knows whom they are trusting; ZM_OPERATOR_NAME in the environment.
    OPERATOR_NAME = ""
    #: How to reach that body by other means (address, telephone, 12388); ZM_OPERATOR_CONTACT.
    OPERATOR_CONTACT = ""
    #: Queue page size.
    QUEUE_PAGE_SIZE = 25
    NOTICES_PAGE_SIZE = 20
    #: Rendered public pages each worker keeps, keyed by ETag (bytes; 0 turns it off).
    NOTICES_PAGE_MEMO_BYTES = 16 * 1024 * 1024
    #: A worker reuses the notices' data version this long (seconds; 0 asks the database every time).
    NOTICES_VERSION_SECONDS = 1.0
    #: Searches of the public notices per client (flask-limiter syntax); plain list pages are not counted.
    LIMIT_NOTICE_SEARCH = "30 per minute;300 per day"
    #: On PostgreSQL a notices search is cancelled after this long (milliseconds; 0 means no limit).
    NOTICES_SEARCH_TIMEOUT_MS = 2000

    #: Closed cases are kept this many years after they closed (档案 rules), then shredded by `purge`.
    ARCHIVE_YEARS = 5

    #: Idle lifetime of the server half of a follow-up session (minutes).
    SESSION_IDLE_MINUTES = 30
    #: A submission form is valid this long after it was served (seconds).
    FORM_TOKEN_MAX_AGE = 6 * 3600
    #: A resend of a sent form (double tap, Back) shows its receipt for this long, in the same browser.
    RECEIPT_RESEND_MINUTES = 10

    SESSION_COOKIE_NAME = "zm_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Strict"
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_TIME_LIMIT = 6 * 3600
    #: Flask-WTF's HTTPS check wants a Referer alone; portal.web.security checks Origin or Referer.
    WTF_CSRF_SSL_STRICT = False
    #: The site's public address (https://host[/prefix]): absolute links (the Atom feed) are built
    #: from it, never from the request's Host header. None: from the request (the loopback default).
    CANONICAL_URL: str | None = None
    #: Refuse to start without CANONICAL_URL (production).
    REQUIRE_CANONICAL_URL = False
    #: Send HSTS (only behind TLS).
    HSTS = False
    #: Trusted reverse proxies in front (for ProxyFix); 0 means none.
    PROXY_COUNT = 0
    #: Refuse state that lives in one process (memory:// limits, SQLite) unless SINGLE_PROCESS.
    REQUIRE_SHARED_STATE = False
    #: Set (ZM_SINGLE_PROCESS=1) to say on purpose that one process serves the whole deployment.
    SINGLE_PROCESS = False
    #: A TOML file of the State Council's holiday notices for years chinesecalendar does not know
    #: yet (ZM_HOLIDAY_NOTICES_FILE; deploy/holiday-notices.example.toml shows the format).
    #: `flask --app wsgi calendar` says which calendar counts each year.
    HOLIDAY_NOTICES_FILE: str | None = None


class TestingConfig(DefaultConfig):
    """Fast key derivation through configuration, never through another code path."""

    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"
    RECEIPT_PEPPER = "testing-pepper-not-for-production"
    ARGON2_MEMORY_KIB = 8
    ARGON2_ITERATIONS = 1
    ARGON2_LANES = 1
    PBKDF2_ITERATIONS = 1024
    RATELIMIT_ENABLED = True
    #: Tests sign one account in several times a minute; a wider window keeps that off the clock edge.
    TOTP_DRIFT_STEPS = 3


class ProductionConfig(DefaultConfig):
    """Behind TLS and a reverse proxy; secrets must come from the environment."""

    SESSION_COOKIE_SECURE = True
    HSTS = True
    PROXY_COUNT = 1
    #: Several workers or machines: limits in memory would count per worker.
    REQUIRE_SHARED_STATE = True
    REQUIRE_CANONICAL_URL = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "default": DefaultConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_name() -> str:
    """Which class to use: ZM_CONFIG, else default."""
    return os.environ.get("ZM_CONFIG", "default")
