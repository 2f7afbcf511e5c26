"""Secret links (feeds, "can't come" pages): their URLs and the link behind a token."""

from __future__ import annotations

from planner.invites.queries.calendar import settings_or_env
from planner.invites.tables import CalendarLink
from planner.invites.tokens import derive_token, looks_like_token, token_hash
from planner.settings import Settings

LINK_COLUMNS = (CalendarLink.id, CalendarLink.kind, CalendarLink.organisation, CalendarLink.beneficiary,
                CalendarLink.user, CalendarLink.enrolment, CalendarLink.placement, CalendarLink.salt, CalendarLink.created_at)


def link_url(settings: Settings, kind: str, salt: str) -> str:
    """The public URL of a link ("feed", "cant_come", "host_hours", "own_hours") with this salt."""
    path = {"feed": "feed", "host_hours": "host", "own_hours": "my-hours"}.get(kind, "cant-come")
    suffix = ".ics" if kind == "feed" else ""
    return f"{settings.base_url}/{path}/{derive_token(settings.secret, kind, salt)}{suffix}"


def live_link(kind: str, beneficiary: int | None, user: int | None, enrolment: int | None,
              placement: int | None = None):
    """The where-clause of the one live link of this kind of a placement, else an enrolment, else a person,
    else a staff member."""
    where = (CalendarLink.kind == kind) & (CalendarLink.revoked_at.is_null())
    if placement:
        return where & (CalendarLink.placement == placement)
    if enrolment:
        return where & (CalendarLink.enrolment == enrolment)
    if beneficiary:
        return where & (CalendarLink.beneficiary == beneficiary)
    return where & (CalendarLink.user == user)


async def link_salt(kind: str, *, beneficiary: int | None = None, user: int | None = None,
                    enrolment: int | None = None, placement: int | None = None) -> str | None:
    """The salt of the live link, None when none was issued."""
    row = await CalendarLink.select(CalendarLink.salt).where(
        live_link(kind, beneficiary, user, enrolment, placement)).first()
    return row["salt"] if row else None


async def feed_url(*, beneficiary: int | None = None, user: int | None = None,
                   settings: Settings | None = None) -> str:
    """The person's (or staff member's) feed link, '' when none was issued."""
    salt = await link_salt("feed", beneficiary=beneficiary, user=user)
    return link_url(settings_or_env(settings), "feed", salt) if salt is not None else ""


async def link_for_token(kind: str, token: str) -> dict | None:
    """The live link of this kind behind a token (LINK_COLUMNS), None for a token unknown or revoked."""
    if not looks_like_token(token):
        return None
    return await CalendarLink.select(*LINK_COLUMNS).where(
        (CalendarLink.token_hash == token_hash(token)) & (CalendarLink.kind == kind)
        & CalendarLink.revoked_at.is_null()).first()


async def revoked(kind: str, token: str) -> bool:
    """True when the token is one of a link that was revoked (410 Gone rather than 404 for a token never issued)."""
    if not looks_like_token(token):
        return False
    return await CalendarLink.exists().where((CalendarLink.token_hash == token_hash(token)) & (CalendarLink.kind == kind)
                                             & CalendarLink.revoked_at.is_not_null())




async def host_hours_url(placement: int, settings: Settings | None = None, kind: str = "host_hours") -> str:
    """A volunteering placement's live hours link of this kind ("host_hours", "own_hours"), '' when none was
    issued or it was revoked."""
    salt = await link_salt(kind, placement=placement)
    return link_url(settings_or_env(settings), kind, salt) if salt is not None else ""
