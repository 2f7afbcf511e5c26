"""The domains a bilan social assesses by default (data/bilan_domains.toml: the ZRM's 13, domain.md §5.2),
named in the reader's language. Data, not code: a longer or shorter list is an edit of the file."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

FILE = Path(__file__).resolve().parent / "data" / "bilan_domains.toml"
LANGUAGES = ("fr", "nl", "de", "en")


@cache
def bilan_domains() -> tuple[dict[str, str], ...]:
    """Every domain: {"code", "fr", "nl", "de", "en"}, in the file's order. ValueError for a domain without
    its code or a name in one of the four languages, or a code given twice."""
    with FILE.open("rb") as f:
        domains = tuple(tomllib.load(f)["domains"])
    codes = [d.get("code") for d in domains]
    if len(set(codes)) != len(codes) or any(not d.get("code") or any(not d.get(lang) for lang in LANGUAGES)
                                            for d in domains):
        raise ValueError(f"{FILE.name}: each domain needs a unique code and a name in {', '.join(LANGUAGES)}")
    return domains


def domain_name(code: str, language: str) -> str:
    """The domain's name in `language` (English when the language is not one of the four), or the code itself
    for a code no longer in the file (an old bilan keeps what it assessed)."""
    found = next((d for d in bilan_domains() if d["code"] == code), None)
    return found.get(language, found["en"]) if found else code
