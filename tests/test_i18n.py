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
                "en": "Tuesday, 21 July 2026"}
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


def test_i18_en_dates_are_in_belgian_day_month_order():
    """Issue 18: English pages write the day before the month (en_BE), never "Dec 1, 2026" or "12/1/26"."""
    i18n.set_language("en")
    day = dt.date(2026, 12, 1)
    assert i18n.format_date(day, "short") == "01/12/26"
    assert i18n.format_date(day, "medium") == "01 Dec 2026"
    assert i18n.format_date(day, "long") == "1 December 2026"
    assert i18n.format_datetime(dt.datetime(2026, 12, 1, 8, 5, tzinfo=dt.timezone.utc)) == "01/12/26, 09:05"
    assert i18n.format_time(dt.time(14, 5)) == "14:05"  # 24 hours, no AM/PM
    assert i18n.format_day_month(day) == "1/12" and i18n.format_month(day) == "December 2026"


def test_i18_en_money_keeps_the_separators_english_forms_read():
    i18n.set_language("en")
    assert i18n.format_money(123450) == "€1,234.50" and i18n.format_number(1234.5) == "1,234.5"


def test_i18_weekday_dates_are_written_each_languages_own_way():
    """Issue 18: German "Dienstag, 1. Dezember" (comma, day with a dot), not a pattern written once for all."""
    day = dt.date(2026, 12, 1)
    expected = {"fr": ("mardi 1 décembre", "mar. 1 déc.", "01/12"),
                "nl": ("dinsdag 1 december", "di 1 dec", "1/12"),
                "de": ("Dienstag, 1. Dezember", "Di., 1. Dez.", "1.12."),
                "en": ("Tuesday, 1 December", "Tue, 1 Dec", "1/12")}
    for language, (weekday, short, day_month) in expected.items():
        i18n.set_language(language)
        assert (i18n.format_weekday(day), i18n.format_short_weekday(day), i18n.format_day_month(day)) == \
            (weekday, short, day_month), language
        # The weekday style is the full date without its year, in every language.
        assert i18n.format_date(day, "full").startswith(weekday)
    i18n.set_language("fr")
    assert i18n.format_weekday(None) == "" and i18n.format_month(dt.date(2027, 1, 4)) == "janvier 2027"


def test_i18_a_skeletons_text_fields_are_stretched_to_the_width_asked():
    # fr_BE's CLDR data has only "E d MMM" for a weekday with day and month: Babel alone would say "mar. 1 déc.".
    assert i18n.skeleton_pattern("MMMMEEEEd", "fr_BE") == "EEEE d MMMM"
    assert i18n.skeleton_pattern("MMMMEEEEd", "de_BE") == "EEEE, d. MMMM"
    assert i18n.skeleton_pattern("Md", "de_BE") == "d.M."  # numeric fields keep their width


def test_i18_a_pattern_written_by_hand_is_refused():
    import pytest

    with pytest.raises(ValueError):
        i18n.format_date(dt.date(2026, 12, 1), "EEEE d MMMM")


# Files whose strftime builds file names (the pack's yyyy-mm, which sort), not text a person reads.
FILE_NAMES = {"pack.py"}


def test_i18_no_template_or_module_formats_a_date_with_a_pattern_of_its_own():
    """Every date style goes through one function of i18n.py; a literal CLDR pattern elsewhere is a defect."""
    import re

    from tests.conftest import ROOT

    # The format is format_date's last argument, a literal: format_date("EEE d MMM") or format_date(day, "d/M").
    pattern = re.compile(r"format_date\((?:[^()\"']|\([^()]*\))*?[\"']([^\"']+)[\"']\s*\)")
    strftime = re.compile(r"strftime\([\"'][^\"']*%[dbBaAyYm]")
    found = [f"{path.relative_to(ROOT)}: {line.strip()}" for folder in ("templates", "planner")
             for path in (ROOT / folder).rglob("*.*") if path.suffix in (".html", ".txt", ".py", ".ics")
             and path.name not in FILE_NAMES | {"i18n.py"}
             for line in path.read_text(encoding="utf-8").splitlines()
             if strftime.search(line) or set(pattern.findall(line)) - set(i18n.NAMED_FORMATS)]
    assert found == []
    assert pattern.findall('x|format_date("EEE d MMM") y format_date(day, "d/M")') == ["EEE d MMM", "d/M"]


def test_i18_french_punctuation_has_its_no_break_space():
    """Issue 18: French puts a no-break space before ":" (U+00A0) and a narrow one before ";" "!" "?" and
    inside « » (U+202F), so they never start a line; "2:30" has none."""
    import re

    from babel.messages.pofile import read_po

    from tests.conftest import ROOT

    with open(ROOT / "locales" / "fr" / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalogue = read_po(f)
    wrong = [text for m in catalogue if m.id
             for text in (m.string if isinstance(m.string, tuple) else (m.string,))
             if re.search(r"[ \u202f]:|[ \u00a0][;!?]|« |«\u00a0| »|\u00a0»", text)]
    assert wrong == []
    # One apostrophe throughout (the plain one, as on a keyboard: what people type when they search a page)
    curly = [m.id for m in catalogue if m.id and "\u2019" in "".join(m.string if isinstance(m.string, tuple) else (m.string,))]
    assert curly == []
    i18n.set_language("fr")
    assert i18n.gettext("%(label)s:", label="Salle") == "Salle\u00a0:"
    assert i18n.ngettext("%(num)s of %(total)s here", "%(num)s of %(total)s here", 1, total=8) == "1 présent sur 8"
    assert i18n.ngettext("%(num)s of %(total)s here", "%(num)s of %(total)s here", 2, total=8) == "2 présents sur 8"
    i18n.set_language("nl")
    assert i18n.gettext("%(label)s:", label="Lokaal") == "Lokaal:"
