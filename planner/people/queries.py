"""Reads of the people area for its pages: the list and search of beneficiaries, the import's check."""

from __future__ import annotations

from planner.db import bytewise_order
from planner.names import search_words
from planner.people.reimport import COMPARED, current_values
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


async def known_people(organisation: int) -> dict[str, dict]:
    """File reference -> {"id", "values": reimport.current_values} of the CPAS's people who have one: what a
    re-imported export updates."""
    rows = await Beneficiary.select(Beneficiary.id, Beneficiary.file_reference,
                                    *(Beneficiary._meta.get_column_by_name(f) for f in COMPARED)).where(
        (Beneficiary.organisation == organisation) & (Beneficiary.file_reference != ""))
    return {r["file_reference"]: {"id": r["id"], "values": current_values(r)} for r in rows}
