"""Who may decide on an enrolment: a coordinator of its module (see `modules/access.py`)."""

from __future__ import annotations

from litestar.exceptions import NotFoundException

from planner.auth.access import CurrentUser, own_object
from planner.enrolment.tables import Enrolment
from planner.modules.access import get_managed_module, sees_module


async def get_managed_enrolment(user: CurrentUser, enrolment_id: int) -> dict:
    """The enrolment row, for a coordinator of its module: 404 when there is no such enrolment or the person
    does not see its module (another CPAS), 403 when they see the module without managing it."""
    row = await Enrolment.select().where(Enrolment.id == enrolment_id).first()
    if row is None:
        raise NotFoundException()
    await get_managed_module(user, row["module"])
    return row


@own_object("enrolment_id")  # 404 before any 403 (auth.access.refuse)
async def sees_enrolment(user: CurrentUser, enrolment_id: int) -> bool:
    """Whether the enrolment exists and its module is visible to this person."""
    row = await Enrolment.select(Enrolment.module).where(Enrolment.id == enrolment_id).first()
    return row is not None and await sees_module(user, row["module"])
