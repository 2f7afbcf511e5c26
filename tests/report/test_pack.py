"""The inspection pack (REP-04, issue 16): a coordinator asks for it from the module page, watches its progress
(a real <progress>, refreshed by htmx, the same after a reload) and downloads one .zip with the sessions'
attendance sheets, the monthly grids, the invoices' scans, the time sheets and an index; no person's name in a
file name; every export and download logged; other CPAS, the same cluster's included, get 404 (both engines)."""

import datetime as dt
import html
import io
import json
import re
import zipfile

from planner import i18n
from planner.attendance.tables import Mark
from planner.modules.tables import Session
from planner.report.pack import MARK_WORDS, data
from planner.report.pack.render import html_of
from planner.report.tables import ReportAccessLog, ReportJob
from planner.report.worker import run_due
from planner.spending.tables import Expense, StaffAllocation
from tests.conftest import WORLD_SCAN, login, post


async def _year_of_world(world) -> None:
    """Zoé came to the world's session (7 Dec 2026, 9:30-12:30) an hour late; the world's invoice is for this
    module in 2026; Fred spends 20 % of his time on it."""
    now = dt.datetime.now(dt.UTC)
    await Mark.insert(Mark(session=world.session, beneficiary=world.beneficiary, status="late", reason="",
                           arrived_at=dt.time(10, 30), device_time=now, received_at=now))
    await Expense.update({Expense.module: world.module, Expense.day: dt.date(2026, 11, 20)}).where(
        Expense.id == world.expense)
    await StaffAllocation.insert(StaffAllocation(
        organisation=world.rivebelle, staff_name="Fred Facilitator", full_time_annual_cents=5_200_000, fte_bp=8000,
        time_share_bp=2000, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31),
        tasks=json.dumps({"facilitation": 10000}), module=world.module, source="fonds_pas", year=2026, strand="B",
        warnings="", created_at=now))


async def _ask(client, world, year: int = 2026) -> str:
    response = await post(client, f"/report/{year}/pack", {"organisation": str(world.rivebelle),
                                                           "module": str(world.module)})
    assert response.status_code == 303, response.text
    return response.headers["location"]


async def test_rep_04_the_coordinator_asks_for_the_pack_sees_its_progress_and_downloads_it(client, world):
    await _year_of_world(world)
    await login(client, world.coordinator)
    module_page = (await client.get(f"/modules/{world.module}")).text
    assert 'action="/report/2026/pack"' in module_page or 'action="/report/2025/pack"' in module_page
    url = await _ask(client, world)
    assert re.fullmatch(r"/report/jobs/\d+", url)
    waiting = await client.get(url)
    assert waiting.status_code == 200 and "<progress" in waiting.text and 'hx-trigger="every' in waiting.text
    assert '<label for="job-progress">' in waiting.text and "Waiting for its turn" in waiting.text
    assert '<span class="badge muted">Waiting</span>' in waiting.text
    assert (await client.get(f"{url}/download")).status_code == 404  # not ready yet
    assert await run_due() == 1
    ready = await client.get(url, headers={"hx-request": "true"})  # the poll swaps the block alone
    assert ready.text.lstrip().startswith('<section id="job"') and "Download the file" in ready.text
    assert "hx-trigger" not in ready.text  # polling stops
    assert '<span class="badge ok">Ready</span>' in ready.text
    assert "Download the file" in (await client.get(url)).text  # and a reload shows the same
    download = await client.get(f"{url}/download")
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    assert f"inspection-pack-2026-cpas-{world.rivebelle}-SWITCH-{world.module}.zip" in \
        download.headers["content-disposition"]
    pack = zipfile.ZipFile(io.BytesIO(download.content))
    names = set(pack.namelist())
    folder = f"modules/SWITCH-{world.module}"
    assert {"index.html", f"{folder}/sessions/2026-12-07_0930_{world.session}.pdf", f"{folder}/months/2026-12.pdf",
            f"invoices/2026-11-20_expense-{world.expense}_1.pdf"} <= names
    assert any(n.startswith("staff/time-sheet-2026-") for n in names)
    assert not any(word in name for name in names for word in ("Zo", "Quenneville", "zoe"))
    for name in names - {"index.html"}:
        content = pack.read(name)
        assert content.startswith(b"%PDF"), name
    assert pack.read(f"invoices/2026-11-20_expense-{world.expense}_1.pdf") == WORLD_SCAN  # the scan as uploaded
    index = html.unescape(pack.read("index.html").decode())
    assert '<html lang="fr">' in index  # Rivebelle is in Brussels: French
    assert f'href="{folder}/sessions/2026-12-07_0930_{world.session}.pdf"' in index
    assert f'href="{folder}/months/2026-12.pdf"' in index and "PM-2025-88" in index
    # Zoé came, an hour late, for 2 of the 3 hours; Fred's 0.8 FTE × €52,000 × 20 % = €8,320 charged
    assert re.search(r"(Hours attended|Heures de présence)[^<]*</th><td[^>]*>2<", index)  # in French
    assert "8\u202f320,00" in index or "8 320,00" in index or "8.320,00" in index
    logged = await ReportAccessLog.select(ReportAccessLog.action, ReportAccessLog.user).order_by(ReportAccessLog.id)
    assert logged == [{"action": "export", "user": world.coordinator["id"]},
                      {"action": "download", "user": world.coordinator["id"]}]


async def test_rep_04_the_attendance_sheet_is_a_pdf_in_the_cpas_language_with_a_signatures_column(client, world):
    from planner.orgs.tables import Organisation

    await _year_of_world(world)
    await Organisation.update({Organisation.region: "flanders"}).where(Organisation.id == world.rivebelle)
    await login(client, world.administrator)
    url = await _ask(client, world)
    await run_due()
    pack = zipfile.ZipFile(io.BytesIO((await client.get(f"{url}/download")).content))
    assert '<html lang="nl">' in pack.read("index.html").decode()
    sheet = pack.read(f"modules/SWITCH-{world.module}/sessions/2026-12-07_0930_{world.session}.pdf")
    assert sheet.startswith(b"%PDF") and sheet.rstrip().endswith(b"%%EOF")
    # what the PDF was laid out from: the same reads and template as the job's
    i18n.set_language("nl")
    session = (await data.module_sessions(world.module, 2026))[0]
    text = html.unescape(html_of("report/pack/session.html", {
        "organiser": "OCMW Rivebelle", "address": "", "year": 2026, "mark_words": MARK_WORDS,
        "module": {"code": "SWITCH", "title": "Switch"}, "session": session}))
    assert "Aanwezigheidsblad" in text and "Handtekening" in text
    assert re.search(r"Quennevilleprivate, Zoé</td><td>te laat</td>\s*<td>10:30</td><td></td>\s*<td class=\"num\">2</td>"
                     r'<td class="signature"></td>', text), text


async def test_a_year_pack_holds_every_module_with_sessions_that_year(client, world):
    await _year_of_world(world)
    await login(client, world.coordinator)
    response = await post(client, "/report/2026/pack", {})  # Carl coordinates one CPAS: that one
    assert response.status_code == 303
    await run_due()
    download = await client.get(f"{response.headers['location']}/download")
    assert f"inspection-pack-2026-cpas-{world.rivebelle}.zip" in download.headers["content-disposition"]
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert f"modules/SWITCH-{world.module}/months/2026-12.pdf" in names
    await Session.update({Session.status: "cancelled"}).where(Session.id == world.session)
    response = await post(client, "/report/2026/pack", {})
    await run_due()
    names = zipfile.ZipFile(io.BytesIO((await client.get(f"{response.headers['location']}/download")).content)).namelist()
    assert not any(n.startswith("modules/") for n in names) and "index.html" in names


async def test_a_failed_job_is_told_in_plain_words(client, world):
    await login(client, world.coordinator)
    url = await _ask(client, world)
    await ReportJob.update({ReportJob.kind: "retired_export"}).where(ReportJob.id == int(url.rsplit("/", 1)[1]))
    await run_due()
    page = await client.get(url)
    assert "This kind of export no longer exists" in page.text and 'role="alert"' in page.text
    assert "<progress" not in page.text and "Traceback" not in page.text


async def test_other_cpas_and_other_roles_are_refused(client, world, neighbour_admin):
    await login(client, world.coordinator)
    url = await _ask(client, world)
    await run_due()
    await client.post("/logout", headers={"x-csrftoken": client.cookies.get("csrftoken", "")})
    client.cookies.clear()
    for intruder in (world.outsider, neighbour_admin):
        await login(client, intruder)
        assert (await client.get(url)).status_code == 404
        assert (await client.get(f"{url}/download")).status_code == 404
        for form in ({"organisation": str(world.rivebelle)}, {"module": str(world.module)},
                     {"organisation": str(world.cluster)}):
            assert (await post(client, "/report/2026/pack", form)).status_code == 404, (intruder["email"], form)
        client.cookies.clear()
    await login(client, world.facilitator)
    assert (await client.get(url)).status_code == 403
    assert (await post(client, "/report/2026/pack", {"organisation": str(world.rivebelle)})).status_code == 403
    assert "/report/" not in (await client.get(f"/modules/{world.module}")).text  # no button for Fred
    assert await ReportAccessLog.count().where(ReportAccessLog.action == "download") == 0
    assert await ReportJob.count() == 2  # the world's and Carl's


async def test_a_year_out_of_range_or_a_bad_module_is_a_404(client, world):
    await login(client, world.coordinator)
    assert (await post(client, "/report/1850/pack", {})).status_code == 404
    assert (await post(client, "/report/2026/pack", {"module": "abc"})).status_code == 404
    assert (await post(client, "/report/2026/pack", {"module": "999999"})).status_code == 404
    assert await ReportJob.count() == 1  # the world's only


async def test_rep_04_an_invoice_paid_to_a_partner_names_the_partner_in_the_index(world):
    await _year_of_world(world)
    await Expense.update({Expense.partner: world.partner, Expense.supplier: ""}).where(Expense.id == world.expense)
    rows = await data.invoices(world.rivebelle, 2026, None)
    assert [r["partner_name"] for r in rows if r["id"] == world.expense] == ["Accès-Sport Rivebelle"]
    expenses = [{**r, "paths": []} for r in rows]
    page = html.unescape(html_of("report/pack/index.html", {
        "expenses": expenses, "modules": [], "staff": [], "year": 2026, "one_module": False, "organiser": "Rivebelle",
        "address": "", "mark_words": {}, "task_words": {}}))
    assert "<td>Accès-Sport Rivebelle</td>" in page
