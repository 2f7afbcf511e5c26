"""A scanned invoice sent under the names office computers give files (accents, capitals, paths, a lying
extension, very long), kept under a name the person knows and downloaded under it by Edge, Chrome and Firefox
(RFC 6266 filename*), both engines."""

from urllib.parse import unquote

from planner.spending.tables import InvoiceScan
from tests.conftest import login
from tests.spending.test_scan_and_export import PDF, png, upload


def saved_name(download) -> str:
    return unquote(download.headers["content-disposition"].split("filename*=UTF-8''")[1])


async def test_scan_names_a_scan_keeps_the_name_typed_without_its_path_and_with_a_true_extension(client, world):
    await login(client, world.coordinator)
    url = f"/spending/expenses/{world.expense}/scan"
    for sent, content, kept, fallback in (
            ("FACTURE N°12 (copie).PDF", PDF, "FACTURE N°12 (copie).PDF", "FACTURE-N12-copie.PDF"),
            ("..\\..\\x.pdf", PDF, "x.pdf", "x.pdf"),
            ("C:\\Users\\Zoë\\Desktop\\Facture d’eau.pdf", PDF, "Facture d’eau.pdf", "Facture-deau.pdf"),
            ("scan facture.pdf", png(), "scan facture.png", "scan-facture.png"),  # a PNG is saved as .png
            ("..\\..\\", PDF, f"invoice-{world.expense}.pdf", f"invoice-{world.expense}.pdf")):
        assert (await upload(client, world.expense, sent, content, "application/octet-stream")).status_code == 303
        stored = await InvoiceScan.select(InvoiceScan.file_name).where(InvoiceScan.expense == world.expense).first()
        assert stored["file_name"] == kept, sent
        download = await client.get(url)
        assert saved_name(download) == kept and f'filename="{fallback}"' in download.headers["content-disposition"]


async def test_scan_names_a_very_long_name_keeps_its_extension(client, world):
    await login(client, world.coordinator)
    long_name = "Facture du fournisseur de matériel sportif " * 10 + ".PDF"
    assert (await upload(client, world.expense, long_name, PDF)).status_code == 303
    download = await client.get(f"/spending/expenses/{world.expense}/scan")
    name = saved_name(download)
    assert len(name) <= 255 and name.endswith(".PDF") and name.startswith("Facture du fournisseur")


async def test_scan_names_an_empty_file_is_refused_and_nothing_replaces_the_scan(client, world):
    await login(client, world.coordinator)
    before = await InvoiceScan.select(InvoiceScan.sha256).where(InvoiceScan.expense == world.expense).first()
    response = await upload(client, world.expense, "FACTURE.PDF", b"", htmx=True)
    assert response.status_code == 422 and "Choose the file of the scanned invoice." in response.text
    assert await InvoiceScan.select(InvoiceScan.sha256).where(InvoiceScan.expense == world.expense).first() == before
