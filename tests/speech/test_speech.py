"""Speech made on the server with the real espeak-ng, lame and sox."""
import re
import threading

import pytest
from flask import url_for

from booking.services import booking as bookings
from booking.services import dropin, speech
from booking.services.errors import InvalidInput, NotFound
from tests.speech.audio import heard, heard_bytes
from tests.speech.conftest import LANGUAGES

def fetch(client, address):
    """A response read whole and closed (file responses hold the file open)."""
    response = client.get(address)
    response.get_data()
    response.close()
    return response


SAMPLES = {
    "nl": "Welke sessie wil je volgen?",
    "fr": "Quelle séance voulez-vous suivre ?",
    "en": "Which session do you want to join?",
    "ar": "ما هي الجلسة التي تريد حضورها؟",
    "tr": "Hangi oturuma katılmak istiyorsunuz?",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_text_is_spoken_in_each_language_and_kept(app, lang):
    key = speech.register(lang, SAMPLES[lang])
    path = speech.audio_for(lang, key)
    assert path.suffix == ".mp3" and path.parent.name == lang
    sound = heard(path)
    assert sound.is_speech, sound
    assert path.stat().st_size < 8000 * sound.seconds  # 32 kbit/s mono: small
    made = path.stat().st_mtime_ns
    assert speech.audio_for(lang, key) == path and path.stat().st_mtime_ns == made


def test_the_same_words_in_two_languages_are_two_voices(app):
    assert speech.register("nl", "Instap") != speech.register("tr", "Instap")
    assert speech.register("nl", "  Instap\n ") == speech.register("nl", "Instap")


def test_a_text_that_looks_like_an_option_is_only_spoken(app, tmp_path):
    # The text goes to espeak-ng on stdin: "-w /elsewhere" is two words.
    target = tmp_path / "elsewhere.wav"
    path = speech.audio_of_text("en", f"-w {target} --version")
    assert heard(path).is_speech
    assert not target.exists()


def test_nothing_or_too_much_to_say_is_refused(app):
    with pytest.raises(InvalidInput):
        speech.register("nl", " \n ")
    app.config["SPEECH_MAX_CHARACTERS"] = 20
    with pytest.raises(InvalidInput):
        speech.register("nl", "Dit is een tekst van meer dan twintig tekens.")
    with pytest.raises(NotFound):
        speech.register("xx", "Hallo")


def test_concurrent_first_requests_leave_one_whole_file(app):
    key = speech.register("ar", SAMPLES["ar"])
    paths, errors = [], []

    def first_request():
        with app.app_context():
            try:
                paths.append(speech.audio_for("ar", key))
            except Exception as error:  # reported below with the test's failure
                errors.append(error)

    threads = [threading.Thread(target=first_request) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and len(paths) == 6 and len(set(paths)) == 1
    assert heard(paths[0]).is_speech
    leftovers = [p.name for p in speech.folder().rglob("*") if p.name.startswith((".", "tmp"))]
    assert leftovers == []


def test_the_chime_is_a_short_sound(app):
    sound = heard(speech.chime())
    assert 0.5 <= sound.seconds <= 2 and sound.peak >= 0.2


# The audio addresses --------------------------------------------------------

def test_a_registered_text_is_served_and_cached_by_browsers(app, client, tmp_path):
    key = speech.register("tr", SAMPLES["tr"])
    response = fetch(client, f"/speech/tr/{key}.mp3")
    assert response.status_code == 200 and response.mimetype == "audio/mpeg"
    assert "immutable" in response.headers["Cache-Control"]
    assert heard_bytes(response.data, tmp_path).is_speech


def test_only_texts_the_site_composed_are_spoken(app, client):
    assert fetch(client, "/speech/nl/" + "0" * 40 + ".mp3").status_code == 404
    assert fetch(client, "/speech/nl/Hallo%20wereld.mp3").status_code == 404
    key = speech.register("nl", SAMPLES["nl"])
    assert fetch(client, f"/speech/xx/{key}.mp3").status_code == 404
    assert fetch(client, f"/speech/fr/{key}.mp3").status_code == 404  # registered in Dutch only


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_called_number_is_spoken_in_each_language(app, client, tmp_path, lang):
    response = fetch(client, f"/speech/{lang}/number/17.mp3")
    assert response.status_code == 200
    assert heard_bytes(response.data, tmp_path).is_speech
    assert fetch(client, f"/speech/{lang}/number/0.mp3").status_code == 404
    assert fetch(client, f"/speech/{lang}/number/1000.mp3").status_code == 404


def test_the_chime_is_served(client, tmp_path):
    response = fetch(client, "/speech/chime.mp3")
    assert response.status_code == 200
    assert heard_bytes(response.data, tmp_path).peak >= 0.2


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_a_ticket_is_read_with_its_code_and_kept_nowhere(app, client, place, tmp_path, lang):
    ticket = bookings.book(place["session"].id, kind="walk_in").booking.ticket
    with app.test_request_context(f"/kiosk/1/{lang}"):
        from flask_babel import force_locale

        from booking.speech.views import ticket_speech_text
        with force_locale(lang):
            text = ticket_speech_text(bookings.find_booking(ticket))
    assert ", ".join(ticket) in text and place["room"].name in text
    assert place["theme"].titles[lang] in text
    response = fetch(client, f"/speech/{lang}/ticket/{ticket}.mp3")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert heard_bytes(response.data, tmp_path).seconds > 3  # status, title, day, place, 8 letters
    assert list(speech.folder().rglob("*.mp3")) == []
    assert fetch(client, f"/speech/{lang}/ticket/ZZZZZZZZ.mp3").status_code == 404


# The kiosk's speaker buttons -------------------------------------------------

SAY_SOURCE = re.compile(r'data-say-src="([^"]+)"')


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_speaker_button_of_the_kiosk_plays_its_text(app, client, place, tmp_path, lang):
    location_id = place["location"].id
    ticket = bookings.book(place["session"].id, kind="walk_in").booking.ticket
    number = dropin.take_number(location_id, "other", language=lang)
    dropin.call_next(location_id)
    screens = [f"/kiosk/{location_id}/{lang}", f"/kiosk/{location_id}/{lang}/sessions",
               f"/kiosk/{location_id}/{lang}/sessions/{place['session'].id}",
               f"/kiosk/{location_id}/{lang}/ticket/{ticket}",
               f"/kiosk/{location_id}/{lang}/help/{number.id}",
               f"/kiosk/{location_id}/display?lang={lang}"]
    sources = set()
    for screen in screens:
        page = fetch(client, screen)
        assert page.status_code == 200, screen
        found = SAY_SOURCE.findall(page.get_data(as_text=True))
        # every screen has its own buttons, and the inactivity warning's
        assert len(found) >= (1 if "display" in screen else 2), screen
        sources.update(found)
    for source in sources:
        assert f"/speech/{lang}/" in source
        response = fetch(client, source)
        assert response.status_code == 200, source
        assert heard_bytes(response.data, tmp_path).is_speech, source


def test_the_first_screen_speaks_each_language_in_its_own_voice(client, place):
    page = fetch(client, f"/kiosk/{place['location'].id}").get_data(as_text=True)
    for lang in LANGUAGES:
        button = re.search(rf'<button[^>]*data-say-lang="{lang}"[^>]*>', page).group(0)
        assert f'data-say-src="/speech/{lang}/' in button
    assert 'data-say-stop="إيقاف"' in page and 'data-say-playing="Çalıyor"' in page


def test_the_display_announces_a_chime_then_each_language(app, client, place):
    location_id = place["location"].id
    dropin.take_number(location_id, "other")
    dropin.call_next(location_id)
    page = fetch(client, f"/kiosk/{location_id}/display?lang=fr").get_data(as_text=True)
    announce = re.search(r'data-announce="([^"]+)"', page).group(1).split(" ")
    with app.test_request_context():
        assert announce == [url_for("speech.chime")] + [
            url_for("speech.number", lang=lang, number=1) for lang in LANGUAGES]
    app.config["SPEECH_DISPLAY_LANGUAGES"] = ["nl", "ar"]
    page = fetch(client, f"/kiosk/{location_id}/display?lang=fr").get_data(as_text=True)
    assert re.search(r'data-announce="([^"]+)"', page).group(1).count("/number/") == 2


def test_the_browser_voice_is_offered_only_when_the_deployment_chooses_it(app, client, place):
    home = f"/kiosk/{place['location'].id}/nl"
    assert "data-say-browser" not in fetch(client, home).get_data(as_text=True)
    app.config["SPEECH_BROWSER_VOICE"] = True
    assert "data-say-browser" in fetch(client, home).get_data(as_text=True)


# make-speech -----------------------------------------------------------------

def test_make_speech_makes_every_kiosk_text_once(app, client, runner, place):
    result = runner.invoke(args=["make-speech", "--numbers", "3"])
    assert result.exit_code == 0, result.output
    made = int(re.search(r"Made (\d+) audio files", result.output).group(1))
    for lang in LANGUAGES:
        texts = sorted(p.stem for p in (speech.folder() / lang).glob("*.txt"))
        audio = sorted(p.stem for p in (speech.folder() / lang).glob("*.mp3"))
        assert texts == audio and len(texts) > 8
    assert made == sum(len(list((speech.folder() / lang).glob("*.mp3"))) for lang in LANGUAGES)
    # the session's own button (title, day, time, place) was made already
    page = client.get(f"/kiosk/{place['location'].id}/ar/sessions/{place['session'].id}")
    for source in SAY_SOURCE.findall(page.get_data(as_text=True)):
        lang, key = re.fullmatch(r"/speech/(\w+)/(\w+)\.mp3", source).groups()
        assert (speech.folder() / lang / f"{key}.mp3").exists(), source
    assert (speech.folder() / "ar" / f"{speech.key_of('ar', speech.number_text('ar', 3))}.mp3").exists()
    again = runner.invoke(args=["make-speech", "--numbers", "3"])
    assert "Made 0 audio files" in again.output


def test_the_voice_hears_words_not_html(app, client, place):
    """Texts joined in a template are escaped markup; the audio's text is not."""
    place["theme"].titles = place["theme"].titles | {"fr": "L'atelier \"CV\" & <vous>"}
    from booking.extensions import db
    db.session.commit()
    page = client.get(f"/kiosk/{place['location'].id}/fr/sessions").get_data(as_text=True)
    keys = [re.fullmatch(r"/speech/fr/(\w+)\.mp3", source).group(1)
            for source in SAY_SOURCE.findall(page) if "/speech/fr/" in source]
    texts = [speech.text_of("fr", key) for key in keys]
    assert any("L'atelier \"CV\" & <vous>" in text for text in texts), texts
    assert not any("&#" in text or "&amp;" in text for text in texts)


def test_old_speech_is_pruned_and_recent_speech_kept(app, client, runner, place):
    import os
    import time

    key = speech.register("nl", "Een sessie van lang geleden.")
    old = speech.audio_for("nl", key)
    long_ago = time.time() - 40 * 24 * 3600
    os.utime(old, (long_ago, long_ago))
    os.utime(old.with_suffix(".txt"), (long_ago, long_ago))
    fresh = speech.audio_of_text("nl", SAMPLES["nl"])
    result = runner.invoke(args=["make-speech", "--numbers", "1", "--prune-days", "30"])
    assert "Removed 2 old speech files." in result.output, result.output
    assert not old.exists() and fresh.exists()
    assert fetch(client, f"/speech/nl/{key}.mp3").status_code == 404
