"""The report's pages in Chromium on a 360 px phone (issue 16): the year page, a "behind a figure" page, the
answers form (htmx swap), the workbook page and its download (the "PIIS 10 %" sheet in it), asking for the
inspection pack and its job page until the file is ready. Each page passes the axe-core audit and never scrolls
sideways."""

import io

import openpyxl
import pytest
from playwright.async_api import expect

from planner.report import worker
from planner.report.tables import ReportAnswers
from tests.browser.conftest import assert_accessible
from tests.browser.test_piis import PHONE, WIDE
from tests.browser.test_tablet_login import sign_in
from tests.report.test_routes import YEAR, marked

pytestmark = pytest.mark.browser


async def fits(page, what: str) -> None:
    """No horizontal scroll at 360 px, and no axe-core violation."""
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360, (what, await page.evaluate(WIDE))
    await assert_accessible(page, what)


async def test_rep_07_the_report_pages_fit_a_phone_pass_the_audit_and_give_their_files(server, world, browser):
    await marked(world)  # Zoé came to SWITCH in the year
    context = await browser.new_context(**PHONE, accept_downloads=True)
    phone = await context.new_page()
    await sign_in(phone, server, world.coordinator["email"])
    base = f"{server}/report/{world.rivebelle}/{YEAR}"
    await phone.goto(base)
    await expect(phone.locator(f"#module-{world.module}")).to_contain_text("SWITCH")
    await fits(phone, "year page")

    await phone.locator(f'#module-{world.module} a[href*="figure=participants"]').tap()  # behind a figure
    await expect(phone).to_have_url(f"{base}/people?module={world.module}&figure=participants")
    await expect(phone.locator("main")).to_contain_text("Quennevilleprivate")  # names only here, never in the URL
    await fits(phone, "people behind a figure")

    await phone.goto(base)
    await phone.get_by_label("Which objectives were reached?").fill("Eleven people came back every week.")
    save = phone.get_by_role("button", name="Save the answers")
    assert (await save.bounding_box())["height"] >= 48
    await save.tap()  # saved: the page comes back with a notice and the text in place
    await expect(phone.get_by_text("The answers have been saved.")).to_be_visible()
    await expect(phone.get_by_label("Which objectives were reached?")).to_have_value(
        "Eleven people came back every week.")
    saved = await ReportAnswers.select(ReportAnswers.objectives_reached).where(
        ReportAnswers.organisation == world.rivebelle).first()
    assert saved["objectives_reached"] == "Eleven people came back every week."
    await fits(phone, "answers saved")

    await phone.get_by_role("link", name="Excel workbook: download, official table, freeze").tap()
    await expect(phone).to_have_url(f"{base}/workbook")
    await fits(phone, "workbook page")
    async with phone.expect_download() as asked:
        await phone.get_by_role("link", name="Download the workbook in French").tap()
    download = await asked.value
    book = openpyxl.load_workbook(io.BytesIO(open(await download.path(), "rb").read()))
    assert "PIIS 10 %" in book.sheetnames and book["Modules collectifs"]["C2"].value == "Switch activation group"

    await phone.goto(base)
    await phone.get_by_role("button", name="Inspection pack of the year: every module's documents").tap()
    await expect(phone.locator("#job")).to_be_visible()
    assert "/report/jobs/" in phone.url
    await fits(phone, "job waiting")
    assert await worker.run_due() == 1  # a worker makes the pack; the page, polling, shows the download
    link = phone.get_by_role("link", name="Download the file")
    await expect(link).to_be_visible(timeout=15_000)
    await fits(phone, "job done")
    async with phone.expect_download() as asked:
        await link.tap()
    assert (await asked.value).suggested_filename.endswith(".zip")
    await context.close()
