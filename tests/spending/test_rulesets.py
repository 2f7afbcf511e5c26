import datetime as dt

import pytest

from planner.spending.rules import CATEGORIES, RuleSetError, parse_ruleset
from planner.spending.rulesets import available, load_ruleset, sources

VALID = {
    "source": "test-fund", "year": 2024, "eligible_from": dt.date(2024, 1, 1),
    "eligible_until": dt.date(2024, 12, 31), "strands": {"B": {"categories": ["personnel"], "personnel_cap_bp": 10000}},
}


def broken(**changes) -> dict:
    data = {**VALID, **changes}
    return {k: v for k, v in data.items() if v is not None}


def test_every_rule_set_file_loads():
    loaded = [load_ruleset(source, year) for source in sources() for year in available(source)]
    assert len(loaded) >= 9 + 10 + 1
    assert all(r.strands and r.eligible_from <= r.eligible_until <= r.report_deadline for r in loaded)


def test_the_fonds_pas_has_a_rule_set_for_each_year_from_2017_to_2025_and_none_after():
    assert available("fonds-pas") == tuple(range(2017, 2026))
    with pytest.raises(LookupError):
        load_ruleset("fonds-pas", 2026)  # abolished from 1 January 2026 (domain.md §3.1)


def test_an_unknown_source_has_no_years():
    assert available("no-such-fund") == ()
    assert available("../fonds-pas") == ()
    with pytest.raises(LookupError):
        load_ruleset("no-such-fund", 2017)


def test_the_fonds_pas_2017_carries_the_caps_of_domain_md():
    fund = load_ruleset("fonds-pas", 2017)
    assert (fund.eligible_from, fund.eligible_until) == (dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    assert fund.report_deadline == dt.date(2018, 2, 28)
    assert [s.code for s in fund.strands] == ["A", "B", "C"]
    assert [s.personnel_cap_bp for s in fund.strands] == [1000, 10000, 1000]
    assert fund.investment_cap_cents == 50000
    assert fund.subcontractor_overhead_cap_bp == 1000
    assert fund.forbidden_categories == {"building_purchase"}
    assert fund.professional_activation_fundable is False
    assert fund.piis_subsidy_excluded_strands == {"B"}
    assert {"activities", "tickets_cheques", "personnel"} <= fund.strand("A").categories
    assert "school_costs" in fund.strand("C").categories and "school_costs" not in fund.strand("B").categories


def test_own_funds_have_no_federal_caps():
    own = load_ruleset("own-funds", 2026)
    assert own.investment_cap_cents is None and own.subcontractor_overhead_cap_bp is None
    assert [s.personnel_cap_bp for s in own.strands] == [None]
    assert own.professional_activation_fundable


def test_a_municipal_source_sets_its_own_period_and_deadline():
    city = load_ruleset("rivebelle-city", 2017)
    assert (city.eligible_from, city.eligible_until, city.report_deadline) == (
        dt.date(2017, 9, 1), dt.date(2018, 8, 31), dt.date(2018, 10, 31))


def test_rep_05_the_deadline_defaults_to_28_february_of_the_next_year():
    assert parse_ruleset(VALID, "x.toml").report_deadline == dt.date(2025, 2, 28)


def test_every_source_is_named_in_the_four_languages_by_its_files():
    for source in sources():
        for year in available(source):
            assert set(load_ruleset(source, year).names) == {"fr", "nl", "de", "en"}, (source, year)
    assert load_ruleset("fonds-pas", 2017).names["nl"] == "Fonds participatie en sociale activering"


def test_every_strand_is_named_in_the_four_languages_by_its_files():
    for source in sources():
        for year in available(source):
            for strand in load_ruleset(source, year).strands:
                assert set(strand.names) == {"fr", "nl", "de", "en"}, (source, year, strand.code)
    assert load_ruleset("fonds-pas", 2025).strand("B").names["en"] == "B – Collective social activation modules"
    assert load_ruleset("own-funds", 2026).strand("all").names["fr"] == "Toutes les dépenses d'activation"


def test_a_city_s_rule_set_is_offered_to_its_own_cpas_only_and_the_others_to_every_cpas():
    city = load_ruleset("rivebelle-city", 2017)
    assert city.cpas == "CPAS de Rivebelle"
    assert city.offered_to(["CPAS de Rivebelle", "OCMW Rivebelle"])
    assert city.offered_to(["OCMW Rivebelle", "  cpas de  RIVEBELLE "])  # any of its names, case and spaces aside
    assert not city.offered_to(["CPAS de Montfleuri", "OCMW Bloemberg"]) and not city.offered_to([])
    for source in ("fonds-pas", "own-funds"):
        assert load_ruleset(source, 2017).cpas == "" and load_ruleset(source, 2017).offered_to([])


def test_a_minimal_rule_set_gets_the_defaults():
    ruleset = parse_ruleset(VALID, "x.toml")
    assert ruleset.warn_from_bp == 9000
    assert ruleset.forbidden_categories == frozenset()
    assert ruleset.subcontractor_overhead_basis == "direct_costs"
    assert ruleset.strand("B").personnel_cap_bp == 10000
    assert ruleset.strand("Z") is None
    assert ruleset.strand("B").names == {} and ruleset.cpas == ""


@pytest.mark.parametrize("data, field", [
    (broken(year=None), "year: missing"),
    (broken(year="2024"), "year: expected a whole number"),
    (broken(year=True), "year: expected a whole number"),
    (broken(colour="red"), "colour: unknown field"),
    (broken(eligible_from="2024-01-01"), "eligible_from: expected a date"),
    (broken(eligible_from=dt.datetime(2024, 1, 1)), "eligible_from: expected a date"),
    (broken(eligible_until=dt.date(2023, 12, 31)), "eligible_until: 2023-12-31 is before"),
    (broken(report_deadline=dt.date(2024, 6, 30)), "report_deadline: 2024-06-30 is before"),
    (broken(strands={}), "strands: expected at least one"),
    (broken(strands={"B": {"categories": ["personel"]}}), "strands.B.categories: unknown categories ['personel']"),
    (broken(strands={"B": {"personnel_cap_bp": 1000}}), "strands.B.categories: missing"),
    (broken(strands={"B": {"categories": [], "cap": 1}}), "strands.B.cap: unknown field"),
    (broken(strands={"B": {"categories": [], "personnel_cap_bp": 10001}}), "strands.B.personnel_cap_bp: 10001"),
    (broken(strands={"B": {"categories": ["building_purchase"]}}, forbidden_categories=["building_purchase"]),
     "strands.B.categories: ['building_purchase'] are also forbidden"),
    (broken(investment_cap_cents=-1), "investment_cap_cents: -1 is outside"),
    (broken(investment_cap_cents=500.0), "investment_cap_cents: expected a whole number"),
    (broken(subcontractor_overhead_basis="gross"), "subcontractor_overhead_basis: 'gross' is not one of"),
    (broken(warn_from_bp=0), "warn_from_bp: 0 is outside"),
    (broken(professional_activation_fundable="no"), "professional_activation_fundable: expected true or false"),
    (broken(piis_subsidy_excluded_strands=["A"]), "piis_subsidy_excluded_strands: expected a list of this file"),
    (broken(name={"fr": "Fonds", "it": "Fondo"}), "name: expected a table of non-empty names"),
    (broken(name={"fr": " "}), "name: expected a table of non-empty names"),
    (broken(name="Fonds"), "name: expected a table of non-empty names"),
    (broken(strands={"B": {"categories": [], "name": {"xx": "B"}}}), "strands.B.name: expected a table of non-empty"),
    (broken(strands={"B": {"categories": [], "name": "Modules"}}), "strands.B.name: expected a table of non-empty"),
    (broken(strands={"B": {"categories": [], "name": {"fr": ""}}}), "strands.B.name: expected a table of non-empty"),
    (broken(cpas=12), "cpas: expected the name of the CPAS"),
    (broken(cpas="   "), "cpas: expected the name of the CPAS"),
    (broken(cpas="x" * 201), "cpas: expected the name of the CPAS"),
])
def test_a_bad_rule_set_names_the_file_and_the_field(data, field):
    with pytest.raises(RuleSetError) as error:
        parse_ruleset(data, "test-fund/2024.toml")
    assert str(error.value).startswith(f"test-fund/2024.toml: {field}")


def test_a_file_that_disagrees_with_its_name_is_refused(tmp_path, monkeypatch):
    from planner.spending import rulesets
    (tmp_path / "test-fund").mkdir()
    (tmp_path / "test-fund" / "2024.toml").write_text(
        'source = "test-fund"\nyear = 2023\neligible_from = 2023-01-01\neligible_until = 2023-12-31\n'
        '[strands.B]\ncategories = ["personnel"]\n')
    (tmp_path / "test-fund" / "2025.toml").write_text('source = "test-fund"\nyear = = 2025\n')
    monkeypatch.setattr(rulesets, "FOLDER", tmp_path)
    rulesets.load_ruleset.cache_clear()
    try:
        with pytest.raises(RuleSetError, match=r"test-fund/2024.toml: year: 2023 but the file is 2024.toml"):
            rulesets.load_ruleset("test-fund", 2024)
        with pytest.raises(RuleSetError, match=r"test-fund/2025.toml: "):
            rulesets.load_ruleset("test-fund", 2025)
    finally:
        rulesets.load_ruleset.cache_clear()


def test_the_categories_cover_strand_a_of_domain_md_and_building_purchase():
    assert len({"activities", "holidays", "trips", "phone_computer", "media_games", "education_courses",
                "fees_allowances", "tickets_cheques", "leisure"} & CATEGORIES) == 9
    assert "building_purchase" in CATEGORIES


def test_fund_01_only_a_known_ending_note_is_accepted():
    assert load_ruleset("fonds-pas", 2025).note == "abolished" and load_ruleset("fonds-pas", 2024).note == ""
    assert parse_ruleset(broken(note="abolished"), "x.toml").note == "abolished"
    with pytest.raises(RuleSetError, match="note: 'gone fishing' is not one of"):
        parse_ruleset(broken(note="gone fishing"), "x.toml")
