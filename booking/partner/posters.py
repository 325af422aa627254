"""The few fixed words of a printed poster, in the languages of the
sessions it announces (plain language). Posters hang in the neighbourhood
for people who read little Dutch, so they do not follow the staff member's
interface language."""
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
    "none": {
        "nl": "Deze week zijn er geen sessies.",
        "fr": "Pas de séances cette semaine.",
        "en": "No sessions this week.",
        "ar": "لا توجد جلسات هذا الأسبوع.",
        "tr": "Bu hafta oturum yok.",
    },
}


def poster_languages(sessions) -> list[str]:
    """Dutch first, then every other language the sessions are held in."""
    found = ["nl"]
    for session in sessions:
        for code in session.languages or []:
            if code in TEXTS["book"] and code not in found:
                found.append(code)
    return found


def lines(key: str, languages: list[str]) -> list[tuple[str, str, str]]:
    """(language, direction, text) for each language."""
    return [(code, "rtl" if code in RTL else "ltr", TEXTS[key][code]) for code in languages]


def day(moment, pattern="EEEE d MMMM", language="nl") -> str:
    return format_date(local(moment).date(), pattern, locale=language)
