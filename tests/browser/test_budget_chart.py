"""A coordinator reads the budget chart on a 360 px phone: Chart.js draws it under the CSP (no violation), its
table carries the same figures, and a year change through htmx draws the new year's chart."""

import datetime as dt

import pytest
from playwright.async_api import expect

from planner.spending import actions
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.browser.test_figures import PHONE
from tests.browser.test_tablet_login import sign_in
from tests.spending.test_actions import sport_invoice
from tests.spending.test_budget_view import expense

pytestmark = pytest.mark.browser

# Pixels of the canvas that are not transparent: a drawn chart has thousands, a blank canvas none.
INKED = """() => {
  const canvas = document.getElementById("budget-chart");
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
  return inked;
}"""


async def test_the_budget_chart_draws_on_a_phone_with_the_table_s_figures(server, world, browser):
    await actions.set_grant(world.rivebelle, "fonds-pas", 2017, "B", 4_600_000, world.coordinator["id"])
    await actions.record_expense(world.rivebelle, sport_invoice(partner=world.partner, status="paid"),
                                 world.coordinator["id"])
    await actions.record_expense(world.rivebelle, expense(dt.date(2017, 9, 4), 90_000, "committed"),
                                 world.coordinator["id"])
    context = await browser.new_context(**PHONE)
    phone = await context.new_page()
    await phone.add_init_script(RECORD_VIOLATIONS)
    await sign_in(phone, server, world.coordinator["email"])
    await phone.goto(f"{server}/spending?year=2017")
    await phone.wait_for_function("() => window.Chart && Chart.getChart('budget-chart')")
    assert await phone.evaluate(INKED) > 1000
    assert await phone.evaluate("window.__violations") == []
    box = await phone.locator("#budget-chart").bounding_box()
    assert box["width"] > 250 and box["height"] > 200
    wide = await phone.evaluate("""[...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 361 && !e.closest('.scroll-x'))
        .map(e => e.tagName + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert wide == []  # wide tables scroll in their own box; nothing else passes the phone's width
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 360
    june = phone.locator("#months-table tbody tr").nth(5)
    await expect(june).to_contain_text("June")
    await expect(june).to_contain_text("€720.00")
    await expect(june).to_contain_text("€46,000.00")
    await expect(phone.locator("#months-table tbody tr").nth(11)).to_contain_text("€900.00")
    # The chart's own data are the table's: June's spent, December's spent + committed, the granted line.
    assert await phone.evaluate("Chart.getChart('budget-chart').data.datasets.map(d => [d.data[5], d.data[11]])") == [
        [46000, 46000], [720, 1620], [720, 720]]

    # A year change swaps the budget block (htmx): the new canvas is drawn too.
    await phone.fill("#f-year", "2016")
    await phone.get_by_role("button", name="Show").tap()
    await expect(phone).to_have_url(f"{server}/spending?cpas={world.rivebelle}&year=2016")
    await phone.wait_for_function(
        "() => Chart.getChart('budget-chart') && Chart.getChart('budget-chart').data.datasets[0].data[0] === 0")
    assert await phone.evaluate(INKED) > 500  # axes and legend, no money
    await context.close()
