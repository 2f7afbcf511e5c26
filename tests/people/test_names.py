"""planner/names.py: how every list sorts, shows and searches people's names (pure)."""

from hypothesis import given
from hypothesis import strategies as st

from planner.names import display_name, fold, list_name, person_sort_key, search_text, search_words

# Issue 12, section 4: the order a reader expects.
ISSUE_ORDER = ["Çelik", "D'Hondt", "de Smet", "Évrard", "Goossens", "Özdemir", "Van Damme", "Wauters"]


@given(st.permutations(ISSUE_ORDER))
def test_names_sort_as_a_reader_expects_whatever_order_they_come_in(names):
    assert sorted(names, key=lambda last: person_sort_key(last, "Anna")) == ISSUE_ORDER


def test_a_plain_byte_order_would_get_it_wrong():
    # What the lists did before: accented and lower-case names after Z.
    assert sorted(ISSUE_ORDER) != ISSUE_ORDER


def test_the_first_name_decides_between_people_with_the_same_last_name():
    people = [("Peeters", "Jonas"), ("Peeters", "Émilie"), ("Peeters", "anna")]
    assert sorted(people, key=lambda p: person_sort_key(*p)) == [("Peeters", "anna"), ("Peeters", "Émilie"),
                                                                 ("Peeters", "Jonas")]


def test_a_person_with_one_name_sorts_by_the_name_they_have():
    people = [("Wauters", "Anna"), ("", "Bako"), ("Çelik", "Deniz"), ("Mariam", "")]
    assert [list_name(f, l) for l, f in sorted(people, key=lambda p: person_sort_key(*p))] == [
        "Bako", "Çelik, Deniz", "Mariam", "Wauters, Anna"]


def test_the_sort_key_is_text_that_compares_like_the_collation():
    # Stored in beneficiary.sort_key: the database orders pages with a plain bytewise comparison.
    keys = [person_sort_key(last, "") for last in ISSUE_ORDER]
    assert keys == sorted(keys) and all(set(k) <= set("0123456789abcdef") for k in keys)


def test_one_name_is_shown_without_a_stray_comma_or_space():
    assert list_name("Fatou", "Diallo") == "Diallo, Fatou" and display_name("Fatou", "Diallo") == "Fatou Diallo"
    assert list_name("", "Sukarno") == "Sukarno" and display_name("", "Sukarno") == "Sukarno"
    assert list_name("Sukarno", "") == "Sukarno" and display_name("Sukarno", " ") == "Sukarno"


def test_search_folds_case_accents_apostrophes_and_hyphens():
    stored = search_text("Gaëlle", "D’Hondt-Özdemir", "RIV-12")
    for query in ("gaelle", "GAËLLE", "dhondt", "d'hondt", "D’Hondt", "d`hondt", "ozdemir", "özdemir",
                  "dhondt-ozdemir", "dhondtozdemir", "riv-12", "riv12"):
        assert all(word in stored for word in search_words(query)), query
    assert fold("Łukasz Søren Straße") == "lukasz soren strasse"


def test_search_words_cannot_be_like_wildcards():
    assert search_words("50% _ \\") == ["50"]
