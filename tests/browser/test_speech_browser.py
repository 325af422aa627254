"""Every speaker button of the kiosk, the ticket and the display plays the
server's speech in nl, fr, en, ar and tr, in a Chromium that has no voices
of its own (as on a kiosk): the page's <audio> element really plays
(a 'playing' event and currentTime > 0), and sox hears at least half a
second of sound in the file it played.

Kiosks run Chromium with --autoplay-policy=no-user-gesture-required (the
README's kiosk set-up), so the display's chime and the inactivity warning
play without a touch; this module's browser is started the same way."""
from urllib.parse import urljoin

import pytest

from booking.services import booking as bookings
from booking.services import dropin
from booking.services.demo_data import THEMES
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, KIOSK_SIZE
from tests.conftest import brussels
from tests.speech.audio import heard_bytes

pytestmark = pytest.mark.browser

LANGUAGES = ["nl", "fr", "en", "ar", "tr"]
# A day already past on the wall clock (the live database is shared with
# the other browser tests, which list what is still to come); the server's
# clock stands at 09:00 that day.
DAY = "2026-03-17"
KIOSK_ARGS = CHROMIUM_ARGS + ["--autoplay-policy=no-user-gesture-required"]

RECORD_MEDIA = """
  window.__media = [];
  for (const name of ["playing", "ended", "error"]) {
    document.addEventListener(name, (event) => {
      if (event.target instanceof HTMLMediaElement) {
        window.__media.push({event: name, src: new URL(event.target.currentSrc || event.target.src, location.href).pathname});
      }
    }, true);
  }
"""
PLAYED = """(src) => {
  const player = document.querySelector("audio.speech-player");
  return window.__media.some((m) => m.event === "ended" && m.src === src) ||
    (window.__media.some((m) => m.event === "playing" && m.src === src) &&
     new URL(player.currentSrc, location.href).pathname === src && player.currentTime > 0);
}"""


@pytest.fixture(scope="module")
def kiosk_browser(playwright_instance):
    assert "--autoplay-policy" not in " ".join(CHROMIUM_ARGS)
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=KIOSK_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def open_page(kiosk_browser):
    contexts = []

    def opened():
        context = kiosk_browser.new_context(viewport=KIOSK_SIZE, locale="nl-BE")
        context.add_init_script(RECORD_MEDIA)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield opened
    for context in contexts:
        context.close()


@pytest.fixture
def speech_world(live_make, server_clock):
    server_clock.set(brussels(f"{DAY} 09:00"))
    make = live_make
    location = make.location(name="Buurthuis Rabot", city="Gent")
    room = make.room(location=location, name="Zaal 2", capacity=8)
    session = make.session(room=room, theme=make.theme_of("cv"), starts_at=brussels(f"{DAY} 11:00"),
                           capacity=5, walk_in_seats=3, languages=["nl", "ar"])
    help_theme = next(theme_id for theme_id, spec in THEMES.items() if spec[1] == "drop_in")
    make.session(room=make.room(location=location, name="Balie"), theme=make.theme_of(help_theme),
                 kind="drop_in", starts_at=brussels(f"{DAY} 08:30"),
                 ends_at=brussels(f"{DAY} 11:30"), capacity=0, walk_in_seats=0,
                 languages=["nl", "ar"])
    ticket = bookings.book(session.id, kind="walk_in").booking.ticket
    number = dropin.take_number(location.id, "email")
    dropin.call_next(location.id)
    return {"location": location.id, "session": session.id, "ticket": ticket,
            "number": number.id}


def voiceless(page):
    assert page.evaluate("() => window.speechSynthesis ? speechSynthesis.getVoices().length : 0") == 0


def check_file(page, src, tmp_path):
    response = page.request.get(urljoin(page.url, src))
    assert response.ok and response.headers["content-type"] == "audio/mpeg", src
    sound = heard_bytes(response.body(), tmp_path)
    assert sound.is_speech, (src, sound)


def play_every_button(page, lang, tmp_path):
    """Touch each visible speaker button: it plays, shows it, and stops."""
    buttons = page.locator("button.say:visible")
    assert buttons.count() >= 1, page.url
    played = []
    for index in range(buttons.count()):
        button = buttons.nth(index)
        src = button.get_attribute("data-say-src")
        assert src.startswith(f"/speech/{lang}/"), (page.url, src)
        button.click()
        page.wait_for_function(PLAYED, arg=src)
        status = page.locator(".say-status")
        ended = page.evaluate("(src) => window.__media.some((m) => m.event === 'ended' && m.src === src)", src)
        if not ended:  # still playing: the button says so and stops it
            assert "playing" in button.get_attribute("class")
            assert status.is_visible() and status.inner_text().strip()
            stop = button.get_attribute("data-say-stop")
            assert button.get_attribute("aria-label") == stop and stop in button.inner_text()
            button.click()
            assert page.evaluate("() => document.querySelector('audio.speech-player').paused")
        assert "playing" not in button.get_attribute("class")
        assert status.is_hidden()
        check_file(page, src, tmp_path)
        played.append(src)
    return played


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_speaker_button_plays_the_servers_voice(open_page, live_server, speech_world,
                                                      tmp_path, lang):
    page = open_page()
    kiosk = f"/kiosk/{speech_world['location']}"
    page.goto(live_server(kiosk))
    voiceless(page)
    tile = page.locator(f'.language-tiles button.say[data-say-lang="{lang}"]')
    src = tile.get_attribute("data-say-src")
    tile.click()
    page.wait_for_function(PLAYED, arg=src)
    check_file(page, src, tmp_path)

    played = []
    for screen in ("", "/sessions", f"/sessions/{speech_world['session']}", "/check-in",
                   "/help", f"/help/{speech_world['number']}",
                   f"/ticket/{speech_world['ticket']}"):
        page.goto(live_server(f"{kiosk}/{lang}{screen}"))
        assert page.get_attribute("html", "lang") == lang
        played += play_every_button(page, lang, tmp_path)
    assert any("/ticket/" in src for src in played)

    page.goto(live_server(f"{kiosk}/display?lang={lang}"))
    page.wait_for_function("() => window.__media.some((m) => m.event === 'ended')")  # the chime
    button = page.locator(".now-called button.say")
    src = button.get_attribute("data-say-src")
    assert src == f"/speech/{lang}/number/1.mp3"
    button.click()
    page.wait_for_function(PLAYED, arg=src)
    check_file(page, src, tmp_path)


def test_the_display_chimes_then_calls_the_number_in_every_language(open_page, live_server,
                                                                   speech_world, tmp_path):
    page = open_page()
    page.goto(live_server(f"/kiosk/{speech_world['location']}/display?lang=ar"))
    voiceless(page)
    expected = ["/speech/chime.mp3"] + [f"/speech/{lang}/number/1.mp3" for lang in LANGUAGES]
    # The screen refreshes every 5 s, but not in the middle of a call.
    page.wait_for_function(
        "(last) => window.__media.some((m) => m.event === 'ended' && m.src === last)",
        arg=expected[-1], timeout=40_000)
    ended = page.evaluate("() => window.__media.filter((m) => m.event === 'ended').map((m) => m.src)")
    assert ended == expected
    for src in expected[1:]:
        check_file(page, src, tmp_path)
    chime = heard_bytes(page.request.get(urljoin(page.url, expected[0])).body(), tmp_path)
    assert chime.seconds >= 0.5 and chime.peak >= 0.2
    # After its refresh the screen does not call the same number again.
    page.wait_for_function("() => performance.getEntriesByType('navigation')[0].type === 'reload'",
                           timeout=20_000)
    page.wait_for_load_state()
    assert page.evaluate("() => window.__media.length") == 0
    assert page.evaluate("() => document.querySelector('audio.speech-player').paused")


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_the_inactivity_warning_is_heard(open_page, live_server, speech_world, tmp_path, lang):
    page = open_page()
    page.clock.install()
    page.goto(live_server(f"/kiosk/{speech_world['location']}/{lang}/sessions"))
    page.clock.run_for(91_000)
    dialog = page.locator("#idle")
    assert dialog.is_visible()
    src = dialog.locator("button.say").get_attribute("data-say-src")
    assert src.startswith(f"/speech/{lang}/")
    page.wait_for_function(PLAYED, arg=src)
    check_file(page, src, tmp_path)
    page.click("[data-more-time]")
    assert dialog.is_hidden()
    assert page.evaluate("() => document.querySelector('audio.speech-player').paused")


def test_the_browser_voice_only_where_the_deployment_chose_it(open_page, live_server,
                                                             speech_world):
    """Without a voice for the language the server's audio plays even when
    the browser voice is chosen; with the setting off, speechSynthesis is
    never asked."""
    app = live_server.app
    page = open_page()
    page.add_init_script("""
      window.__spoken = [];
      speechSynthesis.speak = (u) => window.__spoken.push(u.lang);
    """)
    home = live_server(f"/kiosk/{speech_world['location']}/tr")
    page.goto(home)
    page.click(".heading-row button.say")
    page.wait_for_function("() => window.__media.some((m) => m.event === 'playing')")
    assert page.evaluate("() => window.__spoken") == []
    app.config["SPEECH_BROWSER_VOICE"] = True
    try:
        page.add_init_script("""
          // A browser that has a Turkish voice (the page's code is real).
          speechSynthesis.getVoices = () => [{lang: "tr-TR", name: "Turkish"}];
          window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
        """)
        page.goto(home)
        page.click(".heading-row button.say")
        page.wait_for_function("() => window.__spoken.length === 1")
        assert page.evaluate("() => window.__spoken") == ["tr"]
    finally:
        app.config["SPEECH_BROWSER_VOICE"] = False
