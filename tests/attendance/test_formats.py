"""Dates and counts on the roll and Today in the reader's language (issue 18): Belgian day/month order in
English, German long dates with their comma and dot, French plurals where 0 and 1 are singular."""

import re

from planner import i18n
from tests.conftest import login, post


async def test_i18_roll_header_and_counts_in_german(client, world):
    await login(client, world.facilitator)
    await post(client, "/language", {"language": "de"})
    page = (await client.get(f"/roll/{world.session}")).text
    assert "Montag, 7. Dezember 2026" in page  # the session of 7 December 2026
    assert "0 von 1 anwesend, 1 noch nicht markiert." in page
    assert 'data-here-one="{num} von {total} anwesend"' in page  # roll.js recounts with the same words


async def test_i18_roll_counts_in_french_take_the_singular_for_0_and_1(client, world):
    await login(client, world.facilitator)
    await post(client, "/language", {"language": "fr"})
    page = (await client.get(f"/roll/{world.session}")).text
    assert "lundi 7 décembre 2026" in page
    assert "0 présent sur 1, 1 pas encore marqué." in page
    assert 'data-here-many="{num} présents sur {total}"' in page


async def test_i18_roll_and_today_in_english_put_the_day_before_the_month(client, world):
    await login(client, world.facilitator)
    roll = (await client.get(f"/roll/{world.session}")).text
    assert "Monday, 7 December 2026" in roll and "December 7" not in roll
    today = (await client.get("/today")).text
    heading = re.search(r"<h1>Today · ([^<]*)</h1>", today).group(1)
    assert re.fullmatch(r"[A-Z][a-z]+day, \d{1,2} [A-Z][a-z]+ \d{4}", heading), heading
    i18n.set_language("en")
    assert heading == i18n.format_date(i18n.today(), "full")
