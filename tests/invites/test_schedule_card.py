"""The schedule card (issue 18): one list by day then time; the person's own double bookings flagged to the
coordinator on screen, never on the printed card."""

import datetime as dt
import re

from planner.modules import actions as modules
from tests.conftest import login
from tests.invites.test_invites import plan

WARNING = "clash-warning"  # the class of the on-screen warning (its words are translated by the lead)


def days_listed(html: str) -> list[str]:
    return re.findall(r"<tr class=\"[^\"]*\"><td>([^<]+)</td>", html)


async def test_the_card_is_one_list_by_day_and_flags_no_double_booking_when_there_is_none(client, world):
    await plan(world)  # Mondays 9:30-12:30 from 7 December 2026
    await modules.add_session(world.module, dt.date(2026, 12, 9), dt.time(13, 45), dt.time(16), world.room)
    await login(client, world.coordinator)
    card = await client.get(f"/people/{world.beneficiary}/schedule-card")
    assert card.status_code == 200
    days = days_listed(card.text)
    assert days[:3] == ["lundi 7 décembre 2026", "mercredi 9 décembre 2026", "lundi 14 décembre 2026"]
    assert card.text.count("<table>") == 1
    assert WARNING not in card.text and "clash" not in card.text


async def test_two_sessions_at_overlapping_times_are_flagged_on_screen_only(client, world):
    await plan(world)
    await modules.add_session(world.module, dt.date(2026, 12, 7), dt.time(11), dt.time(13), world.room)
    await login(client, world.coordinator)
    card = await client.get(f"/people/{world.beneficiary}/schedule-card")
    warning = re.search(r'<div class="no-print clash-warning" role="alert">\s*<p><strong>([^<]+)</strong>', card.text)
    assert warning and warning.group(1).startswith("2 ")
    flagged = re.findall(r'<tr class="[^"]*clash"><td>([^<]+)</td>', card.text)
    assert flagged == ["lundi 7 décembre 2026", "lundi 7 décembre 2026"]
    assert card.text.count('class="no-print clash-mark"') == 2


async def test_the_card_is_in_the_person_s_language_and_its_controls_in_the_staff_member_s(client, world):
    await plan(world)
    await login(client, world.coordinator)  # reads English; Zoé reads French
    card = (await client.get(f"/people/{world.beneficiary}/schedule-card")).text
    assert '<html lang="en">' in card and '<div class="printed" lang="fr">' in card
    printed = card.split('<div class="printed" lang="fr">')[1].split("</div>")[0]
    assert "lundi 7 décembre 2026" in printed
    controls = card.split('<p class="no-print">')[-1]
    assert ">Print</button>" in controls and ">Back</a>" in controls
    assert "No calendar link yet: make one on the person&#39;s page" in controls
