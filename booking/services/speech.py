"""Speech made on the server, so that a kiosk with no voices of its own
(Chromium on a kiosk has none; offline machines rarely have Arabic or
Turkish) still reads every screen aloud.

espeak-ng (Debian) speaks the text in the language's voice; lame encodes
it as MP3: every browser plays MP3 (Chromium, Firefox, Safari on old
iPhones, which do not play Ogg Opus), and a mono 32 kbit/s voice is about
4 KB a second.

Files live under SPEECH_FOLDER (default: instance/speech), one folder per
language, named by a hash of the voice and the text, so a changed text
(a session moved to another day) is simply a new file:

- `register(lang, text)` keeps a text the site composed itself (a kiosk
  screen, a session) as `<key>.txt` and answers its key; the audio address
  carries only that key, so espeak-ng never speaks a text taken from a URL;
- `audio_for(lang, key)` makes `<key>.mp3` on first use (or `make-speech`
  made it at install) and answers its path.

Every file is written to a temporary name in the same folder and renamed
into place, so requests that make the same file at once never read or
leave a half-written file."""
import hashlib
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from booking.services.errors import InvalidInput, NotFound

KEY_PATTERN = re.compile(r"[0-9a-f]{40}")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class SpeechUnavailable(RuntimeError):
    """espeak-ng, lame or sox is missing or failed: the kiosk shows its text."""


def folder() -> Path:
    configured = current_app.config["SPEECH_FOLDER"]
    path = Path(configured) if configured else Path(current_app.instance_path) / "speech"
    path.mkdir(parents=True, exist_ok=True)
    return path


def clean(text: str) -> str:
    """One line of plain text: what the screen says, without layout."""
    text = _SPACES.sub(" ", _CONTROL.sub(" ", text or "")).strip()
    if not text:
        raise InvalidInput("nothing to say")
    limit = current_app.config["SPEECH_MAX_CHARACTERS"]
    if len(text) > limit:
        raise InvalidInput(f"a spoken text has at most {limit} characters")
    return text


def voice_of(lang: str) -> str:
    voices = current_app.config["SPEECH_VOICES"]
    if lang not in voices:
        raise NotFound(f"no voice for language {lang!r}")
    return voices[lang]


def key_of(lang: str, text: str) -> str:
    settings = f"{voice_of(lang)}|{current_app.config['SPEECH_WORDS_PER_MINUTE']}"
    digest = hashlib.sha256(f"{settings}\n{text}".encode()).hexdigest()
    return digest[:40]


def register(lang: str, text: str) -> str:
    """Keep a text the site composed (so its audio can be made later) and
    answer its key. Cheap when it is known already: one stat."""
    text = clean(text)
    key = key_of(lang, text)
    path = _language_folder(lang) / f"{key}.txt"
    if not path.exists():
        _write_atomically(path, text.encode("utf-8"))
    return key


def text_of(lang: str, key: str) -> str:
    if not KEY_PATTERN.fullmatch(key or ""):
        raise NotFound("no such spoken text")
    path = _language_folder(lang) / f"{key}.txt"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound("no such spoken text") from None


def audio_for(lang: str, key: str) -> Path:
    """The MP3 of a registered text, made now if it was not made before."""
    target = _language_folder(lang) / f"{key}.mp3"
    if target.exists():
        return target
    text = text_of(lang, key)
    with tempfile.TemporaryDirectory(dir=folder()) as work:
        made = synthesize(lang, text, Path(work))
        os.replace(made, target)
    return target


def audio_of_text(lang: str, text: str) -> Path:
    """Register and make at once (the `make-speech` command, the display's numbers)."""
    return audio_for(lang, register(lang, text))


def synthesize(lang: str, text: str, work: Path) -> Path:
    """Speak `text` into `work/speech.mp3` (not cached: the caller decides)."""
    text = clean(text)
    wav, mp3 = work / "speech.wav", work / "speech.mp3"
    # The text goes on stdin, never on the command line: nothing in it can
    # be read as an option, and SSML/markup stays off (no -m).
    _run(["espeak-ng", "-v", voice_of(lang), "-s", str(current_app.config["SPEECH_WORDS_PER_MINUTE"]),
          "--stdin", "-w", str(wav)], stdin=text.encode("utf-8"))
    _encode(wav, mp3)
    return mp3


def chime() -> Path:
    """The display screen's chime: two soft tones made by sox once."""
    target = folder() / "chime.mp3"
    if target.exists():
        return target
    with tempfile.TemporaryDirectory(dir=folder()) as work:
        wav, mp3 = Path(work) / "chime.wav", Path(work) / "chime.mp3"
        _run(["sox", "-n", "-r", "22050", "-c", "1", "-b", "16", str(wav),
              "synth", "0.35", "sine", "988", "fade", "q", "0.01", "0.35", "0.3", ":", "synth", "0.6", "sine", "784", "fade", "q", "0.01", "0.6", "0.5",
              "gain", "-6"])
        _encode(wav, mp3)
        os.replace(mp3, target)
    return target


def number_text(lang: str, number: int) -> str:
    """What the display says when it calls a number."""
    with force_locale(lang):
        return _("Number %(number)s", number=number)


def announcement(number: int, languages=None) -> list[str]:
    """Keys of the called number spoken in each of the kiosk's languages."""
    languages = languages or display_languages()
    return [register(lang, number_text(lang, number)) for lang in languages]


def display_languages() -> list[str]:
    return list(current_app.config["SPEECH_DISPLAY_LANGUAGES"] or current_app.config["LANGUAGES"])


def prune(older_than_days: int, *, now: float | None = None) -> int:
    """Remove texts and audio made more than this many days ago (sessions
    long past, seat counts of old); a text still on a screen is registered
    again when the screen is shown and its audio made on first use."""
    limit = (now if now is not None else time.time()) - older_than_days * 24 * 3600
    removed = 0
    for path in folder().glob("*/*"):
        if path.suffix in (".txt", ".mp3") and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _language_folder(lang: str) -> Path:
    voice_of(lang)  # only the site's languages have a folder
    path = folder() / lang
    path.mkdir(exist_ok=True)
    return path


def _encode(wav: Path, mp3: Path):
    _run(["lame", "--quiet", "-m", "m", "--resample", "22.05", "-b",
          str(current_app.config["SPEECH_MP3_KBPS"]), str(wav), str(mp3)])


def _run(command: list[str], stdin: bytes | None = None):
    try:
        subprocess.run(command, input=stdin, check=True, capture_output=True,
                       timeout=current_app.config["SPEECH_TIMEOUT_SECONDS"])
    except FileNotFoundError as error:
        raise SpeechUnavailable(f"{command[0]} is not installed") from error
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        raise SpeechUnavailable(f"{command[0]} failed: {error}") from error


def _write_atomically(path: Path, content: bytes):
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
