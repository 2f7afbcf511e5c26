import datetime as dt

from planner import i18n


def test_the_persons_setting_beats_the_browser():
    assert i18n.negotiate("nl", "", "fr-BE,fr;q=0.9") == "nl"


def test_browser_languages_are_taken_in_order_of_preference():
    assert i18n.negotiate("", "", "es-ES,de-BE;q=0.8,nl;q=0.9") == "nl"


def test_an_unknown_language_falls_back_to_the_default():
    assert i18n.negotiate("", "", "es-ES,pt;q=0.5", default="fr") == "fr"
    assert i18n.negotiate("xx", "", "", default="de") == "de"


def test_the_choice_made_on_this_browser_beats_the_header():
    assert i18n.negotiate("", "de", "fr") == "de"


def test_money_is_formatted_per_belgian_locale():
    expected = {"fr": "1\u202f234,50\xa0€", "nl": "€\xa01.234,50", "de": "1.234,50\xa0€", "en": "€1,234.50"}
    for language, text in expected.items():
        i18n.set_language(language)
        assert i18n.format_money(123450) == text


def test_utc_events_are_shown_in_brussels_time_across_dst():
    i18n.set_language("fr")
    winter = dt.datetime(2026, 3, 28, 8, 0, tzinfo=dt.timezone.utc)
    summer = dt.datetime(2026, 3, 30, 8, 0, tzinfo=dt.timezone.utc)
    assert i18n.format_datetime(winter) == "28/03/26 09:00"
    assert i18n.format_datetime(summer) == "30/03/26 10:00"


def test_dates_are_written_in_each_language():
    day = dt.date(2026, 7, 21)
    expected = {"fr": "mardi 21 juillet 2026", "nl": "dinsdag 21 juli 2026", "de": "Dienstag, 21. Juli 2026",
                "en": "Tuesday, July 21, 2026"}
    for language, text in expected.items():
        i18n.set_language(language)
        assert i18n.format_date(day, "full") == text


def test_a_fields_extra_attributes_are_rendered_as_attributes_not_as_text():
    """The capacity field's min and max reach the browser as attributes, so its own check works (issue 18)."""
    from planner.web import make_environment

    env = make_environment()
    html = env.from_string('{% from "_macros.html" import field %}'
                           '{{ field("capacity", "Capacity", attrs={"min": 1, "max": 200, "inputmode": "numeric"}) }}'
                           '{{ field("plain", "Plain") }}').render(_=lambda s: s, gettext=lambda s: s)
    assert 'min="1" max="200" inputmode="numeric">' in html and "&#34;" not in html
