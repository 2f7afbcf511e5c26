"""The volunteering convention (issue 17): printed in the volunteer's language, its signed scan attached (type
from the content) and downloaded as an attachment (both engines)."""

import html

from planner.people.tables import Beneficiary
from planner.volunteering.tables import ConventionScan, Placement
from tests.conftest import login, post

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


async def test_the_convention_is_printed_in_the_volunteers_language(client, world):
    await Placement.update({Placement.insurance: "Ethias 45.120"}).where(Placement.id == world.placement)
    await login(client, world.social_worker)
    page = html.unescape((await client.get(f"/volunteering/{world.placement}/convention")).text)
    assert "Zoé Quennevilleprivate" in page and "Accès-Sport Rivebelle" in page and "Welcoming members" in page
    assert "Ethias 45.120" in page and '<html lang="fr">' in page  # Zoé reads French
    await Beneficiary.update({Beneficiary.language: "nl"}).where(Beneficiary.id == world.beneficiary)
    assert '<html lang="nl">' in (await client.get(f"/volunteering/{world.placement}/convention")).text


async def test_a_signed_scan_is_attached_and_downloaded_as_an_attachment(client, world):
    await login(client, world.coordinator)
    url = f"/volunteering/{world.placement}/convention/scan"
    assert (await client.get(url)).headers["content-type"] == "application/pdf"  # the world's scan
    response = await post(client, url, files={"scan": ("signed.png", b"\x89PNG\r\n\x1a\n" + b"x" * 50, "application/pdf")})
    assert response.status_code == 303
    response = await client.get(url)
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "Download the signed convention" in (await client.get(f"/volunteering/{world.placement}")).text


async def test_a_file_that_is_not_a_scan_is_refused_with_a_message(client, world):
    await login(client, world.social_worker)
    url = f"/volunteering/{world.placement}/convention/scan"
    response = await post(client, url, files={"scan": ("x.pdf", b"<html>not a pdf</html>", "application/pdf")})
    assert response.status_code == 422 and "must be a PDF, JPEG or PNG" in response.text
    response = await post(client, url, files={"scan": ("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")})
    assert response.status_code in (413, 422)
    assert await ConventionScan.count() == 1  # the world's only


async def test_another_cpas_sees_no_convention(client, world, neighbour_admin):
    await login(client, world.outsider)
    for url in (f"/volunteering/{world.placement}/convention", f"/volunteering/{world.placement}/convention/scan"):
        assert (await client.get(url)).status_code == 404
    response = await post(client, f"/volunteering/{world.placement}/convention/scan", files={"scan": ("s.pdf", PDF)})
    assert response.status_code == 404
    assert await ConventionScan.count() == 1  # the world's only


async def test_a_placement_without_a_scan_has_nothing_to_download(client, world):
    await ConventionScan.delete().where(ConventionScan.placement == world.placement)
    await login(client, world.social_worker)
    assert (await client.get(f"/volunteering/{world.placement}/convention/scan")).status_code == 404
    assert "Download the signed convention" not in (await client.get(f"/volunteering/{world.placement}")).text


async def test_a_scan_larger_than_the_body_limit_gets_the_placement_page_with_the_limit(client, world):
    await login(client, world.social_worker)
    url = f"/volunteering/{world.placement}/convention/scan"
    response = await post(client, url, files={"scan": ("big.pdf", PDF + b"0" * (10_200_000), "application/pdf")})
    assert response.status_code == 413
    assert "A scan can be at most 10 MB; this file is too large." in html.unescape(response.text)
    assert 'name="scan"' in response.text
    assert await ConventionScan.count() == 1  # the world's only


async def test_a_convention_sent_with_a_path_is_kept_under_its_own_name(client, world):
    await login(client, world.coordinator)
    url = f"/volunteering/{world.placement}/convention/scan"
    png = b"\x89PNG\r\n\x1a\n" + b"x" * 50
    for sent, content, kept in (("C:\\Scans\\Convention Müller (signée).PDF", PDF, "Convention Müller (signée).PDF"),
                                ("..\\..\\Convention signée.PDF", png, "Convention signée.png")):
        response = await post(client, url, files={"scan": (sent, content)})
        assert response.status_code == 303
        latest = await ConventionScan.select(ConventionScan.file_name).order_by(ConventionScan.id, ascending=False).first()
        assert latest["file_name"] == kept
