"""Who may open a person's PIIS file: the social workers of the person's CPAS, nobody else (issue 15, privacy).

Coordinators of the CPAS see figures without narrative text (the report's counts, the due list's dates);
facilitators and partner staff never; another CPAS never, also in a cluster (404: not even a hint that the
person exists). Every opening of a PIIS or a bilan is logged by the route (actions.log_opening)."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException, PermissionDeniedException

from planner.auth.access import CurrentUser, is_own_row, own_object, requires
from planner.auth.rules import Role
from planner.people.tables import Beneficiary
from planner.piis.tables import BilanSocial, Evaluation, Piis


def _hidden_unless(*roles: Role):
    """requires(), but 404 rather than 403 without the role: a coordinator, facilitator or partner learns
    nothing, not even that PIIS pages exist for this person (issue 15, privacy)."""
    inner = requires(*roles)

    async def guard(connection: ASGIConnection, handler: Any) -> None:
        try:
            await inner(connection, handler)
        except PermissionDeniedException:
            raise NotFoundException() from None

    guard.roles = roles  # read by the route-table test
    return guard


SOCIAL_WORKERS = _hidden_unless(Role.SOCIAL_WORKER)  # the narrative: PIIS, bilan, evaluations, measurements
FIGURE_READERS = requires(Role.SOCIAL_WORKER, Role.COORDINATOR)  # counts and dates, no narrative
LOG_READERS = requires(Role.ADMINISTRATOR)  # the access log


def worker_organisations(user: CurrentUser) -> set[int]:
    """The CPAS whose people's PIIS files this person may open."""
    return user.organisations(Role.SOCIAL_WORKER)


async def get_person_for_worker(user: CurrentUser, beneficiary_id: int) -> dict:
    """The person (id, organisation, names, language, status, birth_date), for a social worker of their CPAS;
    404 otherwise."""
    row = await Beneficiary.select(
        Beneficiary.id, Beneficiary.organisation, Beneficiary.first_name, Beneficiary.last_name,
        Beneficiary.language, Beneficiary.status, Beneficiary.birth_date, Beneficiary.gender,
    ).where(Beneficiary.id == beneficiary_id).first()
    if row is None or row["organisation"] not in worker_organisations(user):
        raise NotFoundException()
    return row


async def get_piis_for_worker(user: CurrentUser, piis_id: int) -> dict:
    """The PIIS row for a social worker of its CPAS; 404 otherwise."""
    row = await Piis.select().where(Piis.id == piis_id).first()
    if row is None or row["organisation"] not in worker_organisations(user):
        raise NotFoundException()
    return row


async def get_bilan_for_worker(user: CurrentUser, bilan_id: int) -> dict:
    row = await BilanSocial.select().where(BilanSocial.id == bilan_id).first()
    if row is None or row["organisation"] not in worker_organisations(user):
        raise NotFoundException()
    return row


async def get_evaluation_for_worker(user: CurrentUser, evaluation_id: int) -> tuple[dict, dict]:
    """(evaluation, its PIIS) for a social worker of the PIIS's CPAS; 404 otherwise."""
    row = await Evaluation.select().where(Evaluation.id == evaluation_id).first()
    if row is None:
        raise NotFoundException()
    return row, await get_piis_for_worker(user, row["piis"])


# For the routes guarded by requires() (FIGURE_READERS, LOG_READERS): another CPAS's object is a 404 before any 403.
own_object("piis_id")(lambda user, piis_id: is_own_row(user, Piis, piis_id))
own_object("bilan_id")(lambda user, bilan_id: is_own_row(user, BilanSocial, bilan_id))


@own_object("evaluation_id")
async def is_own_evaluation(user: CurrentUser, evaluation_id: int) -> bool:
    row = await Evaluation.select(Evaluation.piis).where(Evaluation.id == evaluation_id).first()
    return row is not None and await is_own_row(user, Piis, row["piis"])
