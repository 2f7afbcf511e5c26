"""The coordinator's desk (issue 18): what waits, counted per kind, each count linking to exactly those items;
another CPAS's items are never counted; facilitators and social workers land elsewhere."""

from __future__ import annotations

import datetime as dt
import re

from planner import i18n
from planner.enrolment.tables import Enrolment
from planner.invites.tables import OutboxMail
from planner.modules.tables import Module, Session
from planner.spending.tables import Expense
from tests.conftest import login, make_beneficiary

NOW = dt.datetime.now(dt.timezone.utc)


async def _module(org: int, code: str, capacity: int = 8) -> int:
    return (await Module.insert(Module(
        organisation=org, code=code, title=f"{code} group", module_type="activation_group", strand="B",
        aim="social_activation", composition="mixed", capacity=capacity, minimum_size=1, languages="fr",
    )).returning(Module.id))[0]["id"]


async def _enrol(module: int, person: int, org: int, status: str) -> int:
    return (await Enrolment.insert(Enrolment(module=module, beneficiary=person, organisation=org, status=status,
                                             proposed_at=NOW, queued_at=NOW)).returning(Enrolment.id))[0]["id"]


async def _expense(org: int, creator: int, supplier: str) -> int:
    return (await Expense.insert(Expense(
        organisation=org, day=dt.date(2026, 11, 2), supplier=supplier, category="operating",
        amount_excl_vat_cents=5_000, vat_cents=1_050, status="invoiced", activity="", invoice_reference="F-1",
        warnings="", version=1, created_by=creator, created_at=NOW, updated_by=creator, updated_at=NOW,
    )).returning(Expense.id))[0]["id"]


async def _failed_mail(org: int) -> None:
    await OutboxMail.insert(OutboxMail(
        organisation=org, kind="reminder", to_address="x@mail.example", language="fr", subject="Rappel",
        message_id=f"<failed-{org}@test>", message="Subject: Rappel\n\nBonjour", status="failed",
        next_attempt_at=NOW, last_error="550", created_at=NOW))


async def make_desk(world) -> dict:
    """For Rivebelle: a proposal (Omar), a place free in SWITCH with Léa waiting, a module without facilitator
    meeting today, a mail given up, an invoice without its scan; the same kinds for CPAS d'Ailleurs."""
    omar = await make_beneficiary(world.rivebelle, "Omar", "Haddad", gender="M", file_reference="RIV-2")
    lea = await make_beneficiary(world.rivebelle, "Léa", "Waiting", file_reference="RIV-3")
    await _enrol(world.module, omar, world.rivebelle, "proposed")
    await _enrol(world.module, lea, world.rivebelle, "waitlisted")
    lonely = await _module(world.rivebelle, "ALONE")
    await Session.insert(Session(module=lonely, day=i18n.today(), starts_at=dt.time(23, 0), ends_at=dt.time(23, 30)))
    await _failed_mail(world.rivebelle)
    await _expense(world.rivebelle, world.coordinator["id"], "Papeterie Sambre")
    # CPAS d'Ailleurs: the same kinds of things, none of them Rivebelle's business
    theirs = await _module(world.elsewhere, "AILL", capacity=1)
    await _enrol(theirs, world.outsider_beneficiary, world.elsewhere, "proposed")
    await Session.insert(Session(module=theirs, day=i18n.today(), starts_at=dt.time(23, 0), ends_at=dt.time(23, 30)))
    await _failed_mail(world.elsewhere)
    await _expense(world.elsewhere, world.outsider["id"], "Fournitures Ailleurs")
    return {"omar": omar, "lonely": lonely, "theirs": theirs}


def desk_links(html: str) -> dict[str, str]:
    """The desk's rows: link -> its words."""
    section = html.split('id="desk"', 1)[1].split("</section>", 1)[0]
    return {href: " ".join(re.sub(r"<[^>]+>", " ", words).split())
            for href, words in re.findall(r'<a href="([^"]+)">(.*?)</a>', section, re.S)}


async def test_the_coordinator_sees_each_kind_with_its_count_and_link(client, world):
    await make_desk(world)
    await login(client, world.coordinator)
    links = desk_links((await client.get("/")).text)
    assert links["/desk/proposals"] == "1 proposal waits for your decision"
    assert links["/desk/waitlists"] == "1 module has a free place and people waiting"
    assert links["/desk/sessions"] == "1 session this week without a facilitator or with a room taken twice"
    assert links["/outbox?status=failed"] == "1 mail not delivered"
    assert links["/desk/invoices"] == "1 invoice without a scan"
    assert links["/volunteering"] == "1 day of volunteering hours to approve"  # the world's pending day


async def test_each_link_opens_exactly_those_items(client, world):
    made = await make_desk(world)
    await login(client, world.coordinator)
    proposals = (await client.get("/desk/proposals")).text
    assert "Haddad, Omar" in proposals and "Fremdling" not in proposals
    assert f'href="/modules/{world.module}#roster"' in proposals
    sessions = (await client.get("/desk/sessions")).text
    assert f'href="/modules/{made["lonely"]}#sessions"' in sessions and "no facilitator" in sessions
    assert f'/modules/{made["theirs"]}' not in sessions and "SWITCH" not in sessions  # SWITCH has Fred
    waitlists = (await client.get("/desk/waitlists")).text
    assert "1 place free" in waitlists and "1 person waiting" in waitlists
    invoices = (await client.get("/desk/invoices")).text
    assert "Papeterie Sambre" in invoices and "Fournitures Ailleurs" not in invoices
    assert "Papeterie Meuse" not in invoices  # its scan is there
    failed = (await client.get("/outbox?status=failed")).text
    assert failed.count(">550<") == 1  # the error cell, not "550" inside a token or an id


async def test_another_cpas_counts_only_its_own(client, world):
    await make_desk(world)
    await login(client, world.outsider)
    links = desk_links((await client.get("/")).text)
    assert links["/desk/proposals"] == "1 proposal waits for your decision"
    assert links["/outbox?status=failed"] == "1 mail not delivered"
    assert links["/desk/invoices"] == "1 invoice without a scan"
    assert "/volunteering" not in links and "/desk/waitlists" not in links  # AILL is full, nobody waits
    assert "Haddad" not in (await client.get("/desk/proposals")).text


async def test_a_room_taken_twice_this_week_is_on_the_desk(client, world):
    other = await _module(world.rivebelle, "TWICE")
    from planner.modules.tables import ModuleFacilitator

    await ModuleFacilitator.insert(ModuleFacilitator(module=other, user=world.facilitator["id"]))
    for module in (world.module, other):
        await Session.insert(Session(module=module, day=i18n.today(), starts_at=dt.time(23, 0),
                                     ends_at=dt.time(23, 30), room=world.room))
    await login(client, world.coordinator)
    links = desk_links((await client.get("/")).text)
    assert links["/desk/sessions"].startswith("2 sessions this week")
    assert (await client.get("/desk/sessions")).text.count("room taken twice") == 2


async def test_nothing_waits_says_so(client, world):
    await login(client, world.outsider)
    assert "Nothing waits for you." in (await client.get("/")).text


async def test_facilitators_land_on_today_and_social_workers_on_their_people(client, world):
    await login(client, world.facilitator)
    assert (await client.get("/", follow_redirects=False)).headers["location"] == "/today"
    await login(client, world.social_worker)
    assert (await client.get("/", follow_redirects=False)).headers["location"] == "/people"


async def test_an_unknown_list_is_404_and_others_may_not_open_the_lists(client, world):
    await login(client, world.coordinator)
    assert (await client.get("/desk/anything")).status_code == 404
    await login(client, world.social_worker)
    assert (await client.get("/desk/proposals")).status_code == 403


async def test_a_budget_line_near_its_limit_is_on_the_desk_with_its_budget(client, world):
    from planner.spending import actions
    from planner.spending.tables import ExpenseShare, InvoiceScan

    year = i18n.today().year
    await actions.set_grant(world.rivebelle, "own-funds", year, "all", 6_500, world.coordinator["id"])  # 93 % used
    expense = await _expense(world.rivebelle, world.coordinator["id"], "Sport shop")  # 60.50 € incl. VAT
    await Expense.update({Expense.day: dt.date(year, 3, 2)}).where(Expense.id == expense)
    await InvoiceScan.insert(InvoiceScan(expense=expense, file_name="f.pdf", media_type="application/pdf", size=1,
                                         sha256="0", content=b"%", uploaded_by=world.coordinator["id"], uploaded_at=NOW))
    await ExpenseShare.insert(ExpenseShare(expense=expense, source="own-funds", year=year, strand="all",
                                           share_bp=10_000, excl_vat_cents=5_000, incl_vat_cents=6_050))  # as saved
    await login(client, world.coordinator)
    links = desk_links((await client.get("/")).text)
    assert "/desk/invoices" not in links  # its scan is there
    href = f"/spending?cpas={world.rivebelle}&amp;year={year}"
    assert links[href] == "1 budget line near or over its limit"
    await login(client, world.outsider)
    assert "budget line" not in (await client.get("/")).text


async def test_a_late_piis_evaluation_is_counted_for_the_coordinator_without_names(client, world):
    from planner.piis.tables import Evaluation

    await Evaluation.update({Evaluation.planned_on: i18n.today() - dt.timedelta(days=3)}).where(
        Evaluation.id == world.evaluation)
    await login(client, world.coordinator)
    home = (await client.get("/")).text
    links = desk_links(home)
    assert links[f"/piis/due/counts?cpas={world.rivebelle}"] == "1 PIIS evaluation due or late"
    assert "Quennevilleprivate" not in home
    assert (await client.get(f"/piis/due/counts?cpas={world.rivebelle}")).status_code == 200
    await login(client, world.outsider)
    assert "PIIS evaluation" not in (await client.get("/")).text
