"""The few fixed words of a printed poster, in the languages of the
sessions it announces (plain language). Posters hang in the neighbourhood
for people who read little Dutch, so they do not follow the staff member's
interface language."""
from datetime import datetime

import segno
from babel.dates import format_date

from booking.times import local

RTL = {"ar"}
TEXTS = {
    "book": {
        "nl": "Gratis. Kom gewoon binnen, of reserveer:",
        "fr": "Gratuit. Venez sans rendez-vous, ou réservez :",
        "en": "Free. Just walk in, or book:",
        "ar": "مجاني. تعال مباشرة، أو احجز:",
        "tr": "Ücretsiz. Gelin ya da yer ayırtın:",
    },
    "scan": {
        "nl": "Gratis. Kom gewoon binnen, of scan de code om te reserveren.",
        "fr": "Gratuit. Venez sans rendez-vous, ou scannez le code pour réserver.",
        "en": "Free. Just walk in, or scan the code to book.",
        "ar": "مجاني. تعال مباشرة، أو امسح الرمز للحجز.",
        "tr": "Ücretsiz. Gelin ya da yer ayırtmak için kodu okutun.",
    },
    "more": {
        "nl": "En nog %(count)d sessies: scan de code.",
        "fr": "Et encore %(count)d séances : scannez le code.",
        "en": "And %(count)d more sessions: scan the code.",
        "ar": "و%(count)d جلسات أخرى: امسح الرمز.",
        "tr": "Ve %(count)d oturum daha: kodu okutun.",
    },
    "none": {
        "nl": "Deze week zijn er geen sessies.",
        "fr": "Pas de séances cette semaine.",
        "en": "No sessions this week.",
        "ar": "لا توجد جلسات هذا الأسبوع.",
        "tr": "Bu hafta oturum yok.",
    },
}


def poster_languages(sessions, first: str = "nl") -> list[str]:
    """The poster's own language first (Dutch unless chosen), then every
    other language the sessions are held in."""
    found = [first if first in TEXTS["book"] else "nl"]
    for session in sessions:
        for code in session.languages or []:
            if code in TEXTS["book"] and code not in found:
                found.append(code)
    return found


# A week poster lists this many sessions at most, so it stays one A4 page;
# the QR code leads to all of them.
WEEK_LIMIT = 20
# More than this many, and the list runs in two columns.
WEEK_TWO_COLUMNS = 10


def lines(key: str, languages: list[str], **values) -> list[tuple[str, str, str]]:
    """(language, direction, text) for each language."""
    return [(code, "rtl" if code in RTL else "ltr", TEXTS[key][code] % values)
            for code in languages]


def day(moment, pattern="EEEE d MMMM", language="nl") -> str:
    """A day in words in the poster's language (a moment is read in local time)."""
    if isinstance(moment, datetime):
        moment = local(moment).date()
    return format_date(moment, pattern, locale=language)


def qr_svg(url: str) -> str:
    """The address as an SVG QR code that scales: a viewBox and no fixed
    size, so CSS sets its printed size without clipping it; the quiet zone
    (4 modules) is kept, which decoders need."""
    return segno.make(url, error="m").svg_inline(
        dark="#000", light="#fff", title=url, omitsize=True, border=4)


def address_line(location) -> str:
    """Street, postcode and city once: many addresses already end with the
    city ("Bellevuestraat 10, 9050 Gent"), so it is added only when missing."""
    address = (location.address or "").strip()
    city = (location.city or "").strip()
    if not city or address.lower().endswith(city.lower()):
        return address or city
    return f"{address}, {city}" if address else city
