"""People's names as Belgian offices write them: one name or two, sorted and searched the way a reader expects.

Cross-cutting and pure: every list, roll, sheet and mail of every area uses these, so they import no area.
"""

from __future__ import annotations

import functools
import unicodedata

import pyuca

# Letters that Unicode does not decompose into a base letter and a mark, but readers type without it.
_PLAIN_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe",
                                "ı": "i", "ŀ": "l"})
# Apostrophes as keyboards, word processors and phones type them: D'Hondt = D’Hondt = DHondt.
_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´ʼʹ′"), None)
# Hyphens and dashes join the parts of a name: Van-Damme is found as "van damme" and "vandamme".
_HYPHENS = dict.fromkeys(map(ord, "-‐‑‒–—_."), " ")


def display_name(first: str, last: str) -> str:
    """"First Last" as in a greeting or a title; the one name when the person has only one."""
    return " ".join(part for part in (first.strip(), last.strip()) if part)


def list_name(first: str, last: str) -> str:
    """"Last, First" as in a list sorted by last name; the one name, without a stray comma, when
    the person has only one."""
    first, last = first.strip(), last.strip()
    return f"{last}, {first}" if first and last else last or first


@functools.cache
def _collator() -> pyuca.Collator:
    return pyuca.Collator()  # loads the default table once (~0.1 s)


def _weights(text: str) -> str:
    # Four hex digits per weight (the table's weights are 16-bit): comparing the strings, in Python or
    # in a database under a bytewise collation, compares the Unicode Collation Algorithm's keys.
    return "".join(f"{min(w, 0xFFFF):04x}" for w in _collator().sort_key(text))


@functools.lru_cache(maxsize=8192)  # ~0.1 ms a name; rolls and lists show the same people again and again
def person_sort_key(last: str, first: str) -> str:
    """The one sort key of a person in every list: last name, then first name, by the Unicode
    Collation Algorithm (Çelik, D'Hondt, de Smet, Évrard, ..., Özdemir, Van Damme, Wauters).

    A person with one name sorts by the name they have. A lowercase hex string, stored as
    beneficiary.sort_key so the database orders pages the same way, and usable as a Python key."""
    last, first = last.strip(), first.strip()
    if not last:
        last, first = first, ""
    return _weights(last) + "0000" + _weights(first)


def fold(text: str) -> str:
    """Text as search compares it: no accents, case folded, apostrophes dropped, hyphens as spaces,
    single spaces. "D’Hondt-Özdemir" -> "dhondt ozdemir"."""
    text = unicodedata.normalize("NFKD", text.replace("\x00", ""))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().translate(_PLAIN_LETTERS).translate(_APOSTROPHES).translate(_HYPHENS)
    return " ".join(text.split())


def search_text(*parts: str) -> str:
    """What beneficiary.search_text stores for a person's names and reference: each part folded,
    and each part again without its spaces, so "Van Damme" is found as "van damme" and "vandamme"."""
    words = []
    for part in parts:
        folded = fold(part)
        if folded:
            words.append(folded)
            if " " in folded:
                words.append(folded.replace(" ", ""))
    return " ".join(words)


def search_words(query: str, limit: int = 4) -> list[str]:
    """The words of a typed search, folded like search_text; each must appear in a match."""
    # % and \ would be LIKE wildcards or escapes; nobody's name has them.
    return [w for w in fold(query.replace("%", " ").replace("\\", " ")).split()][:limit]
