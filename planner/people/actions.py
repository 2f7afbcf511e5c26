"""Writes of the people area."""

from __future__ import annotations

import datetime as dt

from planner.db import write_transaction
from planner.invites.actions import forget_feeds_of_person
from planner.people.reimport import COMPARED
from planner.people.rules import BeneficiaryForm, derived_columns, parse_date
from planner.people.tables import Beneficiary


def _values(form: BeneficiaryForm) -> dict:
    return {
        Beneficiary.first_name: form.first_name, Beneficiary.last_name: form.last_name,
        Beneficiary.gender: form.gender, Beneficiary.birth_date: parse_date(form.birth_date),
        Beneficiary.language: form.language, Beneficiary.email: form.email.lower(),
        Beneficiary.phone: form.phone, Beneficiary.status: form.status,
        Beneficiary.file_reference: form.file_reference,
        Beneficiary.piis_subsidy_year: int(form.piis_subsidy_year) if form.piis_subsidy_year else None,
        **{Beneficiary._meta.get_column_by_name(name): value
           for name, value in derived_columns(form.first_name, form.last_name, form.file_reference).items()},
    }


async def create_beneficiary(organisation_id: int, form: BeneficiaryForm) -> int:
    row = Beneficiary(organisation=organisation_id)
    for column, value in _values(form).items():
        setattr(row, column._meta.name, value)
    async with write_transaction():
        return (await Beneficiary.insert(row).returning(Beneficiary.id))[0]["id"]


async def update_beneficiary(beneficiary_id: int, version: int, form: BeneficiaryForm) -> bool:
    """False when someone else saved this record since the form was opened."""
    async with write_transaction():
        changed = await Beneficiary.update({
            **_values(form), Beneficiary.version: version + 1,
            Beneficiary.updated_at: dt.datetime.now(dt.timezone.utc),
        }).where((Beneficiary.id == beneficiary_id) & (Beneficiary.version == version)).returning(Beneficiary.id)
        if changed:
            await forget_feeds_of_person(beneficiary=beneficiary_id)  # the feed speaks their language
    return bool(changed)


async def import_beneficiaries(organisation_id: int, forms: list[BeneficiaryForm],
                               updates: list[tuple[int, BeneficiaryForm]] = ()) -> int:
    """All rows in one transaction: an import never stops half-way. forms: new people; updates: (id, form) of
    people of this CPAS the file knows by their file reference (issue 18), whose compared fields
    (reimport.COMPARED) and derived name columns it rewrites, nothing else (a PIIS subsidy year stays).
    Returns how many people were added."""
    rows = []
    for form in forms:
        row = Beneficiary(organisation=organisation_id)
        for column, value in _values(form).items():
            setattr(row, column._meta.name, value)
        rows.append(row)
    async with write_transaction():
        for start in range(0, len(rows), 200):
            await Beneficiary.insert(*rows[start:start + 200])
        now = dt.datetime.now(dt.timezone.utc)
        for beneficiary_id, form in updates:
            values = {column: value for column, value in _values(form).items()
                      if column._meta.name in COMPARED or column._meta.name in derived_columns("", "", "")}
            await Beneficiary.update({**values, Beneficiary.version: Beneficiary.version + 1,
                                      Beneficiary.updated_at: now}).where(
                (Beneficiary.id == beneficiary_id) & (Beneficiary.organisation == organisation_id))
            await forget_feeds_of_person(beneficiary=beneficiary_id)  # the feed speaks their language
    return len(rows)
