"""planner/money.py: amounts as Belgian users type them (cross-cutting; its tests live with spending, its
first user)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner import i18n
from planner.money import AmountError, parse_cents


@pytest.mark.parametrize("text, locale, cents", [
    ("1.234,56", "fr", 123456),
    ("1234,56", "fr", 123456),
    ("1 234,56", "fr", 123456),
    ("€ 12", "nl", 1200),
    ("12,5", "de", 1250),
    ("1234.56", "en", 123456),
    ("1,234.56", "en", 123456),
    ("12", "en", 1200),
    ("0,05", "nl", 5),
    (",50", "fr", 50),
    ("12,-", "fr", 1200),  # whole euros, as on price tags
    ("12.50", "fr", 1250),  # the keypad's point, typed in French
    ("12,50", "en", 1250),
    ("1.234", "nl", 123400),  # a point before three digits groups thousands
    ("1,234", "en", 123400),
    ("1.234.567,89", "de", 123456789),
    ("  2.400 EUR ", "fr", 240000),
    ("1\u202f234,56\u00a0€", "fr_BE", 123456),
    ("999.999.999.999,99", "fr", 99999999999999),
])
def test_an_amount_typed_the_belgian_way_is_read_in_cents(text, locale, cents):
    assert parse_cents(text, locale) == cents


@pytest.mark.parametrize("text, locale, message", [
    ("12,5,0", "fr", "The amount %(text)s has more than one decimal separator; write it like %(example)s."),
    ("-3", "fr", "An amount cannot be negative."),
    ("€ -3", "nl", "An amount cannot be negative."),
    ("3-", "de", "An amount cannot be negative."),
    ("12345678901234567890", "fr", "An amount can have at most %(digits)s digits before the decimals."),
    ("1.000.000.000.000", "fr", "An amount can have at most %(digits)s digits before the decimals."),
    ("", "fr", "Enter an amount."),
    ("  € ", "en", "Enter an amount."),
    ("douze", "fr", "Write the amount in figures, for example %(example)s."),
    ("12e3", "en", "Write the amount in figures, for example %(example)s."),
    ("1,5e2", "fr", "Write the amount in figures, for example %(example)s."),
    (",", "fr", "Write the amount in figures, for example %(example)s."),
    ("12,505", "fr", "An amount has at most two decimals, for the cents."),
    ("1.23.4", "fr", "The amount %(text)s cannot be read; write it like %(example)s."),
    ("12 5", "nl", "The amount %(text)s cannot be read; write it like %(example)s."),
    ("1.234 567", "fr", "The amount %(text)s cannot be read; write it like %(example)s."),
])
def test_an_unreadable_amount_raises_a_value_error_with_a_message_id(text, locale, message):
    with pytest.raises(ValueError) as error:
        parse_cents(text, locale)
    assert isinstance(error.value, AmountError)
    assert error.value.message == message


def test_the_message_gives_an_example_in_the_users_own_notation():
    with pytest.raises(AmountError) as french:
        parse_cents("12,5,0", "fr")
    assert french.value.variables == {"text": "12,5,0", "example": "1.234,56"}
    with pytest.raises(AmountError) as english:
        parse_cents("twelve", "en")
    assert english.value.variables == {"example": "1,234.56"}
    assert str(english.value) == "Write the amount in figures, for example 1,234.56."


@given(cents=st.integers(0, 10**14 - 1), language=st.sampled_from(i18n.LANGUAGES))
def test_what_format_money_shows_reads_back_to_the_same_cents(cents, language):
    with i18n.speaking(language):
        shown = i18n.format_money(cents)
    assert parse_cents(shown, language) == cents
    assert parse_cents(shown, i18n.FORMAT_LOCALES[language]) == cents


@given(euros=st.integers(0, 10**12 - 1), cents=st.integers(0, 99), language=st.sampled_from(i18n.LANGUAGES))
def test_digits_with_the_locales_decimal_separator_read_back(euros, cents, language):
    separator = "." if language == "en" else ","
    assert parse_cents(f"{euros}{separator}{cents:02d}", language) == euros * 100 + cents


@given(text=st.text(max_size=30), language=st.sampled_from(i18n.LANGUAGES))
def test_any_text_gives_cents_in_range_or_an_amount_error(text, language):
    try:
        cents = parse_cents(text, language)
    except AmountError as error:
        assert error.message
    else:
        assert 0 <= cents < 10**14


def test_a_long_paste_is_not_repeated_back_whole():
    with pytest.raises(AmountError) as error:
        parse_cents("1,2,3" * 100, "fr")
    assert len(error.value.variables["text"]) == 30
