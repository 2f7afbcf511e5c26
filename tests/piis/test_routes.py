"""The PIIS screens (issue 15): the person's PIIS page, the bilan social, the PIIS from draft to signature
and its amendments, as a social worker sees them; bad input refused with what was typed kept (both engines).
Paper (contract, scan), the access log and outsiders: tests/piis/test_paper.py."""

import datetime as dt
import html

from planner import i18n
from planner.piis.tables import BilanSocial, Piis, PiisCommitment, PiisFile, PiisVersion
from tests.conftest import login, make_beneficiary, post

D = dt.date


def shown(response) -> str:
    return html.unescape(response.text).replace("\xa0", " ").replace("\u202f", " ")


def piis_form(world, **changes) -> dict:
    form = {"type_code": "11", "orientation": "social_activation", "starts_on": "2026-12-01", "ends_on": "2027-11-30",
            "evaluation_method": "Three interviews", "subsidy_status": "none", "o0_title": "Speak Dutch at the shop",
            "o0_person_steps": "Come to SWITCH", "o0_cpas_steps": "Pays the bus pass",
            "o0_enrolment": [str(world.enrolment)]}
    return {**form, **changes}


async def test_the_person_page_shows_the_obligation_the_bilans_and_the_piis(client, world):
    await login(client, world.social_worker)
    page = shown(await client.get(f"/people/{world.beneficiary}/piis"))
    left = (D(2027, 2, 2) - i18n.today()).days
    assert f"A PIIS is needed by 2 February 2027: {left} days left." in page
    assert "10 November 2026" in page and "Sofie Worker" in page  # the bilan, its author
    assert f'href="/piis/{world.piis}"' in page and "Signed" in page and "next evaluation" in page
    assert "Quennevilleprivate" not in page.split("<title>")[1].split("</title>")[0]  # the name stays off the title
    assert f'href="/people/{world.beneficiary}/piis"' in shown(await client.get(f"/people/{world.beneficiary}"))


async def test_a_person_without_a_file_gets_the_first_steps(client, world):
    other = await make_beneficiary(world.rivebelle, "Bruno", "Neuf", file_reference="RIV-2")
    await login(client, world.social_worker)
    page = shown(await client.get(f"/people/{other}/piis"))
    assert "Record the RI decision below" in page and "Then write a bilan social" in page
    assert "A PIIS is optional." in page
    response = await post(client, f"/people/{other}/piis/file", {"ri_granted_on": "2026-11-20"})
    assert response.status_code == 303
    assert (await PiisFile.select(PiisFile.ri_granted_on).where(PiisFile.beneficiary == other).first()
            )["ri_granted_on"] == D(2026, 11, 20)
    assert "The PIIS file has been saved." in shown(await client.get(f"/people/{other}/piis"))


async def test_the_file_form_refuses_bad_dates_a_missing_reason_and_a_stale_version(client, world):
    await login(client, world.social_worker)
    url = f"/people/{world.beneficiary}/piis/file"
    for form, message in (({"version": "1", "ri_granted_on": "2026-02-30"}, "Give a real date"),
                          ({"version": "1", "ri_granted_on": "2026-11-02", "exemption": "health"}, "Say why"),
                          ({"version": "1", "ri_granted_on": "2026-11-02", "exemption": "health",
                            "exemption_note": "<b>x</b>"}, "Write plain text"),
                          ({"version": "9", "ri_granted_on": "2026-11-03"}, "Someone changed this")):
        response = await post(client, url, form)
        assert response.status_code == 422 and message in shown(response), form
        assert f'value="{form["ri_granted_on"]}"' in response.text
    assert (await PiisFile.select(PiisFile.version, PiisFile.ri_granted_on).where(
        PiisFile.beneficiary == world.beneficiary).first()) == {"version": 1, "ri_granted_on": D(2026, 11, 2)}
    response = await post(client, url, {"version": "1", "ri_granted_on": "2026-11-02", "exemption": "health",
                                        "exemption_note": "Long illness"})
    assert response.status_code == 303
    assert "the person is exempt (exempt for health reasons)" in shown(await client.get(
        f"/people/{world.beneficiary}/piis"))


async def test_a_bilan_social_offers_the_13_domains_and_is_saved_by_its_author(client, world):
    await login(client, world.social_worker)
    page = shown(await client.get(f"/people/{world.beneficiary}/bilans/new"))
    assert page.count('name="domain"') == 13 and "Work and training" in page and "Taking part in society" in page
    response = await post(client, f"/people/{world.beneficiary}/bilans/new", {
        "day": "2026-11-25", "domain": ["huisvesting", "sociaal_netwerk"], "note_huisvesting": "Lives with her sister",
        "needs": "A quiet place", "own_goals": "Ik wil werken", "investigation_reference": "EN-2026-14"})
    assert response.status_code == 303
    bilan = (await BilanSocial.select().order_by(BilanSocial.id, ascending=False).first())
    assert response.headers["location"] == f"/bilans/{bilan['id']}" and bilan["author"] == world.social_worker["id"]
    page = shown(await client.get(response.headers["location"]))
    assert "Housing" in page and "Lives with her sister" in page and "Social network" in page
    assert "Ik wil werken" in page and "EN-2026-14" in page and "Sofie Worker" in page


async def test_a_bad_bilan_is_refused_with_what_was_typed_kept_and_nothing_written(client, world):
    await login(client, world.social_worker)
    before = await BilanSocial.count()
    url = f"/people/{world.beneficiary}/bilans/new"
    for form, message in (({"day": "2026-02-30", "domain": ["justitie"]}, "Give a real date"),
                          ({"day": "2026-11-25"}, "Tick at least one domain"),
                          ({"day": "2199-01-01", "domain": ["justitie"]}, "not later"),
                          ({"day": "2026-11-25", "domain": ["justitie"], "needs": "<script>x</script>"},
                           "Write plain text")):
        response = await post(client, url, {**form, "strengths": "Kept strength"}, htmx=True)
        assert response.status_code == 422 and message in shown(response), form
        assert "Kept strength" in shown(response) and "<script>x" not in response.text
    assert await BilanSocial.count() == before


async def test_a_piis_from_draft_to_signature_with_the_persons_modules_as_commitments(client, world):
    await login(client, world.social_worker)
    page = shown(await client.get(f"/people/{world.beneficiary}/piis/new"))
    assert "11 · General PIIS (work or social life)" in page and "12 · General PIIS" not in page  # ended in 2018
    assert f'name="o0_enrolment" value="{world.enrolment}"' in page and "SWITCH · Switch activation group" in page
    assert "without a new bilan social" in page  # PIIS-12 explained next to the field
    response = await post(client, f"/people/{world.beneficiary}/piis/new", piis_form(world))
    assert response.status_code == 303
    piis = (await Piis.select().order_by(Piis.id, ascending=False).first())
    assert response.headers["location"] == f"/piis/{piis['id']}" and piis["status"] == "draft"
    assert [c["enrolment"] for c in await PiisCommitment.select().where(PiisCommitment.piis == piis["id"])] == [
        world.enrolment]
    url = f"/piis/{piis['id']}"
    assert (await post(client, url, piis_form(world, version="1", assisted_by="Her sister Lina"))).status_code == 303
    assert (await post(client, f"{url}/propose", {"version": "2", "proposed_on": "2026-11-26"})).status_code == 303
    early = await post(client, f"{url}/sign", {"version": "3", "signed_on": "2026-11-28"})
    assert early.status_code == 422 and "5 days to think before signing" in shown(early)
    signed = await post(client, f"{url}/sign", {"version": "3", "signed_on": "2026-11-28", "waived": "1"})
    assert signed.status_code == 303
    page = shown(await client.get(url))
    assert "Her sister Lina" in page and "signed on 28 November 2026" in page and "Evaluation 1" in page
    assert "Version 1 · 28 November 2026" in page and "The version first signed." in page


async def test_a_late_signature_asks_to_tick_that_the_warning_was_read(client, world):
    await login(client, world.social_worker)
    response = await post(client, f"/people/{world.beneficiary}/piis/new",
                          piis_form(world, starts_on="2027-03-01", ends_on="2028-02-28"))
    url = response.headers["location"]
    await post(client, f"{url}/propose", {"version": "1", "proposed_on": "2027-02-20"})
    warned = await post(client, f"{url}/sign", {"version": "2", "signed_on": "2027-03-01"}, htmx=True)
    assert warned.status_code == 422
    assert "Signed 3 months after the RI decision of 02 Nov 2026" in shown(warned)
    assert "I have read this and want to sign anyway" in shown(warned)
    assert (await post(client, f"{url}/sign", {"version": "2", "signed_on": "2027-03-01", "go_on": "1"})
            ).status_code == 303


async def test_bad_piis_input_is_refused_with_what_was_typed_kept_and_nothing_written(client, world):
    other = await make_beneficiary(world.rivebelle, "Bruno", "Autre", file_reference="RIV-3")
    from planner.enrolment.tables import Enrolment
    theirs = (await Enrolment.insert(Enrolment(module=world.module, beneficiary=other, organisation=world.rivebelle,
                                               status="enrolled", proposed_at=dt.datetime.now(dt.timezone.utc)))
              .returning(Enrolment.id))[0]["id"]
    await login(client, world.social_worker)
    url = f"/people/{world.beneficiary}/piis/new"
    many = {f"o{n}_title": f"Objective {n}" for n in range(1, 201)}
    before = (await Piis.count(), await PiisCommitment.count())
    for form, message in ((piis_form(world, ends_on="2027-02-30"), "Give a real date"),
                          (piis_form(world, ends_on="2026-11-01"), "The PIIS must end after it starts."),
                          (piis_form(world, **many), "At most 20 objectives"),
                          (piis_form(world, o0_person_steps="<img src=x onerror=alert(1)>"), "Write plain text"),
                          (piis_form(world, o0_enrolment=[str(theirs)]), "Choose modules from this person's list"),
                          (piis_form(world, type_code="12"), "This PIIS type cannot be used on 01 Dec 2026"),
                          (piis_form(world, subsidy_status="prolongation"), "needs its written motivation"),
                          (piis_form(world, orientation="sanction"), "Choose an orientation"),
                          (piis_form(world, subsidy_status="prolongation", subsidy_motivation="More time",
                                     subsidy_months="12"), "A prolongation follows a first grant"),
                          (piis_form(world, subsidy_status="first_grant", subsidy_months="30"),
                           "The 10 % subsidy runs 24 months at most")):
        response = await post(client, url, form, htmx=True)
        assert response.status_code == 422 and message in shown(response), message
        assert "Speak Dutch at the shop" in shown(response) and "<img src=x" not in response.text
    assert (await Piis.count(), await PiisCommitment.count()) == before
    added = await post(client, url, piis_form(world, action="add"), htmx=True)
    assert added.status_code == 200 and 'name="o2_title"' in added.text and 'name="o3_title"' not in added.text
    assert (await Piis.count(), await PiisCommitment.count()) == before


async def test_an_amendment_is_a_new_version_whose_changes_show_in_plain_words(client, world):
    await login(client, world.social_worker)
    url = f"/piis/{world.piis}"
    form = piis_form(world, version="3", starts_on="2026-11-20", ends_on="2028-05-31",
                     o0_title="Take part in a group every week", o0_person_steps="Come to SWITCH twice a week")
    missing = await post(client, f"{url}/amend", {**form, "agreed_on": "2026-11-29"}, htmx=True)
    assert missing.status_code == 422 and "Say what was agreed and why." in shown(missing)
    response = await post(client, f"{url}/amend", {**form, "agreed_on": "2026-11-29", "reason": "She asked for more"})
    assert response.status_code == 303
    assert [v["number"] for v in await PiisVersion.select().where(PiisVersion.piis == world.piis)] == [1, 2]
    page = shown(await client.get(url))
    assert "Version 2 · 29 November 2026" in page and "She asked for more" in page
    assert "End" in page and "19 Nov 2027" in page and "31 May 2028" in page
    assert "Objective 1: the person's steps" in page and "Come to SWITCH twice a week" in page
    assert "10 % subsidy" in page and "{}" not in page  # a literal % in a template message is written %%
    draft_edit = await post(client, url, {**form, "reason": "x"})  # a signed PIIS changes only by amendment
    assert draft_edit.status_code == 422 and "Someone changed this" in shown(draft_edit)
