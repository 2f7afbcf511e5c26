"""Progress instruments as data, measurements over time, outcomes and the chart (domain.md §4.3 E2, §5): pure,
no database."""

import datetime as dt
from fractions import Fraction

import pytest

from planner.piis.chart import chart
from planner.piis.instruments import builtin_instruments
from planner.piis.rules.instruments import (
    InstrumentError, Level, Scale, custom_instrument, custom_labels, parse_instrument,
)
from planner.piis.rules.measures import check_outcome, progress_in_year, reached_unpaid_work, series, year_pair

D = dt.date
NAMES = {"fr": "x", "nl": "x", "de": "x", "en": "x"}


def by_code():
    return {i.code: i for i in builtin_instruments()}


def test_the_built_in_instruments_load_with_names_in_four_languages():
    found = by_code()
    assert set(found) == {"participation_ladder", "zrm", "empowerment"}
    ladder, zrm, empowerment = found["participation_ladder"], found["zrm"], found["empowerment"]
    assert (ladder.kind, ladder.domain_codes, ladder.scale.low, ladder.scale.high) == ("ordinal", ("",), 1, 6)
    assert ladder.scale.levels[3].names["nl"] == "Onbetaald werk"
    assert (zrm.kind, len(zrm.domains), [lv.level for lv in zrm.scale.levels]) == ("matrix", 13, [1, 2, 3, 4, 5])
    assert zrm.domains[1].code == "werk_opleiding"
    assert empowerment.kind == "likert" and all(d.dimension for d in empowerment.domains)
    for instrument in found.values():
        assert set(instrument.names) == {"fr", "nl", "de", "en"}
        assert all(set(lv.names) == {"fr", "nl", "de", "en"} for lv in instrument.scale.levels)


def ladder_data(**changes):
    data = {"code": "ladder", "kind": "ordinal", "progress_rule": "sum", "names": NAMES,
            "answer_scale": {"code": "s", "names": NAMES, "levels": [{"level": 1, "names": NAMES},
                                                                      {"level": 2, "names": NAMES}]}}
    return {**data, **changes}


@pytest.mark.parametrize("changes,field", [
    ({"colour": "red"}, "colour: unknown field"),
    ({"kind": "stars"}, "kind: not one of"),
    ({"domains": [{"code": "a", "names": NAMES}]}, "domains: an ordinal scale has none"),
    ({"kind": "matrix"}, "domains: an ordinal scale has none"),
    ({"names": {"fr": "x"}}, "names: needs a name in each"),
    ({"answer_scale": {"code": "s", "names": NAMES, "levels": [{"level": 1, "names": NAMES}]}},
     "answer_scale.levels: needs 2 to 20 levels"),
    ({"answer_scale": {"code": "s", "names": NAMES, "levels": [{"level": 1, "names": NAMES},
                                                                {"level": 3, "names": NAMES}]}}, "one apart"),
    ({"kind": "matrix", "domains": [{"code": "a", "names": NAMES}, {"code": "a", "names": NAMES}]},
     "domains: a code appears twice"),
    ({"kind": "likert", "domains": [{"code": "a", "names": NAMES}]}, "dimension"),
])
def test_an_instrument_file_that_cannot_be_used_is_refused_naming_the_field(changes, field):
    with pytest.raises(InstrumentError, match=field):
        parse_instrument(ladder_data(**changes), "x.toml")
    assert parse_instrument(ladder_data(), "x.toml").domain_codes == ("",)


def test_a_custom_instrument_needs_a_name_and_at_least_two_levels_zero_is_refused():
    problems = {}
    levels = custom_labels({"nl": ""}, "levels", problems, 2, 20)
    assert levels == [] and "levels" in problems
    problems = {}
    assert custom_instrument("", {"nl": "MPSA"}, [], None, [], "", "sum", problems) is None
    assert "levels" in problems
    problems = {}
    assert custom_instrument("", {}, [], None, [{"nl": "laag"}, {"nl": "hoog"}], "", "sum", problems) is None
    assert set(problems) == {"name"}


def test_a_custom_instrument_in_two_languages_keeps_its_domains_and_levels_in_order():
    problems = {}
    domains = custom_labels({"nl": "Werk\nWonen", "fr": "Travail\nLogement"}, "domains", problems, 0, 60)
    levels = custom_labels({"nl": "Laag\nMidden\nHoog"}, "levels", problems, 2, 20)
    made = custom_instrument("", {"nl": "MPSA"}, domains, None, levels, "", "any_domain", problems)
    assert problems == {}
    assert made.kind == "matrix" and made.progress_rule == "any_domain" and made.domain_codes == ("d1", "d2")
    assert made.domains[1].names == {"fr": "Logement", "nl": "Wonen"}
    assert [(lv.level, lv.names["nl"]) for lv in made.scale.levels] == [(1, "Laag"), (2, "Midden"), (3, "Hoog")]
    problems = {}
    custom_labels({"nl": "Werk\nWonen", "fr": "Travail"}, "domains", problems, 0, 60)
    assert "domains" in problems  # a language with a line fewer: which is which?


def test_a_custom_instrument_may_pick_an_existing_scale():
    scale = Scale("agree_5", NAMES, tuple(Level(n, NAMES) for n in range(1, 6)))
    problems = {}
    made = custom_instrument("", {"fr": "Mon outil"}, [], scale, [], "", "sum", problems)
    assert made.scale is scale and made.kind == "ordinal"


def points(*rows):
    return series([(n, day, context, {"": level}) for n, (day, context, level) in enumerate(rows, 1)], "ordinal")


def test_e2_the_year_compares_the_start_and_31_december():
    measured = points((D(2017, 9, 7), "start", 3), (D(2017, 10, 20), "interim", 3), (D(2017, 12, 31), "31dec", 4))
    start, end = year_pair(measured, 2017)
    assert (start.scores, end.scores) == ({"": 3}, {"": 4})
    progress = progress_in_year(measured, 2017, "ordinal", "sum", "participation_ladder")
    assert progress.progressed and progress.primary == "socio_pro" and reached_unpaid_work(measured, 2017)
    lower = points((D(2017, 9, 7), "start", 1), (D(2017, 12, 31), "31dec", 2))
    assert progress_in_year(lower, 2017, "ordinal", "sum", "participation_ladder").primary == "autonomy"


def test_e2_already_running_on_1_january_starts_from_the_last_measurement_before_it():
    measured = points((D(2016, 12, 31), "31dec", 2), (D(2017, 3, 1), "interim", 1), (D(2017, 12, 31), "31dec", 3))
    assert year_pair(measured, 2017)[0].day == D(2016, 12, 31)
    assert progress_in_year(measured, 2017, "ordinal", "sum", "participation_ladder").progressed


def test_e2_no_end_measurement_no_progress_counted():
    measured = points((D(2017, 9, 7), "start", 1), (D(2017, 11, 7), "interim", 3))
    assert year_pair(measured, 2017)[1] is None
    assert not progress_in_year(measured, 2017, "ordinal", "sum", "participation_ladder").progressed


def test_e2_6_4_switch_ladder_7_progressed_2_reached_level_4():
    starts, ends = [1, 2, 2, 2, 3, 3, 2, 1, 3, 2, 2], [2, 3, 2, 3, 4, 3, 2, 1, 4, 3, 3]
    people = [points((D(2017, 9, 7), "start", a), (D(2017, 12, 31), "31dec", b)) for a, b in zip(starts, ends)]
    assert sum(progress_in_year(p, 2017, "ordinal", "sum", "participation_ladder").progressed for p in people) == 7
    assert sum(reached_unpaid_work(p, 2017) for p in people) == 2


def test_e2_an_outcome_has_flags_and_a_primary_one_among_them_or_none():
    assert check_outcome({"volunteering", "autonomy"}, "volunteering", D(2017, 12, 1), D(2017, 2, 10)) == {}
    assert check_outcome(set(), "none", D(2017, 12, 1), D(2017, 2, 10)) == {}
    assert set(check_outcome({"autonomy"}, "none", D(2017, 12, 1), None)) == {"primary"}
    assert set(check_outcome(set(), "employment", D(2017, 12, 1), None)) == {"primary"}
    assert set(check_outcome({"sanction"}, "none", D(2017, 12, 1), None)) == {"flags", "primary"}
    assert set(check_outcome(set(), "none", D(2017, 1, 1), D(2017, 2, 10))) == {"ended_on"}
    assert set(check_outcome(set(), "none", None, None)) == {"ended_on"}


def test_the_chart_has_one_point_per_measurement_from_low_at_the_bottom_to_high_at_the_top():
    drawn = chart([Fraction(1), Fraction(4), Fraction(6)], 1, 6)
    assert len(drawn.points) == 3 and [p.number for p in drawn.points] == [1, 2, 3]
    assert drawn.points[0].y == drawn.bottom and drawn.points[2].y == 12  # the top margin
    assert drawn.points[0].x == drawn.left and drawn.points[2].x == drawn.right
    assert [level for _y, level in drawn.ticks] == [1, 2, 3, 4, 5, 6]
    assert len(chart([Fraction(3)], 1, 6).points) == 1 and chart([], 1, 6).line == ""
