"""Rate limits per client address, from configuration. A kiosk's own
address (RATELIMIT_KIOSK_ADDRESSES: addresses or networks) is allowed more,
since a whole library queue books through it."""
import ipaddress

from flask import current_app, request


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
