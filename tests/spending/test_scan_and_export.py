"""The scanned invoice of an expense (sent, refused, downloaded safely) and the year's export for the finance
department (issue 14, both engines)."""

import base64
import datetime as dt
import io
import struct
import zlib
from urllib.parse import unquote

from openpyxl import load_workbook

from planner.spending.routes.common import attachment
from planner.spending.tables import InvoiceScan
from tests.conftest import WORLD_SCAN, csrf_token, login
from tests.spending.test_expense_list import sport_year
from tests.spending.test_routes import shown


def png() -> bytes:
    """A real 1×1 white PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


# A real 1×1 baseline JPEG.
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////"
    "////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


async def upload(client, expense: int, name: str, content: bytes, media: str = "application/pdf", htmx: bool = False):
    headers = {"x-csrftoken": await csrf_token(client), **({"hx-request": "true"} if htmx else {})}
    return await client.post(f"/spending/expenses/{expense}/scan", files={"file": (name, content, media)},
                             headers=headers, follow_redirects=False)


async def test_a_pdf_a_jpeg_and_a_png_are_kept_with_the_type_read_from_their_content(client, world):
    await login(client, world.coordinator)
    for name, content, media in (("Facture n°12 – été.pdf", PDF, "application/pdf"), ("photo.jpg", JPEG, "image/jpeg"),
                                 ("scan.pdf", png(), "image/png")):  # a PNG named .pdf is a PNG
        response = await upload(client, world.expense, name, content, "application/octet-stream")
        assert response.status_code == 303, name
        download = await client.get(f"/spending/expenses/{world.expense}/scan")
        assert download.status_code == 200 and download.content == content
        assert download.headers["content-type"].startswith(media)
        assert download.headers["x-content-type-options"] == "nosniff"
        assert download.headers["cache-control"] == "private, no-store"
        disposition = download.headers["content-disposition"]
        saved_as = "scan.png" if media == "image/png" else name  # saved with what it is, so it opens
        assert disposition.startswith("attachment; filename=\"") and unquote(disposition.split("UTF-8''")[1]) == saved_as
    assert await InvoiceScan.count() == 1  # replaced each time
    assert "The scanned invoice has been saved." in shown(await client.get(f"/spending/expenses/{world.expense}"))


async def test_a_renamed_text_file_and_an_11_mb_file_are_refused_with_a_message(client, world):
    await login(client, world.coordinator)
    response = await upload(client, world.expense, "facture.pdf", b"PK\x03\x04 a Word file, really", htmx=True)
    assert response.status_code == 422 and "This file is not a PDF, JPEG or PNG." in shown(response)
    assert 'id="scan"' in response.text and not response.text.lstrip().lower().startswith("<!doctype")
    response = await upload(client, world.expense, "big.pdf", b"%PDF-" + b"0" * (11 * 1024 * 1024))
    assert response.status_code == 413
    assert "This file is too large: a scanned invoice can be at most 10 MB." in shown(response)
    response = await upload(client, world.expense, "exactly-over.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    assert response.status_code == 413 and "at most 10 MB" in shown(response)
    # a plain form carries its CSRF token in the body: the CSRF check meets the size limit first
    response = await client.post(f"/spending/expenses/{world.expense}/scan", data={"_csrf_token": await csrf_token(client)},
                                 files={"file": ("big.pdf", b"%PDF-" + b"0" * (11 * 1024 * 1024), "application/pdf")},
                                 follow_redirects=False)
    assert response.status_code == 413 and "This file is too large" in shown(response)
    scan = await InvoiceScan.select().where(InvoiceScan.expense == world.expense).first()
    assert bytes(scan["content"]) == WORLD_SCAN  # the world's scan is still the one


def test_a_download_name_cannot_inject_a_header_and_keeps_its_accents_in_filename_star():
    header = attachment('evil"\r\nSet-Cookie: x=1; été.pdf', "invoice-1")
    assert "\r" not in header and "\n" not in header and header.count('"') == 2
    assert 'filename="evil-Set-Cookie-x-1-ete.pdf"' in header
    assert header.endswith("filename*=UTF-8''evil%22%20Set-Cookie%3A%20x%3D1%3B%20%C3%A9t%C3%A9.pdf")
    assert attachment("°–", "invoice-1").startswith('attachment; filename="invoice-1"')


async def test_only_the_cpas_spending_managers_reach_a_scan(client, world, neighbour_admin):
    for person in (neighbour_admin, world.outsider):
        await login(client, person)
        assert (await client.get(f"/spending/expenses/{world.expense}/scan")).status_code == 404
        assert (await upload(client, world.expense, "x.pdf", PDF)).status_code == 404
    for person in (world.social_worker, world.facilitator):
        await login(client, person)
        assert (await client.get(f"/spending/expenses/{world.expense}/scan")).status_code == 403
    scan = await InvoiceScan.select().where(InvoiceScan.expense == world.expense).first()
    assert bytes(scan["content"]) == WORLD_SCAN


async def test_the_export_has_one_row_per_expense_and_share_as_numbers_in_euros(client, world):
    await sport_year(world)
    await login(client, world.coordinator)
    response = await client.get(f"/spending/expenses.xlsx?year=2017&cpas={world.rivebelle}")
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    disposition = response.headers["content-disposition"]
    assert 'filename="expenses-CPAS-de-Rivebelle-2017.xlsx"' in disposition and "filename*=UTF-8''" in disposition
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Date", "Supplier or partner", "Category") and rows[0][-1] == "Amount charged"
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["B"].width == 30
    body = rows[1:]
    assert len(body) == 3  # SPORT (one share), the paper invoice (two shares)
    sport = next(r for r in body if r[1] == "Accès-Sport Rivebelle")
    assert sport[0] == dt.datetime(2017, 6, 12) and sport[2] == "Subcontracting" and sport[12] == 720
    paper = [r for r in body if "HYPERLINK" in r[1]]
    assert all(r[1].startswith("'=") and r[4] == "'+32-REF" for r in paper)  # text, never a formula
    assert round(sum(r[12] for r in paper), 2) == 121.01 and paper[0][6] == 100.01
    assert {r[9] for r in paper} == {"Participation and social activation fund", "Own funds"}
    assert sheet.cell(2, 13).number_format == '#,##0.00 "€"' and sheet.cell(2, 12).number_format == "0.00 %"
    assert all(sheet.cell(row, 2).data_type == "s" for row in range(2, 5))


async def test_an_unshared_expense_is_one_row_with_an_empty_source_in_the_readers_language(client, world):
    await login(client, world.administrator)
    await client.post("/language", data={"language": "nl"}, headers={"x-csrftoken": await csrf_token(client)})
    response = await client.get("/spending/expenses.xlsx?year=2025")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2  # (the new headers are translated when the lead extracts the catalogues)
    assert rows[1][1] == "Papeterie Meuse" and rows[1][8] == 145.2 and rows[1][9] is None
    assert "OCMW-Rivebelle-2025.xlsx" in response.headers["content-disposition"]


async def test_other_cpas_get_no_export(client, world, neighbour_admin):
    for person in (neighbour_admin, world.outsider):
        await login(client, person)
        assert (await client.get(f"/spending/expenses.xlsx?year=2025&cpas={world.rivebelle}")).status_code == 404
