import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from planner.people.rules import TOO_LONG, BeneficiaryForm, age_on, beneficiary_problems, clean_text
from planner.people.tables import text_limits

TODAY = dt.date(2026, 11, 23)
LIMITS = text_limits()
TWO_PHONES = "0470 12 34 56 / 02 123 45 67 / 0499 12 34 56"  # 44 characters


def form(**changes) -> BeneficiaryForm:
    values = dict(first_name="Zoé", last_name="Lemaire", gender="F", birth_date="1990-05-17", language="nl",
                  email="", phone="0470 12 34 56", status="ri", file_reference="")
    return BeneficiaryForm(**{**values, **changes})


def test_a_complete_record_has_no_problem():
    assert beneficiary_problems(form(), TODAY, LIMITS) == {}


def test_email_and_phone_are_optional_but_checked():
    assert beneficiary_problems(form(phone="", email=""), TODAY, LIMITS) == {}
    assert set(beneficiary_problems(form(email="zoe@", phone="call me"), TODAY, LIMITS)) == {"email", "phone"}


def test_a_birth_date_in_the_future_is_refused():
    assert "birth_date" in beneficiary_problems(form(birth_date="2027-01-01"), TODAY, LIMITS)


def test_gender_status_and_language_come_from_fixed_lists():
    problems = beneficiary_problems(form(gender="Q", status="rich", language="es"), TODAY, LIMITS)
    assert set(problems) == {"gender", "status", "language"}


def test_someone_born_on_29_february_turns_18_on_1_march_in_a_common_year():
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 17
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 3, 1)) == 18


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 11, 23)))
def test_age_is_never_negative_and_grows_by_one_each_birthday(birth):
    age = age_on(birth, TODAY)
    assert age >= 0
    assert age_on(birth, TODAY.replace(year=TODAY.year + 1)) == age + 1


def test_a_person_with_one_name_only_is_accepted_in_either_field():
    assert beneficiary_problems(form(first_name="", last_name="Sukarno"), TODAY, LIMITS) == {}
    assert beneficiary_problems(form(first_name="Sukarno", last_name=""), TODAY, LIMITS) == {}
    assert set(beneficiary_problems(form(first_name="", last_name=""), TODAY, LIMITS)) == {"first_name"}


def test_each_text_is_checked_against_its_column_length():
    assert LIMITS["last_name"] == 100 and LIMITS["phone"] == 100  # declared once, on the table
    problems = beneficiary_problems(form(last_name="L" * 101, phone="0" * 101, file_reference="R" * 51), TODAY, LIMITS)
    assert problems == {"last_name": TOO_LONG, "phone": TOO_LONG, "file_reference": TOO_LONG}
    assert beneficiary_problems(form(last_name="L" * 100, phone=TWO_PHONES),
                                TODAY, LIMITS) == {}


def test_nul_bytes_are_stripped_from_typed_text():
    assert clean_text("  Zo\x00é \x00") == "Zoé"
