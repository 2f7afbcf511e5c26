"""A beneficiary is visible only to the social workers and coordinators of their own CPAS."""

from __future__ import annotations

from litestar.exceptions import NotFoundException

from planner.auth.access import CurrentUser, is_own_row, own_object
from planner.auth.rules import Role
from planner.people.tables import Beneficiary

FILE_ROLES = (Role.SOCIAL_WORKER, Role.COORDINATOR)


def file_organisations(user: CurrentUser) -> list[int]:
    return sorted(user.organisations(*FILE_ROLES)) or [0]


async def get_beneficiary_for_user(user: CurrentUser, beneficiary_id: int) -> dict:
    row = await Beneficiary.select().where(
        (Beneficiary.id == beneficiary_id) & Beneficiary.organisation.is_in(file_organisations(user))
    ).first()
    if row is None:
        raise NotFoundException()
    return row


own_object("person_id")(lambda user, person_id: is_own_row(user, Beneficiary, person_id))  # 404 before any 403
