"""A placement's shifts are the sessions of its own module (module_type "volunteering"), the volunteer its one
enrolment: made through the modules' and enrolment's actions, so the schedule screen (recurrence, holidays),
invitations, reminders, the personal feed, "I cannot come" and the roll work for shifts unchanged."""

from __future__ import annotations

from planner.db import for_update, write_transaction
from planner.enrolment import actions as enrolment
from planner.modules import actions as modules
from planner.modules.actions import ModuleForm  # the modules area's own input shape, through its actions
from planner.modules.queries import module_with_code
from planner.orgs.access import name_of
from planner.orgs.tables import Organisation
from planner.people.tables import Beneficiary
from planner.volunteering.tables import Placement

MODULE_TYPE = "volunteering"


async def plan_shifts(organisation_id: int, placement_id: int, user_id: int) -> int:
    """The placement's module (its shifts), made with the volunteer enrolled from the first day when there is
    none yet; its id either way. ValueError for a placement not of the CPAS."""
    async with write_transaction():
        row = await for_update(Placement.select(
            Placement.module, Placement.beneficiary, Placement.host, Placement.starts_on, Placement.id).where(
            (Placement.id == placement_id) & (Placement.organisation == organisation_id))).first()
        if row is None:
            raise ValueError("no such placement")
        if row["module"] is not None:
            return row["module"]
        host = await Organisation.select().where(Organisation.id == row["host"]).first()
        person = await Beneficiary.select(Beneficiary.language).where(Beneficiary.id == row["beneficiary"]).first()
        code, n = f"VOL-{placement_id}", 1
        while await module_with_code(organisation_id, code):  # a module typed with that code by hand keeps it
            n += 1
            code = f"VOL-{placement_id}-{n}"
        form = ModuleForm(code=code, title=name_of(host), module_type=MODULE_TYPE, strand="A",
                          aim="social_activation", objectives="", target_public="", composition="mixed",
                          capacity="1", minimum_size="1", languages=[person["language"]], partners=[row["host"]])
        module_id = await modules.create_module(organisation_id, form, [])
        enrolment_id = await enrolment.propose(module_id, row["beneficiary"], organisation_id, "", user_id)
        await enrolment.accept(enrolment_id, user_id, row["starts_on"], "")
        await Placement.update({Placement.module: module_id, Placement.enrolment: enrolment_id}).where(
            Placement.id == placement_id)
    return module_id
