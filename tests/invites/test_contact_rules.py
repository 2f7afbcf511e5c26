"""The participants' pages' pure rules (issue 18): phone links, map links, how many sessions, double bookings."""

import datetime as dt

import pytest

from planner.invites.contact import address_line, chronological, double_bookings, map_url, shown_count, tel_uri


@pytest.mark.parametrize("written,uri", [
    ("02 123 45 67", "tel:+3221234567"), ("0470/12.34.56", "tel:+32470123456"), ("+32 2 123 45 67", "tel:+3221234567"),
    ("0032 470 12 34 56", "tel:+32470123456"), ("+32 (0)2 123 45 67", "tel:+3221234567"), ("081-22 33 44", "tel:+3281223344"),
])
def test_issue18_a_belgian_number_becomes_a_tel_link(written, uri):
    assert tel_uri(written) == uri


@pytest.mark.parametrize("written", ["", "123", "02 123 45", "0470 12 34 56 78", "+33 1 23 45 67 89", "call us", "02 ABC 45 67"])
def test_issue18_what_is_not_a_belgian_number_gets_no_link(written):
    assert tel_uri(written) == ""


def test_issue18_the_map_link_searches_the_address_on_openstreetmap():
    line = address_line("Rue de l'Église 4", "5000", "Namur")
    assert line == "Rue de l'Église 4, 5000 Namur"
    assert map_url(line) == "https://www.openstreetmap.org/search?query=Rue+de+l%27%C3%89glise+4%2C+5000+Namur"
    assert address_line("", None, "") == "" and map_url("") == ""


@pytest.mark.parametrize("asked,available,shown", [
    (None, 10, 3), ("6", 10, 6), ("6", 4, 4), (None, 2, 2), ("1", 10, 3), ("-5", 10, 3), ("x", 10, 3),
    ("99999999999999999999", 500, 200),
])
def test_issue18_cant_come_shows_three_sessions_then_more(asked, available, shown):
    assert shown_count(asked, available) == shown


def t(hour: int, minute: int = 0) -> dt.time:
    return dt.time(hour, minute)


def test_issue18_overlapping_sessions_of_one_person_are_double_bookings():
    monday, tuesday = dt.date(2026, 12, 7), dt.date(2026, 12, 8)
    sessions = [(1, monday, t(9), t(11)), (2, monday, t(10, 30), t(12)),  # overlap
                (3, monday, t(12), t(13)),  # starts as 2 ends: no overlap
                (4, tuesday, t(9), t(12)), (5, tuesday, t(9, 30), t(10)), (6, tuesday, t(11), t(13)),  # 4 covers 5, 6
                (7, dt.date(2026, 12, 9), t(9), t(10))]
    assert double_bookings(sessions) == {1, 2, 4, 5, 6}
    assert double_bookings([]) == set()


def test_issue18_the_card_lists_every_module_s_sessions_by_day_then_time():
    a = {"day": dt.date(2026, 12, 8), "starts_at": t(9)}
    b = {"day": dt.date(2026, 12, 7), "starts_at": t(14)}
    c = {"day": dt.date(2026, 12, 7), "starts_at": t(9)}
    assert chronological([a, b, c]) == [c, b, a]
