"""Names of uploaded and downloaded files, as offices' computers send and save them (pure, cross-cutting).

A browser sends the name as the person's computer has it: "FACTURE N°12 (copie).PDF", a whole Windows path
from an old browser ("C:\\Users\\...\\scan.pdf"), "..\\..\\x.pdf" from a crafted form, control characters,
names longer than a column. Every area that keeps an upload stores `upload_name(...)` and answers a download
with `attachment(...)`, so Edge, Chrome and Firefox save the name the person knows, with the extension of
what the file really is.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

# The extensions a content type may keep as typed (any case); the first is the one added when it lies or lacks.
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "image/png": (".png",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
}
# Characters Windows refuses in a file name; a browser would replace them anyway, each in its own way.
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$")  # what reads as a file type: ".pdf", ".PNG", ".docx"


def _visible(text: str) -> str:
    # Control characters and format characters (bidi overrides that turn "fdp.exe" around) are dropped.
    text = " ".join(unicodedata.normalize("NFC", text).split())  # tabs and line breaks are spaces
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))


def upload_name(sent: str, media_type: str, fallback: str, max_length: int = 255) -> str:
    """The name to keep for an uploaded file: the last part of any path (/ or \\), NFC, no control characters,
    single spaces, no Windows-forbidden character, at most max_length characters with its extension kept, and
    an extension that says what the content is (media_type, as read from the bytes): a PNG sent as
    "scan.pdf" is kept as "scan.png"; "FACTURE N°12 (copie).PDF" stays as typed. fallback is the name's
    stem when nothing is left ("..\\..\\" or "")."""
    name = _visible(re.split(r"[\\/]", sent or "")[-1])
    name = _WINDOWS_FORBIDDEN.sub("_", name).strip(" .")
    allowed = EXTENSIONS.get(media_type, ())
    found = _EXTENSION.search(name)
    stem, extension = (name[:found.start()], found.group()) if found else (name, "")
    if allowed and extension.lower() not in allowed:
        extension = allowed[0]
    stem = stem.strip(" .") or fallback
    if stem.upper() in _RESERVED:
        stem = f"{stem}_"
    return _shorten(stem, extension, max_length)


def _shorten(stem: str, extension: str, max_length: int) -> str:
    return stem[:max(1, max_length - len(extension))].rstrip(" .") + extension


def attachment(file_name: str, fallback: str) -> str:
    """A Content-Disposition header for a download (RFC 6266): an ASCII `filename` for old clients (accents
    dropped, anything but letters, digits, dot, dash and underscore replaced by a dash, so no quote, CR or LF can end
    the header) and the name as kept in `filename*` (UTF-8, percent-encoded, RFC 8187), which Edge, Chrome
    and Firefox prefer; `fallback` when nothing is left."""
    name = _visible(file_name)
    found = _EXTENSION.search(name)
    if len(name) > 255:
        name = _shorten(name[:found.start()], found.group(), 255) if found else name[:255]
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name)).replace("-.", ".").strip("-.") or fallback
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name or fallback, safe='')}"
