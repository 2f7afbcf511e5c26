"""The PIIS on paper (issue 15): the contract in the person's language, the signed scan, the access log, and
every PIIS route refused to outsiders with a 404 that shows nothing (both engines)."""

import html

from planner.auth.tables import User
from planner.people.tables import Beneficiary
from planner.piis.tables import AccessLog, PiisFile, SignedScan
from planner.spending.rules import MAX_SCAN_BYTES
from tests.conftest import SCAN_PDF, login, make_user, post
from tests.test_route_table import concrete

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def shown(response) -> str:
    return html.unescape(response.text).replace("\xa0", " ").replace("\u202f", " ")


async def test_the_contract_is_in_the_persons_language_while_the_worker_reads_french(client, world):
    await Beneficiary.update({Beneficiary.language: "nl"}).where(Beneficiary.id == world.beneficiary)
    await User.update({User.language: "fr"}).where(User.id == world.social_worker["id"])
    await login(client, world.social_worker)
    response = await client.get(f"/piis/{world.piis}/contract")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    page = shown(response)
    assert '<html lang="nl">' in page and "20 november 2026" in page and "19 november 2027" in page
    assert "OCMW Rivebelle" in page and "Zoé Quennevilleprivate" in page and "Take part in a group every week" in page
    assert "Switch activation group" in page and 'href="/static/css/print.css"' in page and "<nav" not in page
    assert page.count("signature-line") == 3  # date, the person, the CPAS (no third party named)
    worker_page = shown(await client.get(f"/piis/{world.piis}"))
    assert '<html lang="fr">' in worker_page and "20 novembre 2026" in worker_page  # the worker's own language


async def test_the_contract_is_not_printed_before_the_ri_decision_is_recorded(client, world):
    await PiisFile.delete().where(PiisFile.beneficiary == world.beneficiary)
    await login(client, world.social_worker)
    response = await client.get(f"/piis/{world.piis}/contract")
    assert response.status_code == 409 and "Record the person's RI decision" in shown(response)


async def test_the_signed_scan_goes_in_and_comes_back_as_a_safe_attachment(client, world):
    await login(client, world.social_worker)
    response = await post(client, f"/piis/{world.piis}/scan", files={"scan": ("Zoé signé.png", PNG, "application/pdf")})
    assert response.status_code == 303
    [latest] = await SignedScan.select(SignedScan.media_type, SignedScan.version_number).order_by(
        SignedScan.id, ascending=False).limit(1)
    assert latest == {"media_type": "image/png", "version_number": 1}  # typed from the content, not the name
    download = await client.get(f"/piis/{world.piis}/scan")
    assert download.status_code == 200 and download.content == PNG
    assert download.headers["content-type"] == "image/png" and download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["cache-control"] == "no-store"
    disposition = download.headers["content-disposition"]
    assert disposition.startswith("attachment;") and f"piis-{world.piis}-v1.png" in disposition
    assert "Zo" not in disposition  # never the person's name
    before = await SignedScan.count()
    for content, message in ((b"hello, not a scan", "must be a PDF, JPEG or PNG"),
                             (SCAN_PDF + b"0" * MAX_SCAN_BYTES, "at most 10 MB"), (b"", "Choose the scanned file")):
        refused = await post(client, f"/piis/{world.piis}/scan", files={"scan": ("x.pdf", content, "application/pdf")})
        assert refused.status_code == 422 and message in shown(refused), message
    assert await SignedScan.count() == before


async def test_each_opening_is_logged_once_and_the_administrator_reads_the_log(client, world):
    await login(client, world.social_worker)
    for url, kind in ((f"/piis/{world.piis}", "piis"), (f"/bilans/{world.bilan}", "bilan"),
                      (f"/piis/{world.piis}/contract", "contract"), (f"/piis/{world.piis}/scan", "scan")):
        before = await AccessLog.count()
        assert (await client.get(url)).status_code == 200
        assert await AccessLog.count() == before + 1, url
        last = await AccessLog.select().order_by(AccessLog.id, ascending=False).first()
        assert (last["user"], last["record_kind"], last["beneficiary"]) == (
            world.social_worker["id"], kind, world.beneficiary)
    assert (await client.get("/piis/access-log")).status_code == 403  # a social worker does not read it
    await post(client, "/logout")
    await login(client, world.administrator)
    page = shown(await client.get(f"/piis/access-log?cpas={world.rivebelle}"))
    assert page.count("Sofie Worker") == 4 and "RIV-1" in page and "Bilan social" in page
    assert "Quennevilleprivate" not in page and "Zoé" not in page
    assert (await client.get(f"/piis/access-log?cpas={world.elsewhere}")).status_code == 404
    assert (await client.get(f"/piis/access-log?cpas={world.cluster}")).status_code == 404  # a cluster is no CPAS


async def test_the_administrator_of_a_cpas_in_the_same_cluster_never_reads_rivebelles_log(client, world,
                                                                                        neighbour_admin):
    await login(client, world.social_worker)
    assert (await client.get(f"/piis/{world.piis}")).status_code == 200
    await post(client, "/logout")
    await login(client, neighbour_admin)
    assert (await client.get(f"/piis/access-log?cpas={world.rivebelle}")).status_code == 404
    own = shown(await client.get("/piis/access-log"))  # their own CPAS's log: nothing of Rivebelle
    assert "Nobody has opened a PIIS file yet." in own and "Sofie Worker" not in own and "RIV-1" not in own


async def test_the_log_is_read_a_page_at_a_time(client, world):
    from planner.piis.actions import log_opening
    for _n in range(55):
        await log_opening(world.rivebelle, world.social_worker["id"], "piis", world.piis, world.beneficiary)
    await login(client, world.administrator)
    first = shown(await client.get("/piis/access-log"))
    assert first.count("<tr>") == 51 and "page=2" in first  # a header row and 50
    second = shown(await client.get("/piis/access-log?page=2"))
    assert second.count("<tr>") == 6 and "page=1" in second and "page=3" not in second


PIIS_ROUTES = [("GET", "/people/{person_id:int}/piis"), ("POST", "/people/{person_id:int}/piis/file"),
               ("GET", "/people/{person_id:int}/bilans/new"), ("POST", "/people/{person_id:int}/bilans/new"),
               ("GET", "/bilans/{bilan_id:int}"), ("GET", "/people/{person_id:int}/piis/new"),
               ("POST", "/people/{person_id:int}/piis/new"), ("GET", "/piis/{piis_id:int}"),
               ("POST", "/piis/{piis_id:int}"), ("POST", "/piis/{piis_id:int}/propose"),
               ("POST", "/piis/{piis_id:int}/sign"), ("POST", "/piis/{piis_id:int}/amend"),
               ("GET", "/piis/{piis_id:int}/contract"), ("POST", "/piis/{piis_id:int}/scan"),
               ("GET", "/piis/{piis_id:int}/scan")]


async def test_outsiders_get_a_404_that_shows_nothing_on_every_piis_route(client, world, neighbour_admin):
    """The coordinator and facilitator of Rivebelle, a partner's facilitator, and a social worker of Montfleuri,
    a CPAS in Rivebelle's cluster."""
    neighbour_worker = await make_user("nina@montfleuri.example", "Nina Neighbour",
                                       [(neighbour_admin["cpas"], "social_worker")])
    form = {"version": "1", "day": "2026-11-25", "domain": "justitie", "ri_granted_on": "2026-11-02",
            "proposed_on": "2026-11-25", "signed_on": "2026-11-30", "waived": "1", "reason": "x",
            "agreed_on": "2026-11-29", "type_code": "11", "orientation": "mixed", "starts_on": "2026-12-01",
            "ends_on": "2027-12-01", "subsidy_status": "none", "o0_title": "x"}
    before = (await AccessLog.count(), await PiisFile.select(), await SignedScan.count())
    for person in (world.coordinator, world.facilitator, world.partner_facilitator, neighbour_worker):
        await login(client, person)
        for method, path in PIIS_ROUTES:
            url = concrete(path, world)
            response = await (client.get(url) if method == "GET" else post(client, url, form))
            assert response.status_code == 404, (person["email"], method, url, response.status_code)
            assert "Quennevilleprivate" not in response.text and "SWITCH" not in response.text
        await post(client, "/logout")
    assert (await AccessLog.count(), await PiisFile.select(), await SignedScan.count()) == before


async def test_a_scan_larger_than_the_body_limit_gets_the_piis_page_with_the_limit(client, world):
    # Refused from its Content-Length before it is read: the worker sees the PIIS page and why, not an error page.
    await login(client, world.social_worker)
    before = await SignedScan.count()
    refused = await post(client, f"/piis/{world.piis}/scan",
                         files={"scan": ("Contrat signé.pdf", SCAN_PDF + b"0" * (MAX_SCAN_BYTES + 300_000))})
    assert refused.status_code == 413
    assert "A scan can be at most 10 MB; this file is too large." in shown(refused) and 'name="scan"' in refused.text
    assert await SignedScan.count() == before


async def test_a_signed_scan_sent_with_a_path_and_a_lying_name_is_kept_under_its_own_name(client, world):
    await login(client, world.social_worker)
    response = await post(client, f"/piis/{world.piis}/scan",
                          files={"scan": ("..\\..\\CONTRAT SIGNÉ.PDF", PNG, "application/pdf")})
    assert response.status_code == 303
    latest = await SignedScan.select(SignedScan.file_name).order_by(SignedScan.id, ascending=False).first()
    assert latest["file_name"] == "CONTRAT SIGNÉ.png"
