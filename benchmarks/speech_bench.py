"""How long a visitor waits for a spoken text: the first request (espeak-ng
and lame make the file) and a cached one (the file is sent), per language,
through the whole request path (the test client, no network).

    python benchmarks/speech_bench.py [--repeat 20]

Each language speaks a typical kiosk text (a session's button: title, day,
time, place, seats) in a fresh speech folder; the display's called number
and the chime are timed too. Medians in milliseconds (first: over --texts
different texts; cached: over --repeat requests of one)."""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from booking import create_app  # noqa: E402
from booking.services import speech  # noqa: E402

TEXTS = {
    "nl": "Maak je cv. Morgen, 10:00 – 12:00. Computerhoek. Nog 3 plaatsen vrij.",
    "fr": "Faites votre CV. Demain, 10:00 – 12:00. Coin informatique. Encore 3 places libres.",
    "en": "Make your CV. Tomorrow, 10:00 – 12:00. Computer corner. 3 seats free.",
    "ar": "اكتب سيرتك الذاتية. غدًا، 10:00 – 12:00. ركن الحاسوب. 3 مقاعد متاحة.",
    "tr": "Özgeçmişini hazırla. Yarın, 10:00 – 12:00. Bilgisayar köşesi. 3 yer boş.",
}


def timed(client, address) -> tuple[float, int]:
    start = time.perf_counter()
    response = client.get(address)
    data = response.get_data()
    response.close()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{address} answered {response.status_code}")
    return elapsed, len(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="cached requests per text")
    parser.add_argument("--texts", type=int, default=5,
                        help="different texts per language (first requests are timed once each)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                          "SPEECH_FOLDER": f"{folder}/speech"})
        client = app.test_client()
        rows = []
        with app.app_context():
            for lang, text in TEXTS.items():
                # A different number of seats makes a different text: a new file.
                keys = [speech.register(lang, text.replace("3", str(seats)))
                        for seats in range(3, 3 + args.texts)]
                addresses = [f"/speech/{lang}/{key}.mp3" for key in keys]
                firsts = [timed(client, address) for address in addresses]
                first, size = statistics.median(t for t, _ in firsts), firsts[0][1]
                cached = statistics.median(timed(client, addresses[0])[0] for _ in range(args.repeat))
                seconds = _length(speech.audio_for(lang, keys[0]))
                rows.append((f"text {lang}", first, cached, size, seconds))
            for lang in ("nl", "ar"):
                addresses = [f"/speech/{lang}/number/{n}.mp3" for n in range(40, 40 + args.texts)]
                first = statistics.median(timed(client, address)[0] for address in addresses)
                size = timed(client, addresses[0])[1]
                cached = statistics.median(timed(client, addresses[0])[0] for _ in range(args.repeat))
                rows.append((f"number {lang}", first, cached, size, None))
            first, size = timed(client, "/speech/chime.mp3")
            cached = statistics.median(timed(client, "/speech/chime.mp3")[0] for _ in range(args.repeat))
            rows.append(("chime", first, cached, size, None))
    print(f"{'spoken':<10} {'first ms':>9} {'cached ms':>10} {'bytes':>7} {'audio s':>8}")
    for name, first, cached, size, seconds in rows:
        length = f"{seconds:8.1f}" if seconds else f"{'':>8}"
        print(f"{name:<10} {first:9.0f} {cached:10.1f} {size:7d} {length}")


def _length(path) -> float:
    import subprocess

    result = subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True, check=True)
    return float(result.stdout)


if __name__ == "__main__":
    main()
