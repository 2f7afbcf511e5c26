"""A form sent by htmx and refused (422) shows its messages in place, with what was typed kept."""

import pytest
from playwright.async_api import expect

from planner.people.tables import Beneficiary
from tests.browser.test_tablet_login import sign_in

pytestmark = pytest.mark.browser


async def test_a_refused_person_form_shows_its_messages_and_keeps_what_was_typed(server, world, tablet):
    await sign_in(tablet, server, world.social_worker["email"])
    await tablet.goto(f"{server}/people/new")
    await tablet.locator("#f-last_name").fill("Van den Bossche")
    await tablet.locator("#f-birth_date").fill("1990-05-17")
    await tablet.locator("#f-phone").fill("ask Sofie")  # letters: the server refuses it, not the browser
    before = await Beneficiary.count()
    await tablet.get_by_role("button", name="Save").tap()
    # the 422 answer is swapped in: its messages show, the typed name stays, nothing is written
    await expect(tablet.locator("#f-phone ~ .error, .field.has-error .error").first).to_contain_text("digits")
    await expect(tablet.locator("#f-last_name")).to_have_value("Van den Bossche")
    assert await Beneficiary.count() == before
