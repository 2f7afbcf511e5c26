"""A year or a language in a URL that no page has is a 404, the same way on the report, spending and PIIS
progress pages (web.year_in_url: four digits, 2000 .. next year); both engines."""

from planner import i18n
from tests.conftest import login


async def test_a_year_outside_2000_to_next_year_or_not_a_number_is_a_404_on_every_year_page(client, world):
    await login(client, world.coordinator)
    next_year, too_late = i18n.today().year + 1, i18n.today().year + 2
    for bad in ("1900", "1999", str(too_late)):
        assert (await client.get(f"/report/{world.rivebelle}/{bad}")).status_code == 404, bad
        assert (await client.get(f"/report/{world.rivebelle}/{bad}/workbook")).status_code == 404, bad
    for bad in ("1800", "abc", "20261", str(too_late)):
        for url in ("/spending", "/spending/expenses", "/spending/partners", "/spending/staff", "/report"):
            assert (await client.get(f"{url}?year={bad}")).status_code == 404, (url, bad)
    assert (await client.get(f"/report/{world.rivebelle}/2000")).status_code == 200
    assert (await client.get(f"/spending?year={next_year}")).status_code == 200
    assert (await client.get("/spending")).status_code == 200  # none asked: this year


async def test_a_year_out_of_range_on_a_person_s_progress_is_a_404(client, world):
    await login(client, world.social_worker)
    assert (await client.get(f"/people/{world.beneficiary}/progress?year=1800")).status_code == 404
    assert (await client.get(f"/people/{world.beneficiary}/progress?year=abc")).status_code == 404
    assert (await client.get(f"/people/{world.beneficiary}/progress?year=2026")).status_code == 200


async def test_rep_01_a_workbook_in_a_language_the_report_does_not_have_is_a_404(client, world):
    await login(client, world.coordinator)
    url = f"/report/{world.rivebelle}/2026/workbook.xlsx"
    assert (await client.get(f"{url}?language=de")).status_code == 404
    response = await client.get(f"{url}?language=nl")
    assert response.status_code == 200 and response.content[:2] == b"PK"
