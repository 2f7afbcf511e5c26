import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from planner.people.rules import BeneficiaryForm, age_on, beneficiary_problems

TODAY = dt.date(2026, 11, 23)


def form(**changes) -> BeneficiaryForm:
    values = dict(first_name="Zoé", last_name="Lemaire", gender="F", birth_date="1990-05-17", language="nl",
                  email="", phone="0470 12 34 56", status="ri", file_reference="")
    return BeneficiaryForm(**{**values, **changes})


def test_a_complete_record_has_no_problem():
    assert beneficiary_problems(form(), TODAY) == {}


def test_email_and_phone_are_optional_but_checked():
    assert beneficiary_problems(form(phone="", email=""), TODAY) == {}
    assert set(beneficiary_problems(form(email="zoe@", phone="call me"), TODAY)) == {"email", "phone"}


def test_a_birth_date_in_the_future_is_refused():
    assert "birth_date" in beneficiary_problems(form(birth_date="2027-01-01"), TODAY)


def test_gender_status_and_language_come_from_fixed_lists():
    problems = beneficiary_problems(form(gender="Q", status="rich", language="es"), TODAY)
    assert set(problems) == {"gender", "status", "language"}


def test_someone_born_on_29_february_turns_18_on_1_march_in_a_common_year():
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 17
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 3, 1)) == 18


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 11, 23)))
def test_age_is_never_negative_and_grows_by_one_each_birthday(birth):
    age = age_on(birth, TODAY)
    assert age >= 0
    assert age_on(birth, TODAY.replace(year=TODAY.year + 1)) == age + 1
