"""Every setting's default, in one place.

`create_app()` loads this module first, then `instance/config.py`, then
`FLASK_*` environment variables (`FLASK_WALK_IN_CLOSES_MINUTES=20`); tests
pass a mapping last. The README's settings table is generated from this
file (`python scripts/settings_table.py`): the comment above a setting, or
beside it, is its description there, so every setting needs one."""

# The city ----------------------------------------------------------------
# The city's time zone: sessions, opening hours and reports are in its local time.
TIMEZONE = "Europe/Brussels"
# The interface languages: code -> (own name, text direction).
LANGUAGES = {
    "nl": ("Nederlands", "ltr"),
    "fr": ("Français", "ltr"),
    "en": ("English", "ltr"),
    "ar": ("العربية", "rtl"),
    "tr": ("Türkçe", "ltr"),
}
# The language when neither the visitor's choice nor the browser names one.
BABEL_DEFAULT_LOCALE = "nl"

# Database ----------------------------------------------------------------
# The database; unset, create_app() uses instance/instap.sqlite (it depends on
# the instance folder). PostgreSQL: postgresql+psycopg://user@host/db.
SQLALCHEMY_DATABASE_URI = None
# Seconds a request waits for a row lock (or SQLite's write lock) before it
# answers 503 with Retry-After instead of hanging.
LOCK_TIMEOUT_SECONDS = 5

# Time rules (local time of the city) --------------------------------------
# A walk-in is taken on the session's own day, until this long after the start.
WALK_IN_CLOSES_MINUTES = 15
# Check-in opens this long before the start and closes at the end.
CHECK_IN_OPENS_MINUTES = 60
# A confirmed booking not checked in this long after the start is a no-show
# and frees its seat.
NO_SHOW_AFTER_MINUTES = 15

# Rate limits (Flask-Limiter) ---------------------------------------------
# false turns every rate limit off (load tests on a trusted network).
RATELIMIT_ENABLED = True
# Bookings and cancellations per client address (site, kiosk and API).
RATELIMIT_BOOKING = "30 per minute"
# Look-ups of a booking or ticket, and calendar feeds, per client address.
RATELIMIT_LOOKUP = "60 per minute"
# Staff log-in attempts per client address.
RATELIMIT_LOGIN = "20 per minute"
# Addresses or networks of the kiosks, which book for a whole queue:
# '["192.168.40.0/24"]'.
RATELIMIT_KIOSK_ADDRESSES: list[str] = []
# Bookings per minute from a kiosk address.
RATELIMIT_KIOSK_BOOKING = "600 per minute"
# Look-ups per minute from a kiosk address.
RATELIMIT_KIOSK_LOOKUP = "600 per minute"
# Where the counts are kept; REDIS_URL replaces memory:// so that every
# gunicorn worker shares one count.
RATELIMIT_STORAGE_URI = "memory://"
# While Redis is away each worker counts in memory instead of answering 500.
RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
# Short socket timeouts, so a dead Redis costs a request half a second at most.
RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
# Redis: shared rate limits and the RQ queues; None runs without it.
REDIS_URL = None

# Safe actions --------------------------------------------------------------
# A cancelled session (with its bookings) can be given back this long after.
UNDO_CANCEL_MINUTES = 30
# Weekly series: at most this many weeks are published in one go.
SERIES_MAX_WEEKS = 26

# Staff accounts ------------------------------------------------------------
# Failed log-ins in a row that lock an account ...
LOGIN_MAX_FAILURES = 5
# ... for this many minutes.
LOGIN_LOCKOUT_MINUTES = 15
# werkzeug's password hash method; None is werkzeug's default (tests use a cheap one).
PASSWORD_HASH_METHOD = None
# The staff session cookie is not sent on cross-site requests.
SESSION_COOKIE_SAMESITE = "Lax"
# A staff session not used for this long is logged out (a shared PC in a
# library, a kiosk's staff screen left open).
STAFF_IDLE_MINUTES = 30
# A password-reset link works this many hours.
PASSWORD_RESET_HOURS = 2
# An invitation to a new staff account works this many days.
INVITATION_DAYS = 7

# Privacy -------------------------------------------------------------------
# Days after a session ended before `flask purge` removes names and phone numbers.
RETENTION_DAYS = 90
# Where `flask --app booking backup` (without a path) writes dated backups;
# the purge removes those older than RETENTION_DAYS. None: no such folder.
BACKUP_DIR = None

# Messages ------------------------------------------------------------------
# An object with .send(message) that replaces e-mail, for tests and plug-ins.
NOTIFY_SENDER = None
# How queued messages leave after their transaction commits
# (booking/services/delivery.py): "auto" is an RQ job on the `outbox` queue
# when REDIS_URL is set, else a background thread; "thread", "rq", "inline"
# (in the committing thread: tests) or "cron" (only `send-outbox`).
NOTIFY_DELIVERY = "auto"
# Seconds a mail server may take before the attempt counts as failed.
MAIL_TIMEOUT_SECONDS = 10
# SMTP server for e-mail; None writes messages to the log instead.
MAIL_SERVER = None
# SMTP port.
MAIL_PORT = 25
# STARTTLS on the SMTP connection.
MAIL_USE_TLS = False
# SMTP user name; None logs in to no one.
MAIL_USERNAME = None
# SMTP password.
MAIL_PASSWORD = ""
# The From address of e-mail.
MAIL_DEFAULT_SENDER = "instap@localhost"

# SMS through Kannel ----------------------------------------------------------
# The sendsms URL of a Kannel smsbox (deploy/kannel/), e.g.
# http://127.0.0.1:13013/cgi-bin/sendsms. None: SMS stay pending, and the
# staff outbox page says that SMS are not set up.
SMS_KANNEL_URL = None
# The sendsms-user of kannel.conf.
SMS_KANNEL_USER = "instap"
# The password of that sendsms-user.
SMS_KANNEL_PASSWORD = ""
# The sender shown on the phone (a short code, a number, or up to 11 letters
# where the operator allows it).
SMS_SENDER = "Instap"
# Seconds the gateway may take to answer before the attempt counts as failed
# (it runs outside any request).
SMS_KANNEL_TIMEOUT_SECONDS = 10
# Numbers written without country code (0470 12 34 56) are in this country.
SMS_COUNTRY_CODE = "32"
# The secret in the sms-service URL of kannel.conf (replies from participants)
# and the key of each delivery report's token; without it replies are
# refused and report tokens are keyed on SECRET_KEY.
SMS_GATEWAY_SECRET = None
# Where Kannel reaches Instap for delivery reports, when not at PUBLIC_URL
# (Kannel often runs next to Instap: http://127.0.0.1:8000).
SMS_REPORT_BASE_URL = None
# `flask --app booking send-reminders` reminds bookings whose session starts
# within this many hours.
REMINDER_HOURS = 24

# Calendar feeds ------------------------------------------------------------
# The domain of calendar event UIDs; None uses "instap.invalid".
ICAL_UID_DOMAIN = None

# Planner and reports ------------------------------------------------------
# CP-SAT search workers of one planning run.
PLANNER_WORKERS = 2
# The workshop budget in EUR a year that reports compare staff costs with.
PLANNING_BUDGET = 5000
# Reports flag a session as "too few participants" below this share of its seats.
REPORT_MIN_FILL = 0.5
# Reports flag a group as "too mixed" from this many languages ...
REPORT_MIXED_LANGUAGES = 3
# ... or this many age groups.
REPORT_MIXED_AGE_GROUPS = 4
# What starts a planning run in the background: "module:function" taking
# (run_id, time_limit) and returning the worker's name for the run. The
# default queues an RQ job when REDIS_URL is set, else starts a local process.
PLANNING_LAUNCHER = "booking.worker:launch"
# Public holidays close every room for the planner (the `holidays` package's
# calendar of this country; None: no holidays).
PLANNING_HOLIDAYS_COUNTRY = "BE"

# Deployment ----------------------------------------------------------------
# The address in QR codes, posters, feeds and messages (booking/urls.py);
# a request's own Host header never is.
PUBLIC_URL = None
# How many reverse proxies stand in front; their X-Forwarded-* headers are
# trusted only then.
PROXY_HOPS = 0
# The largest request body in bytes; larger ones answer 413.
MAX_CONTENT_LENGTH = 1024 * 1024
# Hosts this site answers for; None: PUBLIC_URL's host (plus localhost for
# health checks) when PUBLIC_URL is set, else any. Another Host gets 400.
TRUSTED_HOSTS = None
# None: secure (HTTPS-only) session cookies exactly when PUBLIC_URL is https.
SESSION_COOKIE_SECURE = None
# The same for Flask-Login's remember-me cookie.
REMEMBER_COOKIE_SECURE = None
# Scripts on the page never read the session cookie.
SESSION_COOKIE_HTTPONLY = True

# Drop-in help hour ---------------------------------------------------------
# Typical minutes the ICT steward spends with one person: the kiosk's
# estimated wait is the people before you times this.
DROPIN_MINUTES_PER_PERSON = 10

# Speech (booking/services/speech.py) ----------------------------------------
# Where the spoken texts and their MP3 files are kept; None: instance/speech.
SPEECH_FOLDER = None
# espeak-ng's voice for each language of the site (`espeak-ng --voices`).
SPEECH_VOICES = {"nl": "nl", "fr": "fr-fr", "en": "en-gb", "ar": "ar", "tr": "tr"}
# A little slower than espeak-ng's 175: many listeners learn the language.
SPEECH_WORDS_PER_MINUTE = 150
# Mono MP3 at this bit rate: about 4 KB per second of speech.
SPEECH_MP3_KBPS = 32
# The longest text a screen reads aloud (a session's description fits).
SPEECH_MAX_CHARACTERS = 1500
# espeak-ng or lame taking longer than this fails the request, not the worker.
SPEECH_TIMEOUT_SECONDS = 20
# The languages the display screen calls a number in, in this order;
# None: every language of the site.
SPEECH_DISPLAY_LANGUAGES = None
# Use the browser's own voice (speechSynthesis) when it has one for the
# language, instead of the server's audio. Off: kiosk browsers rarely have
# good voices, and the server's voice sounds the same everywhere.
SPEECH_BROWSER_VOICE = False
