"""SMS per second from Instap's outbox through a real Kannel (bearerbox and
smsbox in front of Debian's fake SMSC), beside bare sendsms requests to the
same Kannel (the limit).

    python benchmarks/sms_bench.py [--messages 300]

Each run queues the messages in one transaction (NOTIFY_DELIVERY=cron, so
nothing leaves at the commit), then times `delivery.deliver()` until every
message is `accepted`, then until Kannel's delivery reports have made every
one `delivered` (Instap served on a free loopback port). Half the messages
are Dutch (GSM-7), half Arabic (UCS-2, two parts). Loopback only; it stops
by itself."""
import argparse
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from sqlalchemy import func, select
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from booking import create_app  # noqa: E402
from booking.extensions import db  # noqa: E402
from booking.models import OutboxMessage  # noqa: E402
from booking.services import delivery, notify  # noqa: E402
from tests.sms.kannel import Kannel  # noqa: E402

SECRET = "bench-gateway-secret"
TEXTS = {
    "nl": "Instap herinnering: Werken met je smartphone, wo 2 december 14:00-16:00, "
          "De Krook, Zaal 2. Ticket ABCD2345. Annuleren? Antwoord ANNULEER.",
    "ar": "Instap تذكير: استخدام الهاتف الذكي، الأربعاء، 2 ديسمبر 2:00 م-4:00 م، "
          "De Krook. التذكرة ABCD2345. للإلغاء أرسل إلغاء",
}


def status_counts():
    db.session.expire_all()
    return dict(db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())


def bare_sendsms(kannel: Kannel, count: int) -> float:
    """The same number of sendsms requests, nothing else: Kannel's own pace."""
    started = time.perf_counter()
    for n in range(count):
        text = TEXTS["nl" if n % 2 else "ar"]
        query = urllib.parse.urlencode({
            "username": kannel.user, "password": kannel.password, "from": "Instap",
            "to": f"+3247{n:07d}", "text": text, "charset": "UTF-8",
            "coding": "0" if n % 2 else "2"})
        with urllib.request.urlopen(f"{kannel.sendsms_url}?{query}", timeout=10) as answer:
            answer.read()
    return count / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=300)
    count = parser.parse_args().messages
    without = run(count, reports=False)
    with_reports = run(count, reports=True)
    print(f"messages queued per run:          {count} (half GSM-7 Dutch, half UCS-2 Arabic)")
    for label, result in (("without delivery reports", without),
                          ("with delivery reports", with_reports)):
        print(f"{label}:")
        print(f"  queued -> accepted:             {result['accepted']} in "
              f"{result['accepted_after']:.2f} s = {result['accepted_rate']:.0f} SMS/s")
        if result["reports"]:
            print(f"  queued -> delivered (reports):  {result['delivered']} in "
                  f"{result['delivered_after']:.2f} s = "
                  f"{result['delivered'] / result['delivered_after']:.0f} SMS/s")
        print(f"  received by the fake operator:  {result['received']}")
        print(f"  bare sendsms, same Kannel:      {result['bare']:.0f} SMS/s "
              f"(Instap keeps {result['accepted_rate'] / result['bare']:.0%} of it)")
        print(f"  final statuses:                 {result['final']}")


def run(count: int, *, reports: bool) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
                          "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                          "NOTIFY_DELIVERY": "cron", "SMS_GATEWAY_SECRET": SECRET})
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        served = f"http://127.0.0.1:{server.server_port}"
        kannel = Kannel(folder, instap_url=served, secret=SECRET)
        # Without a report address (no PUBLIC_URL, no SERVER_NAME) SMS go
        # without a dlr-url: Kannel's pace with Instap's outbox alone.
        app.config.update(SMS_KANNEL_URL=kannel.sendsms_url, SMS_KANNEL_USER=kannel.user,
                          SMS_KANNEL_PASSWORD=kannel.password,
                          SMS_REPORT_BASE_URL=served if reports else None)
        kannel.start()
        try:
            with app.app_context():
                db.create_all()
                for n in range(count):
                    language = "nl" if n % 2 else "ar"
                    notify.queue("reminder", "sms", f"+3247{n:07d}", "bench", TEXTS[language])
                db.session.commit()
                started = time.perf_counter()
                counts = delivery.deliver(limit=count)
                accepted_after = time.perf_counter() - started
                deadline = time.monotonic() + 120
                while (reports and status_counts().get("delivered", 0) < count
                       and time.monotonic() < deadline):
                    time.sleep(0.05)
                delivered_after = time.perf_counter() - started
                final = status_counts()
                received = len(kannel.wait_for(count, timeout=60))
            bare = bare_sendsms(kannel, count)
        finally:
            kannel.stop()
            server.shutdown()
            server.server_close()
    return {"accepted": counts["accepted"], "accepted_after": accepted_after,
            "accepted_rate": counts["accepted"] / accepted_after, "reports": reports,
            "delivered": final.get("delivered", 0), "delivered_after": delivered_after,
            "received": received, "bare": bare, "final": final}


if __name__ == "__main__":
    main()
