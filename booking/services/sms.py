"""SMS through a Kannel gateway (its smsbox's sendsms HTTP interface).

A text that fits the GSM 03.38 alphabet goes as GSM-7 (160 characters, 153
a part when concatenated); anything else (Arabic, Turkish ş ğ ı) goes as
UCS-2 (70, 67 a part). Kannel calls the delivery-report URL back with the
report type (%d), which moves the message to delivered or failed."""
import hashlib
import hmac
import math
import re
import urllib.error
import urllib.parse
import urllib.request

from flask import current_app, url_for

from booking.models import OutboxMessage
from booking.urls import public_base

# GSM 03.38 default alphabet, and the extension table (each costs 2 septets).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")
MAX_SEGMENTS = 2

# Kannel's delivery-report types (dlr-mask bits).
DLR_DELIVERED, DLR_FAILED, DLR_BUFFERED, DLR_SMSC_ACCEPTED, DLR_SMSC_REJECTED = 1, 2, 4, 8, 16
DLR_MASK = DLR_DELIVERED | DLR_FAILED | DLR_BUFFERED | DLR_SMSC_ACCEPTED | DLR_SMSC_REJECTED


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


def segments(text: str) -> int:
    """How many SMS a text takes (concatenated parts lose room to their header)."""
    if is_gsm7(text):
        length, single, part = sum(2 if c in GSM7_EXTENSION else 1 for c in text), 160, 153
    else:
        length, single, part = len(text.encode("utf-16-be")) // 2, 70, 67
    return 1 if length <= single else math.ceil(length / part)


def fits(text: str) -> bool:
    return segments(text) <= MAX_SEGMENTS


PHONE_SEPARATORS = re.compile(r"[\s./()-]")


def international(phone: str, country_code: str | None = None) -> str:
    """+CC... for the gateway: 0470 12 34 56 -> +32470123456 (SMS_COUNTRY_CODE),
    0032... -> +32..., a number already in +form is kept."""
    digits = PHONE_SEPARATORS.sub("", phone or "")
    country_code = country_code or current_app.config["SMS_COUNTRY_CODE"]
    if digits.startswith("+"):
        return "+" + re.sub(r"\D", "", digits)
    digits = re.sub(r"\D", "", digits)
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("0"):
        return f"+{country_code}{digits[1:]}"
    return f"+{digits}"


def same_phone(a: str, b: str) -> bool:
    return bool(a and b) and international(a) == international(b)


# Gateway secrets ------------------------------------------------------------

def _secret() -> bytes:
    secret = current_app.config.get("SMS_GATEWAY_SECRET") or current_app.config["SECRET_KEY"]
    return str(secret).encode()


def report_token(message_id: int) -> str:
    """The secret in one message's delivery-report URL: only the gateway
    that was given the URL can report on that message."""
    return hmac.new(_secret(), f"dlr:{message_id}".encode(), hashlib.sha256).hexdigest()[:32]


def valid_report_token(message_id: int, token: str) -> bool:
    return hmac.compare_digest(report_token(message_id), token or "")


def valid_incoming_secret(given: str) -> bool:
    """Kannel's sms-service get-url carries SMS_GATEWAY_SECRET; without that
    setting, replies are not taken at all."""
    expected = current_app.config.get("SMS_GATEWAY_SECRET")
    return bool(expected) and hmac.compare_digest(str(expected), given or "")


def report_url(message_id: int) -> str | None:
    """Where Kannel reports on a message (%d is Kannel's report type): on
    SMS_REPORT_BASE_URL, the address at which the gateway reaches Instap
    (often a local one), else on PUBLIC_URL. None without either (and
    without SERVER_NAME): the SMS then goes without delivery reports."""
    values = {"message_id": message_id, "token": report_token(message_id)}
    base = (current_app.config.get("SMS_REPORT_BASE_URL") or "").strip().rstrip("/")
    base = base or public_base()
    if base:
        # Built on the URL map itself: delivery runs outside any request.
        path = current_app.url_map.bind("instap.invalid").build("gateway.kannel_report", values)
        return f"{base}{path}?type=%d"
    if current_app.config.get("SERVER_NAME"):
        return url_for("gateway.kannel_report", _external=True, message_id=message_id,
                       token=values["token"]) + "?type=%d"
    return None


# The sender -------------------------------------------------------------------

class GatewayRefused(Exception):
    """Kannel answered, but did not take the message."""


class KannelSender:
    """Sends SMS to Kannel's sendsms interface; 'accepted' only on its 2xx."""

    name = "kannel"

    def __init__(self, config):
        self.config = config

    def send(self, message: OutboxMessage) -> str:
        text = message.body
        parameters = {
            "username": self.config["SMS_KANNEL_USER"],
            "password": self.config["SMS_KANNEL_PASSWORD"],
            "from": self.config["SMS_SENDER"],
            "to": international(message.recipient),
            "text": text,
            "charset": "UTF-8",
            "coding": "0" if is_gsm7(text) else "2",
        }
        if (report := report_url(message.id)) is not None:
            parameters |= {"dlr-mask": str(DLR_MASK), "dlr-url": report}
        address = self.config["SMS_KANNEL_URL"]
        separator = "&" if "?" in address else "?"
        request = urllib.request.Request(
            address + separator + urllib.parse.urlencode(parameters), method="GET")
        timeout = float(self.config["SMS_KANNEL_TIMEOUT_SECONDS"])
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                answer = response.read(500).decode("utf-8", "replace").strip()
        except urllib.error.HTTPError as error:
            answer = error.read(500).decode("utf-8", "replace").strip()
            error.close()
            raise GatewayRefused(f"HTTP {error.code}: {answer}") from None
        # "0: Accepted for delivery" or "3: Queued for later delivery".
        if answer[:1] not in ("0", "3"):
            raise GatewayRefused(answer or "empty answer")
        return "accepted"


def gateway_configured() -> bool:
    return bool(current_app.config.get("SMS_KANNEL_URL"))
