"""A person's measurements, progress chart and the end of their PIIS (issue 15; domain.md §4.3 E2, §5), on both
engines: who may, what they see, hostile input."""

import datetime as dt
import html
import re

import pytest

from planner.piis.actions.instruments import sync_builtin_instruments
from planner.piis.actions.measurements import record_measurement
from planner.piis.tables import AccessLog, Evaluation, Instrument, Measurement, Outcome, Piis
from tests.conftest import login, post
from tests.piis.test_actions import signed_switch_piis

D = dt.date


def shown(response) -> str:
    return html.unescape(response.text).replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
async def ladder(world) -> int:
    await sync_builtin_instruments()
    return (await Instrument.select(Instrument.id).where(Instrument.code == "participation_ladder").first())["id"]


async def instrument_id(code: str) -> int:
    return (await Instrument.select(Instrument.id).where(Instrument.code == code).first())["id"]


async def test_a_measurement_shows_the_earlier_answer_beside_each_question_and_is_logged(client, world, ladder):
    await record_measurement(world.rivebelle, world.beneficiary, ladder, D(2026, 9, 7), "start", {"": 2},
                             world.social_worker["id"])
    await login(client, world.social_worker)
    page = shown(await client.get(f"/people/{world.beneficiary}/measurements/new?instrument={ladder}"))
    assert "Participation ladder" in page and "Last time: <strong>2 · Social contacts outside home</strong>" in page
    assert page.count('type="radio" name="score-"') == 6 and 'class="level was"' in page
    assert await AccessLog.count().where((AccessLog.record_kind == "measurements")
                                         & (AccessLog.beneficiary == world.beneficiary)) == 1
    response = await post(client, f"/people/{world.beneficiary}/measurements/new",
                          {"instrument": str(ladder), "measured_on": "2026-11-02", "context": "interim", "score-": "3"})
    assert response.status_code == 303 and response.headers["location"] == f"/people/{world.beneficiary}/progress"
    row = await Measurement.select().where(Measurement.measured_on == D(2026, 11, 2)).first()
    assert (row["scores"], row["context"], row["measured_by"]) == ('{"": 3}', "interim", world.social_worker["id"])


async def test_the_zrm_asks_one_level_for_each_of_its_13_domains(client, world, ladder):
    zrm = await instrument_id("zrm")
    await login(client, world.social_worker)
    page = shown(await client.get(f"/people/{world.beneficiary}/measurements/new?instrument={zrm}"))
    assert page.count("<fieldset") == 13 and "Work and training" in page and page.count('type="radio"') == 65
    form = {"instrument": str(zrm), "measured_on": "2026-11-02", "context": "start",
            **{f"score-{code}": "3" for code in re.findall(r'name="score-(\w+)" value="1"', page)}}
    assert (await post(client, f"/people/{world.beneficiary}/measurements/new", form)).status_code == 303


@pytest.mark.parametrize("change,field", [
    ({"score-": "9"}, 'id="e-score-"'),  # a level 9 on a ladder of 6
    ({"score-": "-1"}, 'id="e-score-"'),
    ({"score-financien": "3"}, "This form does not match the instrument"),  # a domain of the ZRM
    ({"context": "whenever"}, 'id="e-context"'),
    ({"measured_on": "2026-02-30"}, 'id="e-measured_on"'),
    ({"measured_on": "2199-01-01"}, "The date is in the future."),
])
async def test_hostile_measurements_are_refused_with_the_form_kept_and_nothing_saved(client, world, ladder, change,
                                                                                      field):
    await login(client, world.social_worker)
    form = {"instrument": str(ladder), "measured_on": "2026-11-02", "context": "interim", "score-": "3", **change}
    response = await post(client, f"/people/{world.beneficiary}/measurements/new", form, htmx=True)
    assert response.status_code == 422 and field in response.text and 'id="measure"' in response.text
    assert "<html" not in response.text  # the block, swapped in place
    assert await Measurement.count() == 0


async def test_another_cpas_instrument_is_not_one_to_measure_with(client, world, ladder):
    own = (await Instrument.insert(Instrument(organisation=world.elsewhere, code="own_1", names='{"fr": "Secret"}',
                                              scale="ordinal", low=1, high=3, domains="[]",
                                              levels='[{"level": 1, "names": {"fr": "a"}}]')
                                   ).returning(Instrument.id))[0]["id"]
    await login(client, world.social_worker)
    assert (await client.get(f"/people/{world.beneficiary}/measurements/new?instrument={own}")).status_code == 404
    response = await post(client, f"/people/{world.beneficiary}/measurements/new",
                          {"instrument": str(own), "measured_on": "2026-11-02", "context": "start", "score-": "1"})
    assert response.status_code == 422 and "Secret" not in response.text and await Measurement.count() == 0


async def test_the_progress_chart_has_one_point_per_measurement_and_the_table_the_same_figures(client, world, ladder):
    me = world.social_worker["id"]
    for day, context, level in ((D(2025, 9, 7), "start", 1), (D(2025, 12, 31), "31dec", 2),
                                (D(2026, 6, 1), "interim", 3), (D(2026, 11, 20), "end", 4)):
        await record_measurement(world.rivebelle, world.beneficiary, ladder, day, context, {"": level}, me)
    await login(client, world.social_worker)
    page = shown(await client.get(f"/people/{world.beneficiary}/progress?year=2026"))
    assert page.count('class="chart-point"') == 4
    figures = re.findall(r'<td class="figure">([^<]*)</td>', page)
    assert figures == ["1", "2", "3", "4"]
    # 2 on 31/12 → 4 at the end; Zoé's placement started in October 2026 (E2c)
    assert "Progress in 2026:</strong> towards a socio-professional path · volunteering." in page
    assert "<script" not in page.split("<main")[1] and "style=" not in page
    page = shown(await client.get(f"/people/{world.beneficiary}/progress?year=2025"))
    assert "Progress in 2025:</strong> reinforced autonomy." in page
    assert await AccessLog.count().where(AccessLog.record_kind == "measurements") == 2


async def test_e2_ending_a_piis_records_its_outcomes_and_a_primary_one(client, world, ladder):
    piis = await signed_switch_piis(world)
    version = (await Piis.select(Piis.version).where(Piis.id == piis).first())["version"]
    await login(client, world.social_worker)
    page = shown(await client.get(f"/people/{world.beneficiary}/progress"))
    assert f'action="/piis/{piis}/end"' in page
    response = await post(client, f"/piis/{piis}/end", {"version": str(version), "ended_on": "2017-11-30",
                                                         "flags": ["volunteering", "autonomy"], "primary": "volunteering"})
    assert response.status_code == 303
    row = await Piis.select(Piis.status, Piis.ends_on).where(Piis.id == piis).first()
    assert row == {"status": "ended", "ends_on": D(2018, 2, 9)}  # the agreed end stays; the real one is the outcome's
    outcome = await Outcome.select().where(Outcome.piis == piis).first()
    assert (outcome["ended_on"], outcome["flags"], outcome["primary"]) == (D(2017, 11, 30), "autonomy,volunteering",
                                                                          "volunteering")
    assert await Evaluation.count().where((Evaluation.piis == piis) & (Evaluation.planned_on > D(2017, 11, 30))) == 0
    page = shown(await client.get(f"/people/{world.beneficiary}/progress?year=2017"))
    assert "Ended on 30 November 2017." in page and "Main outcome: volunteering." in page
    again = await post(client, f"/piis/{piis}/end", {"version": str(version + 1), "ended_on": "2017-12-01",
                                                      "primary": "none"}, htmx=True)
    assert again.status_code == 422 and await Outcome.count() == 1  # ended already


@pytest.mark.parametrize("form,field", [
    ({"flags": ["autonomy"], "primary": "none"}, "The main outcome is one of those ticked"),
    ({"primary": "employment"}, "The main outcome is one of those ticked"),
    ({"flags": ["sanction"], "primary": "sanction"}, "Choose outcomes from the list."),
    ({"ended_on": "2017-01-01", "primary": "none"}, "The end date is before the PIIS started."),
    ({"ended_on": "31/12/2017", "primary": "none"}, "Give the end date as a day"),
])
async def test_e2_an_impossible_outcome_is_refused_and_the_piis_keeps_running(client, world, ladder, form, field):
    piis = await signed_switch_piis(world)
    version = (await Piis.select(Piis.version).where(Piis.id == piis).first())["version"]
    await login(client, world.social_worker)
    response = await post(client, f"/piis/{piis}/end", {"version": str(version), "ended_on": "2017-11-30", **form},
                          htmx=True)
    assert response.status_code == 422 and field in shown(response) and 'id="piis"' in response.text
    assert (await Piis.select(Piis.status).where(Piis.id == piis).first())["status"] == "signed"
    assert await Outcome.count() == 0


async def test_coordinators_facilitators_and_other_cpas_never_see_a_persons_progress(client, world, ladder,
                                                                                     neighbour_worker):
    await record_measurement(world.rivebelle, world.beneficiary, ladder, D(2026, 9, 7), "start", {"": 2},
                             world.social_worker["id"])
    piis = await signed_switch_piis(world)
    urls = [f"/people/{world.beneficiary}/progress", f"/people/{world.beneficiary}/measurements/new?instrument={ladder}"]
    # 404, not 403: without the role, one learns nothing, not even that such pages exist (piis/access.py)
    for person, refused in ((world.coordinator, 404), (world.facilitator, 404), (world.outsider, 404),
                            (neighbour_worker, 404)):
        await login(client, person)
        for url in urls:
            response = await client.get(url)
            assert response.status_code == refused and "Quennevilleprivate" not in response.text, (person, url)
        response = await post(client, f"/people/{world.beneficiary}/measurements/new",
                              {"instrument": str(ladder), "measured_on": "2026-11-02", "context": "start", "score-": "3"})
        assert response.status_code == refused
        response = await post(client, f"/piis/{piis}/end", {"version": "9", "ended_on": "2017-11-30", "primary": "none"})
        assert response.status_code == refused
    assert await Measurement.count() == 1 and await Outcome.count() == 0
    assert await AccessLog.count().where(AccessLog.record_kind == "measurements") == 0


async def test_the_empowerment_questionnaire_shows_its_mean_per_dimension_5_3(client, world, ladder):
    empowerment = await instrument_id("empowerment")
    me = world.social_worker["id"]
    scores = {"can_do": 2, "solve": 3, "choose": 4, "ask_help": 4, "belong": 1, "speak_up": 2}
    await record_measurement(world.rivebelle, world.beneficiary, empowerment, D(2026, 3, 1), "start", scores, me)
    await login(client, world.social_worker)
    page = shown(await client.get(f"/people/{world.beneficiary}/progress?year=2026"))
    table = page.split("Empowerment questionnaire")[-1]
    assert '<th scope="col">Self-efficacy</th><th scope="col">Control over one\'s life</th><th scope="col">Taking part</th>' in table
    assert '<td class="dimension">2.5</td><td class="dimension">4</td><td class="dimension">1.5</td>' in table


async def test_a_trajectory_ended_on_a_socio_professional_path_counts_as_e2a(client, world, ladder):
    """§4.3 E2a: a referral to a socio-professional programme, recorded as the outcome of an ended PIIS, makes
    the year's progress count towards a socio-professional path even below the ladder's level 4."""
    from planner.piis.actions.measurements import end_piis
    from planner.piis.queries import person_progress

    me = world.social_worker["id"]
    await Piis.update({Piis.starts_on: D(2025, 1, 6)}).where(Piis.id == world.piis)  # an earlier PIIS, ended in 2026
    await record_measurement(world.rivebelle, world.beneficiary, ladder, D(2026, 1, 10), "start", {"": 2}, me)
    await record_measurement(world.rivebelle, world.beneficiary, ladder, D(2026, 11, 25), "end", {"": 3}, me)
    [before] = await person_progress(world.rivebelle, world.beneficiary, 2026, "en")
    assert "socio_pro" not in before["progress"].flags and "autonomy" in before["progress"].flags
    version = (await Piis.select(Piis.version).where(Piis.id == world.piis).first())["version"]
    saved = await end_piis(world.piis, version, D(2026, 11, 28), ["socio_pro"], "socio_pro", me)
    assert saved.id is not None
    [after] = await person_progress(world.rivebelle, world.beneficiary, 2026, "en")
    assert "socio_pro" in after["progress"].flags and after["progress"].primary == "socio_pro"
