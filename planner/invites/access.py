"""What of the invites area a staff member may reach, always through their memberships: another CPAS's mail or
person is a 404 (NotFoundException), never a 403. Secret links need no membership: the token is the key."""

from __future__ import annotations

from litestar.exceptions import NotFoundException

from planner.auth.access import CurrentUser, is_own_row, own_object
from planner.auth.rules import Role
from planner.invites.tables import OutboxMail
from planner.people.access import get_beneficiary_for_user

OUTBOX_ROLES = (Role.ADMINISTRATOR, Role.COORDINATOR)


def outbox_organisations(user: CurrentUser) -> list[int]:
    """Ids of the organisations whose outbox the user reads ([0], matching nothing, when none)."""
    return sorted(user.organisations(*OUTBOX_ROLES)) or [0]


def home_organisation(user: CurrentUser) -> int:
    """The organisation a staff member's own feed link is filed under: the first of theirs, 0 when none."""
    return min(user.organisations()) if user.organisations() else 0


async def get_mail_for_user(user: CurrentUser, mail_id: int) -> dict:
    """The whole OutboxMail row of one of the user's outboxes."""
    row = await OutboxMail.select().where(
        (OutboxMail.id == mail_id) & OutboxMail.organisation.is_in(outbox_organisations(user))).first()
    if row is None:
        raise NotFoundException()
    return row


async def get_coordinated_person_for_user(user: CurrentUser, person_id: int) -> dict:
    """The beneficiary row, when the user coordinates the person's CPAS (revoking or renewing their feed)."""
    person = await get_beneficiary_for_user(user, person_id)
    if person["organisation"] not in user.organisations(Role.COORDINATOR):
        raise NotFoundException()  # a coordinator of another CPAS who is a social worker here
    return person


own_object("mail_id")(lambda user, mail_id: is_own_row(user, OutboxMail, mail_id))  # 404 before any 403
