"""Reads of the people area for its pages: the list and search of beneficiaries, the import's check."""

from __future__ import annotations

from planner.db import bytewise_order
from planner.names import search_words
from planner.people.tables import Beneficiary

PAGE_SIZE = 200


async def beneficiary_rows(organisations: list[int], query: str) -> list[dict]:
    """At most PAGE_SIZE beneficiaries of `organisations` whose name or file reference holds every
    word of `query` (all of them if empty), in list order (planner/names.py), then by id."""
    select = Beneficiary.select(
        Beneficiary.id, Beneficiary.first_name, Beneficiary.last_name, Beneficiary.birth_date,
        Beneficiary.status, Beneficiary.file_reference, Beneficiary.language, Beneficiary.organisation,
    ).where(Beneficiary.organisation.is_in(organisations))
    # search_text and sort_key are written by every save (people.rules.derived_columns): the same
    # folding and the same order on both engines, and the database pages in the order readers expect.
    for word in search_words(query):
        select = select.where(Beneficiary.search_text.like(f"%{word}%"))
    # The key is lowercase hex: compared bytewise, whatever the database's own collation.
    return await select.order_by(bytewise_order(Beneficiary.sort_key)).order_by(Beneficiary.id).limit(PAGE_SIZE)


async def file_references(organisation: int) -> set[str]:
    """The file references already used in this CPAS (empty ones left out)."""
    rows = await Beneficiary.select(Beneficiary.file_reference).where(
        (Beneficiary.organisation == organisation) & (Beneficiary.file_reference != ""))
    return {r["file_reference"] for r in rows}
