"""Issue 18: the htmx forms work as plain HTML forms with JavaScript switched off: the browser posts them, the
route answers the whole page: the saved result, or the messages (translated) with what was typed kept.
tests/test_htmx_forms.py checks every such form of templates/ names the same URL for both."""

import pytest
from playwright.async_api import expect

from planner.modules.tables import Module
from planner.people.tables import Beneficiary
from tests.browser.test_tablet_login import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
async def no_js(browser):
    from tests.browser.conftest import TABLET

    context = await browser.new_context(**TABLET, java_script_enabled=False)
    page = await context.new_page()
    yield page
    await context.close()


async def test_a_person_form_refused_then_saved_without_javascript(server, world, no_js):
    await sign_in(no_js, server, world.social_worker["email"])
    await no_js.goto(f"{server}/people/new")
    await no_js.locator("#f-last_name").fill("Van den Bossche")
    await no_js.locator("#f-gender-F").check()
    await no_js.locator("#f-birth_date").fill("1990-05-17")
    await no_js.locator("#f-status").select_option("ri")
    await no_js.locator("#f-phone").fill("ask Sofie")  # letters: the server refuses it, not the browser
    before = await Beneficiary.count()
    await no_js.get_by_role("button", name="Save").tap()
    await expect(no_js.locator(".field.has-error .error")).to_have_text(["A phone number has only digits, spaces and + . / ( ) -."])
    await expect(no_js.locator("#f-last_name")).to_have_value("Van den Bossche")  # the whole page, what was typed
    assert await Beneficiary.count() == before

    await no_js.locator("#f-phone").fill("0470 12 34 56")
    await no_js.get_by_role("button", name="Save").tap()
    await expect(no_js.get_by_role("heading", level=1)).to_contain_text("Van den Bossche")
    assert "/people/" in no_js.url and not no_js.url.endswith("/new")
    assert await Beneficiary.count() == before + 1


async def test_a_module_form_saved_without_javascript(server, world, no_js):
    await sign_in(no_js, server, world.coordinator["email"])
    await no_js.goto(f"{server}/modules/new")
    await no_js.get_by_label("Title").fill("Conversation café")
    await no_js.get_by_label("Type of module").select_option("language")
    await no_js.get_by_label("Capacity (places)").fill("8")
    await no_js.get_by_label("Minimum size").fill("3")
    await no_js.get_by_role("button", name="Save").tap()
    await expect(no_js.get_by_role("heading", level=1)).to_have_text("Conversation café")
    saved = await Module.select(Module.capacity, Module.minimum_size).where(Module.title == "Conversation café").first()
    assert saved == {"capacity": 8, "minimum_size": 3}


async def test_a_piis_form_refused_in_french_without_javascript(server, world, no_js):
    await sign_in(no_js, server, world.social_worker["email"])
    await no_js.get_by_role("button", name="Français").tap()  # the language bar is a plain form too
    await expect(no_js.locator("html")).to_have_attribute("lang", "fr")
    await no_js.goto(f"{server}/people/{world.beneficiary}/piis/new")
    await no_js.get_by_label("Se termine le").fill("2026-01-01")
    await no_js.get_by_label("Objectif", exact=True).first.fill("Aller à la bibliothèque")
    await no_js.get_by_role("button", name="Enregistrer le PIIS").tap()
    await expect(no_js.locator("#edit")).to_contain_text("Le PIIS doit se terminer après son début.")
    await expect(no_js.get_by_label("Objectif", exact=True).first).to_have_value("Aller à la bibliothèque")
