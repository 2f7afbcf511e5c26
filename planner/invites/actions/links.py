"""Secret links without login: issuing, renewing and revoking feed and "can't come" links (tokens.py)."""

from __future__ import annotations

from planner.db import write_transaction
from planner.invites.queries import feed_url as issued_feed_url
from planner.invites.queries import link_salt, link_url, live_link, settings_or_env, utcnow
from planner.invites.tables import CalendarLink
from planner.invites.tokens import derive_token, new_salt, token_hash
from planner.settings import Settings


async def link(kind: str, organisation: int, settings: Settings, *, beneficiary: int | None = None,
               user: int | None = None, enrolment: int | None = None, placement: int | None = None) -> str:
    """The URL of the live link of this kind (queries.live_link), issued now when there is none."""
    async with write_transaction():  # joins the caller's; else two clicks could issue two live links
        salt = await link_salt(kind, beneficiary=beneficiary, user=user, enrolment=enrolment, placement=placement)
        if salt is not None:
            return link_url(settings, kind, salt)
        salt = new_salt()
        await CalendarLink.insert(CalendarLink(
            kind=kind, organisation=organisation, beneficiary=beneficiary, user=user, enrolment=enrolment,
            placement=placement, salt=salt, token_hash=token_hash(derive_token(settings.secret, kind, salt)), created_at=utcnow(),
            content_tag=""))
        return link_url(settings, kind, salt)


async def cant_come_url(enrolment: int, organisation: int, settings: Settings | None = None) -> str:
    """The enrolment's "can't come" link, issued when there is none."""
    return await link("cant_come", organisation, settings_or_env(settings), enrolment=enrolment)


async def feed_url(organisation: int, *, beneficiary: int | None = None, user: int | None = None,
                   create: bool = False, settings: Settings | None = None) -> str:
    """The person's feed link, '' when none was issued (and create is False)."""
    if not create:
        return await issued_feed_url(beneficiary=beneficiary, user=user, settings=settings)
    return await link("feed", organisation, settings_or_env(settings), beneficiary=beneficiary, user=user)


async def renew_feed(organisation: int, *, beneficiary: int | None = None, user: int | None = None,
                     settings: Settings | None = None) -> str:
    """Revoke the person's feed link (a lost phone, a link shared by mistake) and issue a new one."""
    async with write_transaction():
        await revoke_feed(beneficiary=beneficiary, user=user)
        return await link("feed", organisation, settings_or_env(settings), beneficiary=beneficiary, user=user)


async def revoke_feed(*, beneficiary: int | None = None, user: int | None = None) -> None:
    """The person's feed link stops working (410 Gone from now on); nothing when there is none."""
    await CalendarLink.update({CalendarLink.revoked_at: utcnow()}).where(live_link("feed", beneficiary, user, None))


async def host_hours_link(placement: int, organisation: int, settings: Settings | None = None,
                          kind: str = "host_hours") -> str:
    """A volunteering placement's hours link, issued when none: kind "host_hours" for the host's contact,
    "own_hours" for the volunteer (both record hours without an account)."""
    return await link(kind, organisation, settings_or_env(settings), placement=placement)


async def revoke_host_hours(placement: int, kind: str = "host_hours") -> bool:
    """The placement's hours link of this kind stops working (410 from now on); False when there was none."""
    async with write_transaction():
        live = await CalendarLink.exists().where(live_link(kind, None, None, None, placement))
        await CalendarLink.update({CalendarLink.revoked_at: utcnow()}).where(
            live_link(kind, None, None, None, placement))
    return live
