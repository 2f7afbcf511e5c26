"""A social worker measures a person on a 360 px phone and reads their progress chart (issue 15)."""

import datetime as dt

import pytest
from playwright.async_api import expect

from planner.piis.actions.instruments import sync_builtin_instruments
from planner.piis.actions.measurements import record_measurement
from planner.piis.tables import Instrument, Measurement
from tests.browser.test_figures import PHONE
from tests.browser.test_tablet_login import sign_in

pytestmark = pytest.mark.browser


async def test_a_measurement_and_the_chart_fit_a_phone_with_48_px_answers(server, world, browser):
    await sync_builtin_instruments()
    zrm = (await Instrument.select(Instrument.id).where(Instrument.code == "zrm").first())["id"]
    ladder = (await Instrument.select(Instrument.id).where(Instrument.code == "participation_ladder").first())["id"]
    await record_measurement(world.rivebelle, world.beneficiary, ladder, dt.date(2026, 9, 7), "start", {"": 2},
                             world.social_worker["id"])
    context = await browser.new_context(**PHONE)
    phone = await context.new_page()
    await sign_in(phone, server, world.social_worker["email"])
    await phone.goto(f"{server}/people/{world.beneficiary}/measurements/new?instrument={zrm}")
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 360
    answers = phone.locator("label.level")
    await expect(answers).to_have_count(65)
    assert (await answers.first.bounding_box())["height"] >= 48
    for fieldset in await phone.locator("fieldset.measure").all():
        await fieldset.locator("label.level").nth(2).tap()
    await phone.get_by_role("button", name="Save the measurement").tap()
    await expect(phone).to_have_url(f"{server}/people/{world.beneficiary}/progress")
    assert await Measurement.count() == 2
    await expect(phone.locator("circle.chart-point")).to_have_count(2)  # the ladder's one, the ZRM's one
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 360
    svg = (await phone.locator("svg.chart").first.bounding_box())
    assert 200 <= svg["width"] <= 360
    await context.close()
