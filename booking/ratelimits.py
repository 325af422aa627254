"""Rate limits per real client address (behind a proxy: PROXY_HOPS), from
configuration. A kiosk's own address (RATELIMIT_KIOSK_ADDRESSES: addresses
or networks) is allowed more, since a whole library queue books through it.

The counts live in Redis when REDIS_URL is set, so every gunicorn worker
shares one count per client. While Redis is away, each worker counts in its
own memory (Flask-Limiter's in-memory fallback) and /health says
"degraded": the site keeps booking, a little less strictly limited."""
import ipaddress
import time
from typing import TYPE_CHECKING

from flask import current_app, request

from booking.extensions import limiter

if TYPE_CHECKING:
    import redis


def _from_kiosk() -> bool:
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    for network in current_app.config["RATELIMIT_KIOSK_ADDRESSES"]:
        try:
            if address in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            current_app.logger.warning("RATELIMIT_KIOSK_ADDRESSES: %r is not an address", network)
    return False


def booking_limit() -> str:
    config = current_app.config
    return config["RATELIMIT_KIOSK_BOOKING"] if _from_kiosk() else config["RATELIMIT_BOOKING"]


def lookup_limit() -> str:
    config = current_app.config
    return config["RATELIMIT_KIOSK_LOOKUP"] if _from_kiosk() else config["RATELIMIT_LOOKUP"]


# Every anonymous form that makes something (a booking, a queue number, a
# smiley, a staff call): one budget per form and client.
anonymous_form = limiter.limit(booking_limit, methods=["POST", "DELETE"])
# Every way to look a ticket up (API, site, kiosk, check-in, calendar):
# ONE budget per client, so trying codes through five doors is no faster
# than through one.
ticket_lookup = limiter.shared_limit(lookup_limit, scope="ticket-lookup")

_clients: dict[str, tuple["redis.Redis", float, str]] = {}
REDIS_STATE_SECONDS = 2.0  # /health asks Redis at most this often per worker


def redis_state() -> str:
    """"ok", "unreachable", or "not used" (no Redis configured)."""
    url = current_app.config.get("RATELIMIT_STORAGE_URI") or ""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return "not used"
    # Only then: redis is the production extra, and the demo site runs without it.
    import redis
    now = time.monotonic()
    client, checked_at, state = _clients.get(url, (None, 0.0, ""))
    if client is None:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    if now - checked_at > REDIS_STATE_SECONDS or not state:
        try:
            client.ping()
            state = "ok"
        except (redis.RedisError, OSError):
            state = "unreachable"
        _clients[url] = (client, now, state)
    return state


# The same budget, counted only when a code is sent (a check-in form).
ticket_lookup_sent = limiter.shared_limit(lookup_limit, scope="ticket-lookup", methods=["POST"])
