"""The series a reader gets for a module: which instances, exclusions, extra dates and overrides."""

import datetime as dt

from planner.invites.rules import Slot, part_tags, part_uids, series_shape, shape_tag, single_uid
from planner.modules.rules.recurrence import Recurrence
from tests.invites.series import BXL, ELEVEN, NINE, ROOM, UTC, planned, replace, weekly

def at(day, time=NINE):
    return dt.datetime.combine(day, time, tzinfo=BXL)


MONDAYS = weekly(dt.date(2026, 3, 2), dt.date(2026, 6, 29), 0)


def test_no_series_when_the_window_holds_no_session():
    slots = planned(MONDAYS)
    assert series_shape(MONDAYS, []) is None
    assert series_shape(MONDAYS, slots, first_day=dt.date(2026, 7, 1)) is None
    assert series_shape(MONDAYS, slots, last_day=dt.date(2026, 3, 1)) is None
    assert series_shape(MONDAYS, slots, dt.date(2026, 3, 3), dt.date(2026, 3, 8)) is None


def test_a_weekly_rule_becomes_one_rrule_ending_at_its_last_day_in_utc():
    shape = series_shape(MONDAYS, planned(MONDAYS))

    assert (shape.start, shape.end) == (at(dt.date(2026, 3, 2)), at(dt.date(2026, 3, 2), ELEVEN))
    assert shape.rrule == {"FREQ": "WEEKLY", "INTERVAL": 1, "BYDAY": ["MO"], "WKST": "MO",
                           "UNTIL": dt.datetime(2026, 6, 29, 7, 0, tzinfo=UTC)}
    assert shape.exdates == (at(dt.date(2026, 4, 6)), at(dt.date(2026, 5, 25)))  # Easter and Whit Monday
    assert (shape.singles, shape.overrides, shape.location) == ((), (), ROOM)
    assert len(shape.slots) == 16


def test_monthly_rules_name_the_nth_weekday():
    second_tuesday = Recurrence("monthly", dt.date(2026, 1, 1), dt.date(2026, 6, 30), NINE, ELEVEN, nth=2, weekday=1)
    last_friday = Recurrence("monthly", dt.date(2026, 1, 1), dt.date(2026, 6, 30), NINE, ELEVEN, nth=-1, weekday=4)

    assert series_shape(second_tuesday, planned(second_tuesday)).rrule["BYDAY"] == ["2TU"]
    shape = series_shape(last_friday, planned(last_friday))
    assert (shape.rrule["FREQ"], shape.rrule["BYDAY"]) == ("MONTHLY", ["-1FR"])
    assert shape.start == at(dt.date(2026, 1, 30))


def test_a_late_enrolment_keeps_the_every_other_week_rhythm_of_the_module():
    rule = weekly(dt.date(2026, 3, 2), dt.date(2026, 6, 29), 0, interval=2)  # 2/3, 16/3, 30/3 ...
    shape = series_shape(rule, planned(rule), first_day=dt.date(2026, 3, 5))

    assert shape.start == at(dt.date(2026, 3, 16))  # not 9/3, an "off" week
    assert shape.rrule["INTERVAL"] == 2
    assert [s.day for s in shape.slots][:2] == [dt.date(2026, 3, 16), dt.date(2026, 3, 30)]


def test_a_holiday_on_the_first_day_starts_the_series_and_is_excluded():
    rule = weekly(dt.date(2026, 4, 6), dt.date(2026, 4, 27), 0)  # Easter Monday first
    shape = series_shape(rule, planned(rule))

    assert shape.start == at(dt.date(2026, 4, 6))
    assert shape.exdates == (at(dt.date(2026, 4, 6)),)


def test_a_moved_session_replaces_the_instance_it_was_planned_for():
    slots = replace(planned(MONDAYS), 3, day=dt.date(2026, 3, 18), starts_at=dt.time(14), ends_at=dt.time(16),
                    original_day=dt.date(2026, 3, 16))
    shape = series_shape(MONDAYS, slots)

    [override] = shape.overrides
    assert override.recurrence_id == at(dt.date(2026, 3, 16))
    assert override.slot.day == dt.date(2026, 3, 18)
    assert at(dt.date(2026, 3, 16)) not in shape.exdates and shape.singles == ()


def test_a_session_added_by_hand_is_an_event_of_its_own_not_an_extra_date_of_the_series():
    same_length = Slot(90, dt.date(2026, 3, 4), dt.time(14), dt.time(16), location=ROOM)
    longer = Slot(91, dt.date(2026, 3, 11), dt.time(13), dt.time(17), location=ROOM)
    shape = series_shape(MONDAYS, [*planned(MONDAYS), same_length, longer])

    assert [s.session_id for s in shape.singles] == [90, 91]
    assert shape.overrides == () and len(shape.slots) == 18
    assert part_uids(shape, "planner-m7-e12@x.example") == (
        "planner-m7-e12@x.example", "planner-m7-e12-s90@x.example", "planner-m7-e12-s91@x.example")


def test_without_a_rule_every_session_is_a_single_event_and_there_is_no_series():
    slots = [Slot(2, dt.date(2026, 3, 12), dt.time(14), dt.time(15)), Slot(1, dt.date(2026, 3, 3), NINE, ELEVEN)]
    shape = series_shape(None, slots)

    assert (shape.start, shape.end, shape.rrule, shape.exdates, shape.overrides) == (None, None, None, (), ())
    assert [s.session_id for s in shape.singles] == [1, 2]
    assert part_uids(shape, "planner-m7-e12@x.example") == ("planner-m7-e12-s1@x.example",
                                                             "planner-m7-e12-s2@x.example")


def test_a_window_that_holds_no_day_of_the_rule_is_single_events_too():
    extra = Slot(99, dt.date(2026, 7, 8), NINE, ELEVEN, location=ROOM)  # after the rule's last Monday
    shape = series_shape(MONDAYS, [*planned(MONDAYS), extra], first_day=dt.date(2026, 7, 1))

    assert shape.rrule is None and shape.singles == (extra,)


def test_two_sessions_at_the_same_instant_are_both_shown():
    twin = Slot(99, dt.date(2026, 3, 9), NINE, ELEVEN, location="Salle 2")
    shape = series_shape(MONDAYS, [*planned(MONDAYS), twin])

    assert shape.singles == (twin,) and shape.overrides == ()


def test_a_single_keeps_its_uid_whatever_else_changes():
    assert single_uid("planner-m7-e12@x.example", 99) == "planner-m7-e12-s99@x.example"
    assert single_uid("planner-m7-u3@x.example", 99) != single_uid("planner-m7-e12@x.example", 99)


def test_the_usual_location_is_the_most_common_one():
    slots = replace(replace(planned(MONDAYS), 1, location="Salle 2"), 2, location="Salle 2")
    shape = series_shape(MONDAYS, slots)

    assert shape.location == ROOM
    assert [o.slot.session_id for o in shape.overrides] == [1, 2]


def test_all_day_sessions_make_a_series_of_dates():
    rule = Recurrence("weekly", dt.date(2026, 3, 2), dt.date(2026, 4, 27), dt.time(0), dt.time(23, 59), weekdays=(0,))
    shape = series_shape(rule, planned(rule))

    assert (shape.start, shape.end) == (dt.date(2026, 3, 2), dt.date(2026, 3, 3))
    assert shape.rrule["UNTIL"] == dt.date(2026, 4, 27)
    assert shape.exdates == (dt.date(2026, 4, 6),)


def test_the_tag_stays_the_same_when_nothing_changed():
    slots = planned(MONDAYS)
    tag = shape_tag(series_shape(MONDAYS, slots), "Atelier CV", "Apportez votre CV.")

    assert tag == shape_tag(series_shape(MONDAYS, list(reversed(slots))), "Atelier CV", "Apportez votre CV.")
    assert len(tag) == 64 and int(tag, 16) >= 0


def test_the_tag_changes_when_a_session_moves_is_cancelled_or_the_text_changes():
    slots = planned(MONDAYS)
    tag = shape_tag(series_shape(MONDAYS, slots), "Atelier CV", "Apportez votre CV.")
    moved = replace(slots, 3, day=dt.date(2026, 3, 17), original_day=dt.date(2026, 3, 16))
    later = replace(slots, 3, starts_at=dt.time(10), ends_at=dt.time(12))
    cancelled = replace(slots, 3, cancelled=True)

    others = {shape_tag(series_shape(MONDAYS, moved), "Atelier CV", "Apportez votre CV."),
              shape_tag(series_shape(MONDAYS, later), "Atelier CV", "Apportez votre CV."),
              shape_tag(series_shape(MONDAYS, cancelled), "Atelier CV", "Apportez votre CV."),
              shape_tag(series_shape(MONDAYS, slots), "Atelier CV", "Apportez votre CV et un stylo."),
              shape_tag(series_shape(MONDAYS, slots, first_day=dt.date(2026, 3, 10)), "Atelier CV",
                        "Apportez votre CV."),
              shape_tag(None, "Atelier CV", "Apportez votre CV.")}
    assert len(others) == 6 and tag not in others


def test_each_event_has_its_own_tag_so_a_change_resends_only_that_event():
    extra = Slot(99, dt.date(2026, 3, 19), dt.time(13), dt.time(17), location=ROOM)
    slots = [*planned(MONDAYS), extra]
    uid, single = "planner-m7-e12@x.example", "planner-m7-e12-s99@x.example"
    before = part_tags(series_shape(MONDAYS, slots), uid, "Atelier CV")

    moved_extra = part_tags(series_shape(MONDAYS, replace(slots, 99, day=dt.date(2026, 3, 20))), uid, "Atelier CV")
    assert moved_extra[uid] == before[uid] and moved_extra[single] != before[single]
    cancelled = part_tags(series_shape(MONDAYS, replace(slots, 2, cancelled=True)), uid, "Atelier CV")
    assert cancelled[uid] != before[uid] and cancelled[single] == before[single]
    retitled = part_tags(series_shape(MONDAYS, slots), uid, "Atelier CV et LinkedIn")
    assert retitled[uid] != before[uid] and retitled[single] != before[single]
    assert part_tags(None, uid) == {}
