"""The expense list of a year (issue 14): what a row shows, the filters, the pages, and the budget's figures
opening the expenses behind them with the same total (both engines)."""

import datetime as dt
import html
import re

from planner import i18n
from planner.spending import actions, queries
from planner.spending.actions import ExpenseInput, ShareInput, StaffTimeInput
from planner.spending.tables import Expense
from tests.conftest import login
from tests.spending.test_actions import sport_invoice
from tests.spending.test_routes import shown


def money(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


async def sport_year(world) -> dict:
    """Strand B of 2017 with SPORT's invoice (committed, €720 charged), a paid operating invoice split between
    strand B and own funds, and a staff member's time (personnel, counted as spent)."""
    await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "B", 5_000_000, world.coordinator["id"])
    sport = await actions.record_expense(world.rivebelle, sport_invoice(partner=world.partner, supplier=""),
                                         world.coordinator["id"])
    paper = await actions.record_expense(world.rivebelle, ExpenseInput(
        day=dt.date(2017, 9, 4), category="operating", amount_excl_vat_cents=10_001, vat_cents=2_100, status="paid",
        supplier="=HYPERLINK(\"http://x\")", module=world.module, invoice_reference="+32-REF",
        shares=(ShareInput("fonds-pas", 2017, "B", 6_000), ShareInput("own-funds", 2017, "all", 4_000))),
        world.coordinator["id"])
    staff = await actions.record_staff_time(world.rivebelle, StaffTimeInput(
        "Nadia Staff", 4_000_000, 10_000, 5_000, dt.date(2017, 1, 1), dt.date(2017, 12, 31), "fonds-pas", 2017, "B"),
        world.coordinator["id"])
    assert sport.id and paper.id and staff.id
    return {"sport": sport.id, "paper": paper.id}


def figure_links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="(/spending/expenses\?[^"]*source=fonds-pas[^"]*)"', page)]


async def test_each_budget_figure_opens_the_expenses_behind_it_with_the_same_total(client, world):
    await sport_year(world)
    [line] = [l["line"] for l in await queries.budget(world.rivebelle, 2017) if l["strand"] == "B"]
    await login(client, world.coordinator)
    budget = (await client.get(f"/spending?year=2017&cpas={world.rivebelle}")).text
    links = figure_links(budget)
    committed = next(u for u in links if "status=unpaid" in u)
    spent = next(u for u in links if "status=paid" in u)
    personnel = next(u for u in links if "category=personnel" in u)
    for url, cents, supplier in ((committed, line.committed_cents, "Accès-Sport Rivebelle"),
                                 (spent, line.spent_cents, "=HYPERLINK"), (personnel, line.caps[0].used_cents, None)):
        page = shown(await client.get(url))
        total = re.search(r"Total charged: (€[\d,.]+)", page).group(1)
        assert total == money(f"€{cents / 100:,.2f}"), (url, total, cents)
        if supplier:
            assert supplier in page
    assert line.committed_cents == 72_000 and line.spent_cents > 6_000  # €60.00 of the paper + staff time
    spent_page = shown(await client.get(spent))
    assert "of which staff time" in spent_page and "Accès-Sport" not in spent_page
    assert 'href="/spending/expenses?cpas=%d&amp;year=2017"' % world.rivebelle in budget  # all expenses of the year
    assert "/spending/expenses/new?" in budget and "/spending/expenses.xlsx?" in budget


async def test_a_row_shows_amounts_per_locale_the_shares_the_scan_and_who_went_past_a_warning(client, world):
    ids = await sport_year(world)
    await actions.attach_invoice(ids["paper"], "f.pdf", b"%PDF-1.4\n", world.coordinator["id"])
    await Expense.update({Expense.warnings: "COST-01", Expense.warned_by: world.coordinator["id"]}).where(
        Expense.id == ids["paper"])
    await login(client, world.coordinator)
    page = shown(await client.get(f"/spending/expenses?year=2017&cpas={world.rivebelle}"))
    assert page.index("=HYPERLINK") < page.index("Accès-Sport Rivebelle")  # newest first
    assert "Operating costs" in page and "Subcontracting" in page and "€100.01" in page and "€21.00" in page
    assert "€121.01" in page and "Own funds · all · 40 %" in page and "· B · 60 %" in page and "SWITCH" in page
    assert ">scan<" in page and "warning (COST-01), saved by Carl Coordinator" in page
    assert "+32-REF" in page
    await client.post("/language", data={"language": "fr"}, headers={"x-csrftoken": client.cookies["csrftoken"]})
    page = shown(await client.get(f"/spending/expenses?year=2017&cpas={world.rivebelle}"))
    assert "100,01 €" in page or "€ 100,01" in page


async def test_filters_and_pages_keep_each_other(client, world):
    now = dt.datetime.now(dt.timezone.utc)
    await Expense.insert(*[Expense(
        organisation=world.rivebelle, day=dt.date(2019, 1, 1) + dt.timedelta(days=i), supplier=f"Supplier {i:03d}",
        category="operating" if i % 2 else "investment", amount_excl_vat_cents=100 * i, vat_cents=0,
        status="paid", activity="", invoice_reference="", warnings="", version=1, created_at=now, updated_at=now)
        for i in range(1, 131)])
    await login(client, world.administrator)
    first = shown(await client.get(f"/spending/expenses?year=2019&cpas={world.rivebelle}&category=operating"))
    assert len(re.findall(r"Supplier \d{3}", first)) == 50 and "Supplier 129" in first and "Supplier 130" not in first
    assert "Previous page" not in first
    following = html.unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
    assert "category=operating" in following and "page=2" in following and "year=2019" in following
    second = shown(await client.get(following))
    assert len(re.findall(r"Supplier \d{3}", second)) == 15 and "Supplier 001" in second and "Next page" not in second
    assert 'rel="prev"' in second
    empty = shown(await client.get(f"/spending/expenses?year=2019&cpas={world.rivebelle}&status=unpaid"))
    assert "No expense matches these filters in 2019." in empty
    next_year = i18n.today().year + 1  # the last year a page may be asked for (web.url_year_range)
    assert f"No expense recorded for {next_year} yet." in shown(await client.get(f"/spending/expenses?year={next_year}"))


async def test_an_htmx_filter_swaps_the_list_block_only(client, world):
    await login(client, world.coordinator)
    response = await client.get("/spending/expenses?year=2025", headers={"hx-request": "true"})
    assert response.status_code == 200 and 'id="expenses"' in response.text and "Papeterie Meuse" in response.text
    assert not response.text.lstrip().lower().startswith("<!doctype")


async def test_the_list_reads_a_page_in_a_few_queries_whatever_the_year_size(world):
    now = dt.datetime.now(dt.timezone.utc)
    await Expense.insert(*[Expense(
        organisation=world.rivebelle, day=dt.date(2019, 3, 1), supplier="S", category="operating",
        amount_excl_vat_cents=100, vat_cents=0, status="paid", activity="", invoice_reference="", warnings="",
        version=1, created_at=now, updated_at=now) for _ in range(300)])
    listing = await queries.expense_page(world.rivebelle, queries.ExpenseFilter(2019))
    assert len(listing["rows"]) == 50 and listing["has_next"]


async def test_other_cpas_and_other_roles_never_see_the_list(client, world, neighbour_admin):
    for person in (neighbour_admin, world.outsider):
        await login(client, person)
        assert (await client.get(f"/spending/expenses?cpas={world.rivebelle}&year=2025")).status_code == 404
        assert "Papeterie Meuse" not in (await client.get("/spending/expenses?year=2025")).text
    await login(client, world.coordinator)  # also coordinator of the cluster: not a CPAS with expenses
    assert (await client.get(f"/spending/expenses?cpas={world.cluster}")).status_code == 404
    for person in (world.social_worker, world.facilitator):
        await login(client, person)
        assert (await client.get("/spending/expenses?year=2025")).status_code == 403


async def test_the_lists_total_is_to_the_cent_what_the_budget_sums_for_every_filter(world):
    await sport_year(world)
    for i, shares in enumerate(((3_333, 3_333, 3_334), (5_000,), (10_000,), (1, 9_999), (2_500, 2_500))):
        lines = [("fonds-pas", "B"), ("own-funds", "all"), ("fonds-pas", "A")]
        await actions.record_expense(world.rivebelle, ExpenseInput(
            day=dt.date(2017, 2, 1 + i), category="operating", amount_excl_vat_cents=1_001 + 7 * i, vat_cents=211 * i,
            status=("committed", "invoiced", "paid")[i % 3], supplier=f"S{i}", module=world.module if i % 2 else None,
            shares=tuple(ShareInput(src, 2017, strand, bp) for (src, strand), bp in zip(lines, shares))),
            world.coordinator["id"])
    for recovers in (False, True):
        await actions.set_vat_policy(world.rivebelle, 2017, recovers)
        every = await queries.charges(world.rivebelle, 2017)
        for f in (queries.ExpenseFilter(2017), queries.ExpenseFilter(2017, "fonds-pas", "B", status="unpaid"),
                  queries.ExpenseFilter(2017, "fonds-pas", "B", status="paid"),
                  queries.ExpenseFilter(2017, "own-funds", category="operating", status="invoiced"),
                  queries.ExpenseFilter(2017, strand="A", module=world.module),
                  queries.ExpenseFilter(2017, "fonds-pas", "B", category="personnel")):
            listing = await queries.expense_page(world.rivebelle, f)
            expected = sum(c["cents"] for c in every if queries.charge_matches(c, f))
            assert listing["total_cents"] == expected, (recovers, f)


async def test_the_strand_filter_names_own_funds_strand_and_keeps_letters(client, world):
    await login(client, world.coordinator)
    page = shown(await client.get(f"/spending/expenses?year=2026&cpas={world.rivebelle}"))
    strand_select = page.split('id="f-strand"')[1].split("</select>")[0]
    assert '<option value="all" >All activation spending</option>' in strand_select
    assert ">all</option>" not in strand_select
    page = shown(await client.get(f"/spending/expenses?year=2017&cpas={world.rivebelle}"))
    assert '<option value="A" >A</option>' in page.split('id="f-strand"')[1].split("</select>")[0]
