"""The workbook's screens (issue 16, REP-03): download, the official table's upload, freezing, the frozen file
byte for byte, a new version compared and the correction log; who is refused; each download logged. Both engines."""

import io
import re
import zipfile

import openpyxl

from planner.piis.tables import AccessLog
from planner.report.tables import FrozenWorkbook, ReportCorrection, ReportTemplate
from tests.conftest import login, post
from tests.report.test_routes import YEAR, marked, shown
from tests.report.test_workbook import official_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def every_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


async def upload(client, world, content: bytes, name: str = "tableau-2026.xlsx"):
    return await post(client, f"/report/{world.rivebelle}/{YEAR}/template", {},
                      files={"file": (name, content, XLSX)})


async def test_rep_03_a_coordinator_downloads_the_workbook_without_names_and_it_is_logged(client, world):
    await marked(world)
    await login(client, world.coordinator)
    response = await client.get(f"/report/{world.rivebelle}/{YEAR}/workbook.xlsx")
    assert response.status_code == 200 and response.headers["content-type"].startswith(XLSX)
    assert response.headers["content-disposition"] == f'attachment; filename="rapport-unique-{YEAR}-{world.rivebelle}.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = book["Modules collectifs"]
    assert ws["C2"].value == "Switch activation group" and ws["O2"].value == 1  # one participant: Zoé
    text = every_text(response.content)
    assert "Quennevilleprivate" not in text and "Zoé" not in text and "zoe.q@" not in text
    log = await AccessLog.select().where(AccessLog.record_kind == "workbook")
    assert [(r["organisation"], r["user"], r["record_id"]) for r in log] == [
        (world.rivebelle, world.coordinator["id"], YEAR)]
    dutch = await client.get(f"/report/{world.rivebelle}/{YEAR}/workbook.xlsx?language=nl")
    assert "Collectieve modules" in openpyxl.load_workbook(io.BytesIO(dutch.content)).sheetnames


async def test_rep_03_the_official_table_is_uploaded_and_filled(client, world):
    await marked(world)
    await login(client, world.administrator)
    response = await upload(client, world, official_template())
    assert response.status_code in (302, 303)
    page = shown(await client.get(f"/report/{world.rivebelle}/{YEAR}/workbook"))
    assert "fills a copy of the official table you uploaded (tableau-2026.xlsx)" in page
    filled = await client.get(f"/report/{world.rivebelle}/{YEAR}/workbook.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(filled.content))["Modules collectifs"]
    assert ws["A1"].value == "SPP IS — tableau 2026" and ws["B6"].value == "Switch activation group"
    assert ws["N6"].value == 1


async def test_rep_03_a_file_that_is_not_the_official_table_is_refused_with_a_message(client, world):
    await login(client, world.coordinator)
    pdf = await upload(client, world, b"%PDF-1.4\n%%EOF\n", "tableau.xlsx")
    assert pdf.status_code == 422 and "not an Excel workbook" in shown(pdf)
    empty = io.BytesIO()
    openpyxl.Workbook().save(empty)
    wrong = await upload(client, world, empty.getvalue())
    assert wrong.status_code == 422 and "a sheet the app fills is missing" in shown(wrong)
    big = await upload(client, world, b"PK\x03\x04" + b"0" * (11 * 1024 * 1024))
    assert big.status_code == 413
    none = await post(client, f"/report/{world.rivebelle}/{YEAR}/template", {})
    assert none.status_code == 422
    assert await ReportTemplate.count() == 0


async def test_rep_03_a_frozen_year_keeps_its_file_and_logs_later_changes(client, world):
    await login(client, world.coordinator)
    base = f"/report/{world.rivebelle}/{YEAR}"
    assert (await post(client, f"{base}/freeze", {})).status_code in (302, 303)
    stored = await FrozenWorkbook.select().first()
    frozen = await client.get(f"{base}/frozen.xlsx")
    assert frozen.status_code == 200 and frozen.content == bytes(stored["content"])
    assert (await post(client, f"{base}/freeze", {})).status_code == 409  # frozen once
    await marked(world)  # Zoé's mark arrives after the submission
    compared = shown(await post(client, f"{base}/compare", {}, htmx=True))
    changes = compared.split('id="workbook-changes"')[1].split("</section>")[0]
    assert "Modules collectifs · 1 Switch activation group · Nombre total de participants" in changes
    assert re.search(r"<td>0</td><td>1</td>", changes)
    log = await ReportCorrection.select().where(ReportCorrection.figure.like("%module.participants"))
    assert [(r["old_value"], r["new_value"], r["noticed_by"]) for r in log] == [("0", "1", world.coordinator["id"])]
    await post(client, f"{base}/compare", {})  # the same change is logged once
    assert await ReportCorrection.count().where(ReportCorrection.figure.like("%module.participants")) == 1
    again = await client.get(f"{base}/frozen.xlsx")
    assert again.content == frozen.content  # the frozen file never changes
    page = shown(await client.get(f"{base}/workbook"))
    assert "Correction log" in page and "Carl Coordinator" in page
    kinds = {r["record_kind"] for r in await AccessLog.select(AccessLog.record_kind)}
    assert {"freeze", "frozen", "compare"} <= kinds


async def test_rep_03_a_cluster_workbook_has_each_member_cpas_rows(client, world, neighbour_admin):
    await marked(world)
    await login(client, world.coordinator)  # Carl is also the cluster's coordinator
    report_page = shown(await client.get(f"/report/{world.rivebelle}/{YEAR}"))
    assert f'href="/report/{world.rivebelle}/{YEAR}/workbook"' in report_page
    page = shown(await client.get(f"/report/{world.rivebelle}/{YEAR}/workbook"))
    assert f'href="/report/{world.cluster}/{YEAR}/workbook"' in page
    response = await client.get(f"/report/{world.cluster}/{YEAR}/workbook.xlsx")
    assert response.status_code == 200
    ev = openpyxl.load_workbook(io.BytesIO(response.content))["Évaluation"]
    assert sorted(c.value for c in ev["A"][1:]) == ["CPAS de Montfleuri", "CPAS de Rivebelle"]


async def test_rep_03_another_cpas_of_the_cluster_and_other_roles_are_refused(client, world, neighbour_admin):
    base = f"/report/{world.rivebelle}/{YEAR}"
    await login(client, neighbour_admin)
    for url in (f"{base}/workbook", f"{base}/workbook.xlsx", f"/report/{world.cluster}/{YEAR}/workbook.xlsx"):
        assert (await client.get(url)).status_code == 404
    assert (await post(client, f"{base}/freeze", {})).status_code == 404
    await login(client, world.facilitator)
    assert (await client.get(f"{base}/workbook.xlsx")).status_code == 403
    assert await FrozenWorkbook.count() == 0 and await AccessLog.count().where(
        AccessLog.record_kind == "workbook") == 0


def test_rep_03_a_changed_figure_is_shown_in_the_readers_words_not_as_stored():
    # A frozen file keeps its figures as JSON: dates come back as ISO text, booleans as true/false.
    import datetime as dt

    from planner.i18n import speaking as language
    from planner.report.routes.workbook import shown as figure

    with language("fr"):
        assert figure("2025-03-01") == figure(dt.date(2025, 3, 1)) == "1 mars 2025"
        assert (figure(True), figure(False), figure(None), figure(1234.5)) == ("oui", "non", "–", "1\u202f234,5")
    with language("nl"):
        assert figure("2025-03-01") == "1 mrt 2025" and figure(True) == "ja"
    assert figure("SWITCH") == "SWITCH" and figure("2025-13-01") == "2025-13-01"
