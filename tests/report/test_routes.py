"""The report screen (issue 16): the year's table with its checks, what is behind a figure (logged), the
qualitative answers, who is refused (both engines)."""

import datetime as dt
import html

from planner.attendance.tables import Mark
from planner.modules.tables import Session
from planner.people.tables import Beneficiary
from planner.piis.tables import AccessLog
from planner.report.tables import ReportAnswers
from tests.conftest import login, make_beneficiary, post

YEAR = 2026


def shown(response) -> str:
    return html.unescape(response.text).replace("\xa0", " ").replace("\u202f", " ")


async def marked(world, status: str = "present") -> None:
    """Zoé came to the world's SWITCH session of 7 December 2026."""
    now = dt.datetime.now(dt.timezone.utc)
    await Mark.insert(Mark(session=world.session, beneficiary=world.beneficiary, status=status, reason="",
                           device_time=now, received_at=now))


async def test_rep_07_a_coordinator_sees_the_modules_row_with_its_people_and_hours(client, world):
    await marked(world)
    await login(client, world.coordinator)
    page = shown(await client.get(f"/report/{world.rivebelle}/{YEAR}"))
    assert "Report 2026" in page and "SWITCH · Switch activation group" in page
    row = page.split(f'id="module-{world.module}"')[1].split("</tr>")[0]
    assert f'/report/{world.rivebelle}/{YEAR}/people?module={world.module}&figure=participants">1<' in row
    assert f'/report/{world.rivebelle}/{YEAR}/sessions?module={world.module}">3<' in row  # 9:30–12:30
    assert "100 %" in row
    assert "Quennevilleprivate" not in page  # names only behind a figure, never in the table


async def test_rep_07_the_people_behind_a_figure_are_listed_and_the_opening_is_logged(client, world):
    await marked(world)
    await login(client, world.administrator)
    response = await client.get(f"/report/{world.rivebelle}/{YEAR}/people?module={world.module}&figure=piis")
    assert response.status_code == 200 and "Zoé Quennevilleprivate" in shown(response)
    log = await AccessLog.select().where(AccessLog.record_kind == "report")
    assert [(r["organisation"], r["user"], r["record_id"]) for r in log] == [
        (world.rivebelle, world.administrator["id"], world.module)]
    none = shown(await client.get(f"/report/{world.rivebelle}/{YEAR}/people?module={world.module}&figure=X"))
    assert "Nobody is counted in this figure." in none


async def test_rep_07_the_sessions_behind_the_hours(client, world):
    await login(client, world.coordinator)
    page = shown(await client.get(f"/report/{world.rivebelle}/{YEAR}/sessions?module={world.module}"))
    assert "1 held session, 3 hours in all." in page and f"/roll/{world.session}/sheet" in page
    assert (await client.get(f"/roll/{world.session}/sheet")).status_code == 200  # the link leads somewhere


async def test_rep_07_an_administrator_reads_the_hours_without_links_to_sheets_they_may_not_open(client, world):
    await login(client, world.administrator)
    page = shown(await client.get(f"/report/{world.rivebelle}/{YEAR}/sessions?module={world.module}"))
    assert "1 held session, 3 hours in all." in page and "/sheet" not in page
    assert (await client.get(f"/roll/{world.session}/sheet")).status_code == 403


async def test_rep_07_a_check_that_fails_is_shown_at_the_top_with_a_link_to_the_row(client, world):
    await marked(world)
    await Session.update({Session.guests: 2}).where(Session.id == world.session)
    await login(client, world.coordinator)
    page = shown(await client.get(f"/report/{world.rivebelle}/{YEAR}"))
    checks = page.split('id="checks"')[1].split("</section>")[0]
    assert "SWITCH: men, women and X add up to 1, not to the 3 participants." in checks
    assert f'href="#module-{world.module}"' in checks


async def test_rep_07_an_empty_year_says_so(client, world):
    await login(client, world.coordinator)
    page = shown(await client.get(f"/report/{world.rivebelle}/2019"))
    assert "No collective module (strand B) had a session in 2019." in page


async def test_rep_07_the_year_picker_leads_to_the_cpas_report(client, world):
    await login(client, world.coordinator)
    response = await client.get(f"/report?cpas={world.rivebelle}&year=2024", follow_redirects=False)
    assert response.status_code in (302, 303) and response.headers["location"] == f"/report/{world.rivebelle}/2024"


async def test_rep_07_answers_are_kept_per_year_and_a_stale_save_is_refused(client, world):
    await login(client, world.coordinator)
    url = f"/report/{world.rivebelle}/{YEAR}/answers"
    values = {"objectives_reached": "Eight of eleven joined a club.", "partnerships": "Accès-Sport",
              "not_reached": "Transport in winter."}
    assert (await post(client, url, {**values, "version": "0"})).status_code == 303
    page = shown(await client.get(f"/report/{world.rivebelle}/{YEAR}"))
    assert "Eight of eleven joined a club." in page and 'name="version" value="1"' in page
    stale = await post(client, url, {**values, "objectives_reached": "Older text", "version": "0"}, htmx=True)
    assert stale.status_code == 409 and "Someone saved these answers" in shown(stale)
    assert "Older text" in shown(stale)  # what was typed is kept
    saved = await ReportAnswers.select().where(ReportAnswers.organisation == world.rivebelle)
    assert [(r["year"], r["objectives_reached"], r["version"]) for r in saved] == [
        (YEAR, "Eight of eleven joined a club.", 1)]


async def test_rep_07_a_too_long_answer_is_refused_with_422_and_kept(client, world):
    await login(client, world.coordinator)
    response = await post(client, f"/report/{world.rivebelle}/{YEAR}/answers",
                          {"objectives_reached": "x" * 4001, "version": "0"}, htmx=True)
    assert response.status_code == 422 and "Write at most 4,000 characters (this answer has 4,001)." in shown(response)
    assert "x" * 4001 in response.text
    assert await ReportAnswers.count() == 0


async def test_rep_07_other_roles_get_403_and_other_cpas_404_also_in_the_cluster(client, world, neighbour_admin):
    await marked(world)
    base = f"/report/{world.rivebelle}/{YEAR}"
    urls = [base, f"{base}/people?module={world.module}&figure=participants", f"{base}/sessions?module={world.module}"]
    for person, status in ((world.social_worker, 403), (world.facilitator, 403), (world.outsider, 404),
                           (neighbour_admin, 404)):
        await login(client, person)
        for url in urls:
            response = await client.get(url, follow_redirects=False)
            assert response.status_code == status, (person["email"], url)
            assert "Quennevilleprivate" not in response.text
        refused = await post(client, f"{base}/answers", {"objectives_reached": "x", "version": "0"})
        assert refused.status_code == status
    assert await ReportAnswers.count() == 0 and await AccessLog.count().where(AccessLog.record_kind == "report") == 0


async def test_rep_07_a_cluster_module_counts_each_cpas_own_people_on_its_own_row(client, world, neighbour_admin):
    """Rivebelle's SWITCH shared with the cluster: a Montfleuri person's attendance is on Montfleuri's report,
    not on Rivebelle's."""
    from planner.modules.tables import Module

    await Module.update({Module.cluster: world.cluster}).where(Module.id == world.module)
    await marked(world)
    guest = await make_beneficiary(neighbour_admin["cpas"], "Mona", "Montfleurie", file_reference="MF-1")
    now = dt.datetime.now(dt.timezone.utc)
    await Mark.insert(Mark(session=world.session, beneficiary=guest, status="present", reason="", device_time=now,
                           received_at=now))
    await login(client, neighbour_admin)
    page = shown(await client.get(f"/report/{neighbour_admin['cpas']}/{YEAR}"))
    row = page.split(f'id="module-{world.module}"')[1].split("</tr>")[0]
    assert "figure=participants\">1<" in row
    assert (await Beneficiary.count().where(Beneficiary.organisation == world.rivebelle)) >= 1
    await login(client, world.coordinator)
    own = shown(await client.get(f"/report/{world.rivebelle}/{YEAR}"))
    assert "figure=participants\">1<" in own.split(f'id="module-{world.module}"')[1].split("</tr>")[0]


async def test_rep_07_e1_counts_zoe_with_her_signed_piis_and_opens_her_measurements(client, world):
    """Zoé's PIIS (social activation, signed 20 November 2026) and a SWITCH attendance: E1 = 1, E2 = 0, and
    the list behind E1 says she has no measurement yet."""
    await marked(world)
    await login(client, world.coordinator)
    page = shown(await client.get(f"/report/{world.rivebelle}/{YEAR}"))
    evaluation = page.split('id="evaluation"')[1].split("</section>")[0]
    assert f'/report/{world.rivebelle}/{YEAR}/people?figure=e1">1<' in evaluation
    assert f'/report/{world.rivebelle}/{YEAR}/people?figure=e2">0<' in evaluation
    behind = shown(await client.get(f"/report/{world.rivebelle}/{YEAR}/people?figure=e1"))
    assert "Zoé Quennevilleprivate" in behind and "no measurement" in behind
    assert (await client.get(f"/report/{world.rivebelle}/{YEAR}/people?figure=e1&module={world.module}")
            ).status_code == 404


async def test_rep_07_without_a_module_the_lists_show_the_whole_year(client, world):
    await marked(world)
    await login(client, world.coordinator)
    people = shown(await client.get(f"/report/{world.rivebelle}/{YEAR}/people"))
    assert "Participants" in people and "Zoé Quennevilleprivate" in people
    sessions = shown(await client.get(f"/report/{world.rivebelle}/{YEAR}/sessions"))
    assert "Sessions of SWITCH in 2026" in sessions
    assert (await client.get(f"/report/{world.rivebelle}/{YEAR}/people?module=abc")).status_code == 404


async def test_rep_04_the_report_page_asks_for_the_years_inspection_pack(client, world):
    await login(client, world.coordinator)
    page = (await client.get(f"/report/{world.rivebelle}/{YEAR}")).text
    form = page.split(f'action="/report/{YEAR}/pack"')[1].split("</form>")[0]
    assert f'name="organisation" value="{world.rivebelle}"' in form and 'name="module"' not in form
    response = await post(client, f"/report/{YEAR}/pack", {"organisation": str(world.rivebelle)})
    assert response.status_code == 303 and response.headers["location"].startswith("/report/jobs/")
