import pytest

from booking.partner.forms import format_opening_hours, parse_opening_hours


def test_opening_hours_round_trip():
    text = "1-5 09:00-17:00\n6 10:00-12:30"
    windows = parse_opening_hours(text)
    assert windows == [{"weekdays": [1, 2, 3, 4, 5], "start": "09:00", "end": "17:00"},
                       {"weekdays": [6], "start": "10:00", "end": "12:30"}]
    assert format_opening_hours(windows) == text
    assert parse_opening_hours("") == [] and parse_opening_hours("\n  \n") == []
    # Non-contiguous days (as the planner may write them) become one line per day.
    assert format_opening_hours([{"weekdays": [1, 3], "start": "09:00", "end": "12:00"}]) == (
        "1 09:00-12:00\n3 09:00-12:00")


@pytest.mark.parametrize("line", ["Monday 9-5", "0 09:00-10:00", "5-1 09:00-10:00",
                                  "1 12:00-09:00", "1 09:00"])
def test_bad_opening_hours_name_the_line(line):
    with pytest.raises(ValueError, match="line 1"):
        parse_opening_hours(line)
