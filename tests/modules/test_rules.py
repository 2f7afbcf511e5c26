import datetime as dt
import time

from planner.modules.rules import (
    AIMS, COMPOSITIONS, MODULE_TYPES, STRANDS, Booking, Conflict, eligibility_warnings, find_conflicts, overlaps,
    room_too_small,
)

MONDAY = dt.date(2026, 9, 7)


def codes(aim="social_activation", title="", objectives=""):
    return [w.code for w in eligibility_warnings(aim, title, objectives)]


def words_found(title="", objectives=""):
    warnings = [w for w in eligibility_warnings("social_activation", title, objectives)
                if w.code == "professional_words"]
    return warnings[0].detail if warnings else ""


def at(hour: int, minute: int = 0) -> dt.time:
    return dt.time(hour, minute)


def booking(start=at(9), end=at(12), day=MONDAY, room=1, team=(), session=None, module=1) -> Booking:
    return Booking(session, module, day, start, end, room, frozenset(team))


# -- the fixed lists --------------------------------------------------------------------------------------------

def test_the_fixed_lists_hold_the_values_the_forms_offer():
    assert "activation_group" in MODULE_TYPES and "volunteering_preparation" in MODULE_TYPES
    assert STRANDS == ("A", "B")
    assert COMPOSITIONS == ("mixed", "women", "men")
    assert AIMS[0] == "social_activation"


# -- FUND-06: professional activation cannot be funded ---------------------------------------------------------

def test_social_modules_from_the_demo_give_no_warning():
    for title, objectives in [
        ("Parler pour agir", "Conversation in French, gaining self-confidence"),
        ("Weekly sport", "Move together every week; sport for all"),
        ("Uitstraling", "Zelfbeeld en zelfvertrouwen"),
        ("Digital basics", "E-mail, itsme and online forms"),
        ("Prendre la parole", "Atelier d'expression théâtrale, stage de théâtre"),
        ("Mannen in beweging", "Samen sporten en praten"),
    ]:
        assert codes(title=title, objectives=objectives) == []


def test_every_professional_aim_is_flagged():
    for aim in AIMS[1:]:
        assert codes(aim=aim, title="Conversation") == ["professional_aim"]
    assert codes(aim="social_activation", title="Conversation") == []


def test_the_aim_warning_names_the_aim_and_has_a_message():
    (warning,) = eligibility_warnings("job_search", "Groupe", "")
    assert warning.detail == "job_search"
    assert warning.message.endswith(".")


def test_professional_words_are_found_in_each_language():
    for text in ["Atelier CV", "Recherche active d'emploi", "Formation qualifiante en horeca",
                 "Stage en entreprise", "Module pré-emploi", "Sollicitatietraining", "Cursus voor werkzoekenden",
                 "Beroepsopleiding logistiek", "Bewerbungstraining", "Berufsausbildung", "Arbeitssuche",
                 "Job search club", "Job-search workshop", "Pre-employment course", "Vocational English",
                 "Formation professionnelle", "Sollicitation spontanée"]:
        assert codes(title=text) == ["professional_words"], text


def test_words_are_matched_without_regard_to_case_accents_or_apostrophes():
    assert words_found("RECHERCHE D’EMPLOI") == "RECHERCHE D’EMPLOI"
    assert words_found("Module PRE EMPLOI") == "PRE EMPLOI"
    assert words_found("Vorstellungsgespräch üben") == "Vorstellungsgespräch"


def test_words_in_the_objectives_count_as_well_as_the_title():
    assert codes(title="Groupe du mardi", objectives="Rédiger son CV et préparer un entretien d'embauche") == [
        "professional_words"]


def test_the_words_found_are_listed_once_in_a_single_warning():
    warnings = eligibility_warnings("social_activation", "CV workshop", "Write a CV, then job search and a cv again")
    assert [w.code for w in warnings] == ["professional_words"]
    assert warnings[0].detail == "CV, job search"


def test_a_longer_phrase_is_reported_rather_than_its_shorter_part():
    assert words_found("Recherche active d'emploi") == "Recherche active d'emploi"


def test_a_professional_aim_and_professional_words_give_both_warnings():
    assert codes(aim="vocational_training", title="Beroepsopleiding") == ["professional_aim", "professional_words"]


def test_cvo_is_not_mistaken_for_a_cv_workshop():
    assert codes(title="NT2 at the CVO", objectives="Conversation class with CVO Brugge") == []


def test_words_that_merely_contain_a_professional_word_are_not_flagged():
    assert codes(title="Recvéo", objectives="Concevoir un curriculum de cours; solliciter l'aide du CPAS") == []


def test_plural_and_dotted_cvs_are_still_found():
    assert words_found("Update your CVs") == "CVs"
    assert words_found("C.V. et lettre de motivation") == "C.V, lettre de motivation"


# -- planning conflicts -----------------------------------------------------------------------------------------

def test_sessions_that_touch_end_to_start_do_not_overlap():
    assert not overlaps(booking(at(9), at(12)), booking(at(12), at(15)))
    assert not overlaps(booking(at(12), at(15)), booking(at(9), at(12)))


def test_sessions_that_share_even_a_minute_overlap():
    assert overlaps(booking(at(9), at(12)), booking(at(11, 59), at(15)))
    assert overlaps(booking(at(9), at(12)), booking(at(10), at(11)))  # one inside the other


def test_the_same_hours_on_another_day_do_not_overlap():
    assert not overlaps(booking(), booking(day=MONDAY + dt.timedelta(days=1)))


def test_a_room_used_at_the_same_time_is_a_conflict():
    other = booking(at(10), at(13), room=1, session=7, module=2)
    assert find_conflicts([booking(room=1)], [other]) == [Conflict("room", MONDAY, at(9), other)]


def test_different_rooms_at_the_same_time_are_fine():
    assert find_conflicts([booking(room=1)], [booking(room=2, session=7, module=2)]) == []


def test_two_sessions_without_a_room_do_not_collide_on_the_room():
    assert find_conflicts([booking(room=None)], [booking(room=None, session=7, module=2)]) == []


def test_each_shared_facilitator_is_one_conflict():
    other = booking(room=2, team={10, 11, 12}, session=7, module=2)
    conflicts = find_conflicts([booking(room=1, team={11, 12, 13})], [other])
    assert [(c.kind, c.facilitator_id) for c in conflicts] == [("facilitator", 11), ("facilitator", 12)]


def test_a_session_does_not_collide_with_its_own_saved_booking():
    saved = booking(session=5)
    assert find_conflicts([booking(session=5, team={1})], [saved]) == []
    assert len(find_conflicts([booking(session=None)], [saved])) == 1  # a new one does


def test_conflicts_are_sorted_by_day_then_time_then_kind():
    tuesday = MONDAY + dt.timedelta(days=1)
    planned = [booking(day=tuesday, room=1, team={4}), booking(at(14), at(16), room=1, team={4}),
               booking(room=1, team={4})]
    existing = [booking(at(8), at(17), day=d, room=1, team={4}, session=s, module=2)
                for s, d in enumerate([tuesday, MONDAY])]
    conflicts = find_conflicts(planned, existing)
    assert [(c.day, c.starts_at, c.kind) for c in conflicts] == [
        (MONDAY, at(9), "facilitator"), (MONDAY, at(9), "room"), (MONDAY, at(14), "facilitator"),
        (MONDAY, at(14), "room"), (tuesday, at(9), "facilitator"), (tuesday, at(9), "room")]


def test_a_whole_year_of_bookings_is_checked_quickly():
    start = dt.date(2026, 1, 5)
    existing = [booking(at(8 + (m + s) % 9), at(10 + (m + s) % 9), day=start + dt.timedelta(days=(s * 4 + m) % 365),
                        room=m % 40, team={m % 60}, session=m * 100 + s, module=m)
                for m in range(300) for s in range(80)]
    planned = [booking(at(9), at(12), day=start + dt.timedelta(days=7 * (w // 2) + 3 * (w % 2)), room=3, team={3},
                       module=999) for w in range(80)]  # twice a week, Monday and Thursday
    began = time.perf_counter()
    conflicts = find_conflicts(planned, existing)
    assert time.perf_counter() - began < 1
    relevant = [o for o in existing if o.room_id == 3 or 3 in o.facilitator_ids]
    expected = sum((o.room_id == 3) + (3 in o.facilitator_ids) for p in planned for o in relevant if overlaps(p, o))
    assert len(conflicts) == expected > 0


# -- rooms ------------------------------------------------------------------------------------------------------

def test_a_room_with_fewer_places_than_the_module_is_too_small():
    assert room_too_small(10, 12)
    assert not room_too_small(12, 12)
    assert not room_too_small(20, 12)


def test_a_room_of_unknown_size_is_not_called_too_small():
    assert not room_too_small(None, 12)
