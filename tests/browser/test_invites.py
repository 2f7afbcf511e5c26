"""A participant answers "I cannot come" from the link in their invitation, on a phone; a coordinator
makes a person's calendar link on their page."""

import re
from email import message_from_string, policy

import pytest
from playwright.async_api import expect

from planner.attendance.tables import Mark
from planner.invites.tables import OutboxMail
from planner.modules.tables import Module
from tests.browser.test_tablet_login import sign_in
from tests.invites.test_invites import plan

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 800}, "has_touch": True, "is_mobile": True}


async def test_a_participant_says_from_the_invitation_that_they_cannot_come(server, world, browser):
    await plan(world)
    mail = await OutboxMail.select(OutboxMail.message).where(OutboxMail.to_address == "zoe.q@mail.example").first()
    text = message_from_string(mail["message"], policy=policy.default).get_body(preferencelist=("plain",)).get_content()
    path = re.search(r"http://127\.0\.0\.1:8000(/cant-come/[\w-]+)", text).group(1)
    context = await browser.new_context(**PHONE)
    phone = await context.new_page()
    await phone.goto(server + path)
    assert await phone.get_attribute("html", "lang") == "fr"  # Zoé's language, not the browser's
    first = phone.locator("ul.cant-come button").first
    await expect(first).to_contain_text("Je ne peux pas venir le lundi 7 décembre 2026")
    await first.tap()
    await expect(phone.locator("#sessions [role=status]")).to_have_text("Merci. Nous avons noté que vous ne pouvez pas venir.")
    await expect(phone.get_by_role("button", name="Je peux venir finalement")).to_be_visible()
    mark = await Mark.select(Mark.status, Mark.reason).where(Mark.beneficiary == world.beneficiary).first()
    assert mark == {"status": "excused", "reason": "told_beforehand"}
    await phone.get_by_role("button", name="Je peux venir finalement").tap()
    await expect(phone.locator("#sessions [role=status]")).to_have_text("Merci. Nous dirons à votre groupe que vous pouvez venir.")
    assert (await Mark.select(Mark.status).where(Mark.beneficiary == world.beneficiary).first())["status"] == ""
    await context.close()


async def test_a_coordinator_makes_a_calendar_link_on_the_persons_page(server, world, tablet):
    await Module.update({Module.bring: "Un stylo"}).where(Module.id == world.module)
    await sign_in(tablet, server, world.coordinator["email"])
    await tablet.goto(f"{server}/people/{world.beneficiary}")
    await tablet.get_by_role("button", name="Make a calendar link").tap()
    link = tablet.get_by_label("Calendar link")
    await expect(link).to_have_value(re.compile(r"^http://127\.0\.0\.1:8000/feed/[\w-]{43}\.ics$"))
    await expect(tablet.locator("#calendar [role=status]")).to_have_text("The calendar link is ready.")
    await expect(tablet.get_by_role("button", name="Stop this link", exact=True)).to_be_visible()
