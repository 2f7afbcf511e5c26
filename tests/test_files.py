"""planner/files.py: the names of uploaded files as offices' computers send them, and the downloads'
Content-Disposition (RFC 6266 / RFC 8187) that Edge, Chrome and Firefox save under the right name (pure)."""

import re
from urllib.parse import unquote

import pytest

from planner.files import attachment, upload_name

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize(("sent", "media", "kept"), [
    ("FACTURE N°12 (copie).PDF", PDF, "FACTURE N°12 (copie).PDF"),  # capitals and brackets as typed
    ("Facture d’eau – été 2025.pdf", PDF, "Facture d’eau – été 2025.pdf"),
    ("..\\..\\x.pdf", PDF, "x.pdf"),  # path parts from a crafted form
    ("../../etc/passwd", PDF, "passwd.pdf"),
    ("C:\\Users\\Zoë\\Documents\\scan facture.pdf", PDF, "scan facture.pdf"),  # an old browser's whole path
    ("scan.pdf", PNG, "scan.png"),  # the extension lied: the content decides
    ("photo.JPEG", JPEG, "photo.JPEG"),
    ("photo.jfif", JPEG, "photo.jfif"),
    ("FACTURE N°12", PDF, "FACTURE N°12.pdf"),  # no extension
    ("rapport.2025", XLSX, "rapport.2025.xlsx"),  # digits are no extension
    ("", PDF, "invoice-7.pdf"), ("..", PDF, "invoice-7.pdf"), ("..\\..\\", PNG, "invoice-7.png"),
    ("a\tb\r\nc.pdf", PDF, "a b c.pdf"), ("x\u202egpj.exe", PDF, "xgpj.pdf"),  # controls, a bidi override
    ('what?"<>|*:.pdf', PDF, "what_______.pdf"), ("CON.pdf", PDF, "CON_.pdf"), ("trailing dots...", PDF,
                                                                               "trailing dots.pdf"),
    ("Mu\u0308ller.pdf", PDF, "Müller.pdf"),
])
def test_an_uploaded_name_is_kept_as_the_person_knows_it_with_a_true_extension(sent, media, kept):
    assert upload_name(sent, media, "invoice-7") == kept


def test_a_very_long_name_is_cut_before_its_extension():
    kept = upload_name("Facture très longue " * 30 + ".PDF", PDF, "x")
    assert len(kept) == 255 and kept.endswith(".PDF") and kept.startswith("Facture très longue")
    assert len(upload_name("é" * 400 + ".xlsx", XLSX, "x", 200)) == 200


@pytest.mark.parametrize("name", ["FACTURE N°12 (copie).PDF", "Nguyễn Thị – facture.pdf", "Ørsted's scan.png",
                                  'a"b\r\nContent-Type: text/html.pdf', "x" * 300 + ".pdf"])
def test_a_download_names_the_file_in_utf8_with_an_ascii_fallback(name):
    header = attachment(name, "invoice-7")
    match = re.fullmatch(r"attachment; filename=\"([A-Za-z0-9._-]+)\"; filename\*=UTF-8''([A-Za-z0-9%._~-]+)", header)
    assert match, header
    assert "\r" not in header and "\n" not in header
    utf8 = unquote(match[2])
    assert utf8.endswith((".pdf", ".PDF", ".png")) and match[1].endswith((".pdf", ".PDF", ".png"))
    assert utf8 == " ".join(name.split()) or len(name) > 255


def test_the_ascii_fallback_reads_like_the_name():
    assert 'filename="FACTURE-N12-copie.PDF"' in attachment("FACTURE N°12 (copie).PDF", "f")
    assert 'filename="Nguyen-Thi-facture.pdf"' in attachment("Nguyễn Thị - facture.pdf", "f")
    assert 'filename="invoice-7"' in attachment("日本語", "invoice-7")
