"""Every theme of the demo and every drop-in topic has its own pictogram."""
from pathlib import Path
from xml.etree import ElementTree

import pytest

from booking.models import DROPIN_TOPICS
from booking.services.demo_data import THEMES
from booking.site.present import THEME_PICTOGRAMS, TOPICS

PICTOGRAMS = Path(__file__).resolve().parents[2] / "booking" / "static" / "pictograms"
OTHERS = ["seat-free", "seat-taken", "speaker", "pin", "home", "staff", "hourglass", "language",
          "ticket", "happy", "neutral", "sad", "check", "warning", "back", "print", "qr",
          "state-soon", "state-started", "state-closed", "state-over"]


def test_every_demo_theme_has_its_own_pictogram():
    names = {spec[0] for spec in THEMES.values()}
    assert names <= THEME_PICTOGRAMS


def test_every_drop_in_topic_has_a_pictogram():
    assert set(TOPICS) == set(DROPIN_TOPICS)


@pytest.mark.parametrize("name", sorted(
    THEME_PICTOGRAMS | {picture for picture, _label in TOPICS.values()} | set(OTHERS)))
def test_pictogram_is_a_square_svg(name):
    root = ElementTree.parse(PICTOGRAMS / f"{name}.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 96 96"
