"""Personal calendar feeds and "can't come" pages (secret links, no login), the outbox, schedule cards.

Who may use what:
- /feed/<token>.ics (GET and HEAD), /cant-come/<token>: anyone holding the secret link (public; the token is
  the key). A revoked feed link answers 410 Gone, so a phone drops the subscription; a token never issued, 404.
- /people/<id>/calendar/feed…, /people/<id>/schedule-card: the social workers and coordinators of the
  person's own CPAS; revoking or renewing a feed link: its coordinators only.
- /my-calendar: any signed-in staff member, for their own feed (a social worker's also holds their PIIS
  evaluations, by file reference: planner/piis/queries.py).
- /outbox: administrators and coordinators, for the mails of their own organisations.
"""

from __future__ import annotations

import datetime as dt
from email import message_from_string, policy
from email.utils import format_datetime, parsedate_to_datetime

import segno
from litestar import Request, Router, get, head, post
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template
from markupsafe import Markup

from planner import i18n
from planner.auth.access import COORDINATORS, SIGNED_IN, requires
from planner.i18n import gettext as _
from planner.i18n import ngettext
from planner.invites import actions, contact, queries
from planner.invites.contact import tel_uri
from planner.invites.access import (
    OUTBOX_ROLES, get_coordinated_person_for_user, get_mail_for_user, home_organisation, outbox_organisations,
)
from planner.invites.rules import STATUS_LABELS
from planner.people.access import FILE_ROLES, get_beneficiary_for_user
from planner.auth.rules import Role
from planner.piis.queries import calendar_evaluations
from planner.web import flash, form_id, page, redirect, text


FILE_STAFF = requires(*FILE_ROLES)
OUTBOX_STAFF = requires(*OUTBOX_ROLES)
PUBLIC = {"exclude_from_auth": True, "opt": {"public": True}}
STATUSES = tuple(STATUS_LABELS)


# -- the personal feed ----------------------------------------------------------------------------------------

FEED_TYPE = "text/calendar"  # Litestar adds "; charset=utf-8" to every text/ type, even one that has it


async def _feed(request: Request, token: str, with_body: bool) -> Response:
    token = token.removesuffix(".ics")
    link = await queries.feed_link(token)
    if link is None:
        if await queries.revoked("feed", token):
            raise HTTPException(status_code=410, detail="Gone")
        raise NotFoundException()
    feed = await actions.feed_for(link, request.app.state.settings)
    etag = f'"{feed.tag}"'
    headers = {"ETag": etag, "Last-Modified": format_datetime(feed.changed_at, usegmt=True),
               "Cache-Control": "private, no-cache"}  # phones ask each time; the answer is mostly "304"
    if _not_modified(request, etag, feed.changed_at):
        return Response(b"" if with_body else None, status_code=304, headers=headers)
    headers["Content-Disposition"] = 'inline; filename="planner.ics"'
    if not with_body:  # HEAD: the headers a GET would send, its length included
        return Response(None, media_type=FEED_TYPE, headers={**headers, "Content-Length": str(len(feed.body))})
    return Response(feed.body, media_type=FEED_TYPE, headers=headers)


@get("/feed/{token:str}", skip_session=True, **PUBLIC)
async def calendar_feed(request: Request, token: FromPath[str]) -> Response:
    return await _feed(request, token, with_body=True)


@head("/feed/{token:str}", skip_session=True, **PUBLIC)
async def calendar_feed_head(request: Request, token: FromPath[str]) -> Response[None]:
    """Some calendar apps ask HEAD first to learn whether the feed changed."""
    return await _feed(request, token, with_body=False)


def _not_modified(request: Request, etag: str, changed_at: dt.datetime) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:  # the ETag wins when both are sent (RFC 9110 13.2.2)
        return etag in [t.strip().removeprefix("W/") for t in if_none_match.split(",")] or if_none_match.strip() == "*"
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return changed_at <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


# -- "can't come" ---------------------------------------------------------------------------------------------

async def _cant_come(request: HTMXRequest, token: str, asked: str | None = None) -> tuple[dict, dict]:
    link = await queries.link_for_token("cant_come", token)
    found = await queries.cant_come_page(link) if link else None
    if found is None:
        raise NotFoundException()
    i18n.set_language(found["language"])  # the participant's language, whatever the browser says
    # the next three sessions, or as many as the "more" link asked for (a plain link: works without JS)
    shown = contact.shown_count(asked, len(found["sessions"]))
    found |= {"shown": shown, "more": len(found["sessions"]) - shown, "next_count": shown + contact.SHOWN_AT_FIRST,
              "sessions": found["sessions"][:shown], "cpas_tel": tel_uri(found["module"].cpas_phone)}
    return link, found


@get("/cant-come/{token:str}", **PUBLIC)
async def cant_come(request: HTMXRequest, token: FromPath[str]) -> Template:
    _link, found = await _cant_come(request, token, request.query_params.get("shown"))
    return page(request, "invites/cant_come.html", {**found, "token": token, "done": None, "message": ""})


@post("/cant-come/{token:str}", status_code=200, **PUBLIC)
async def cant_come_tell(request: HTMXRequest, token: FromPath[str]) -> Template:
    link, found = await _cant_come(request, token)
    form = await request.form()
    session_id = form_id(form, "session")
    coming = text(form, "answer") == "coming"
    done = await actions.tell_cant_come(link, session_id, coming=coming)
    _link, found = await _cant_come(request, token, text(form, "shown"))
    status = 200 if done else 422
    message = ((_("Thank you. We will tell your group you can come.") if coming else
                _("Thank you. We have noted that you cannot come.")) if done else
               _("This session cannot be changed any more. Please call us."))
    return page(request, "invites/cant_come.html", {**found, "token": token, "done": done, "message": message},
                block="sessions", status_code=status)


# -- a beneficiary's invitations, feed and schedule card ------------------------------------------------------

@post("/people/{person_id:int}/calendar/feed", guards=[FILE_STAFF], status_code=200)
async def issue_person_feed(request: HTMXRequest, person_id: FromPath[int]) -> Response | Template:
    """Create the feed link when there is none (social workers and coordinators)."""
    person = await get_beneficiary_for_user(request.user, person_id)
    await actions.feed_url(person["organisation"], beneficiary=person_id, create=True,
                           settings=request.app.state.settings)
    return await _after_feed_change(request, person, _("The calendar link is ready."))


@post("/people/{person_id:int}/calendar/feed/renew", guards=[COORDINATORS], status_code=200)
async def renew_person_feed(request: HTMXRequest, person_id: FromPath[int]) -> Response | Template:
    person = await get_coordinated_person_for_user(request.user, person_id)
    await actions.renew_feed(person["organisation"], beneficiary=person_id, settings=request.app.state.settings)
    return await _after_feed_change(request, person, _("The old link no longer works. Here is the new one."))


@post("/people/{person_id:int}/calendar/feed/revoke", guards=[COORDINATORS], status_code=200)
async def revoke_person_feed(request: HTMXRequest, person_id: FromPath[int]) -> Response | Template:
    person = await get_coordinated_person_for_user(request.user, person_id)
    await actions.revoke_feed(beneficiary=person_id)
    return await _after_feed_change(request, person, _("The calendar link no longer works."))


async def _after_feed_change(request: HTMXRequest, person: dict, message: str) -> Response | Template:
    if getattr(request, "htmx", None):
        calendar = await queries.person_calendar(person, request.app.state.settings)
        return page(request, "people/show.html", {"person": person, "calendar": {**calendar, "message": message}},
                    block="calendar")
    flash(request, message)
    return redirect(request, f"/people/{person['id']}")


@get("/people/{person_id:int}/schedule-card", guards=[FILE_STAFF])
async def schedule_card(request: HTMXRequest, person_id: FromPath[int]) -> Template:
    """A printable card for people without e-mail: one list of dates by day, places, the CPAS's phone, a QR code
    of the feed; the person's double bookings flagged on screen, not on paper."""
    person = await get_beneficiary_for_user(request.user, person_id)
    feed = await queries.feed_url(beneficiary=person_id, settings=request.app.state.settings)
    card = await queries.schedule_card(person)
    # The controls and on-screen warnings are for the staff member: their words, before the card's language
    staff = {"language": i18n.current_language(), "print": _("Print"), "back": _("Back"),
             "no_link": _("No calendar link yet: make one on the person's page to print a QR code."),
             "clashes": ngettext("%(num)d session overlaps another of this person's sessions.",
                                 "%(num)d sessions overlap another of this person's sessions.", card["clashes"]),
             "clash_hint": _("They are marked below. Change one of the modules before printing: this warning is "
                             "not printed."), "clash_mark": _("Overlaps another session")}
    i18n.set_language(person["language"] if person["language"] in i18n.LANGUAGES else i18n.current_language())
    qr = Markup(segno.make(feed, error="m").svg_inline(scale=4, title=_("Calendar link"))) if feed else None
    return page(request, "invites/schedule_card.html", {"person": person, **card, "feed_url": feed, "qr": qr,
                                                        "staff": staff})


# -- a staff member's own feed --------------------------------------------------------------------------------

async def _coming_evaluations(request: HTMXRequest) -> list[dict]:
    """A social worker's PIIS evaluations from today on, as their feed shows them (file reference, no name)."""
    if not request.user.has_role(Role.SOCIAL_WORKER):
        return []
    today = i18n.today()
    return [e for e in await calendar_evaluations(request.user.id) if not e["held"] and e["day"] >= today]


@get("/my-calendar", guards=[SIGNED_IN])
async def my_calendar(request: HTMXRequest) -> Template:
    feed = await queries.feed_url(user=request.user.id, settings=request.app.state.settings)
    return page(request, "invites/my_calendar.html", {"feed_url": feed, "message": "",
                                                       "evaluations": await _coming_evaluations(request)})


@post("/my-calendar/feed", guards=[SIGNED_IN], status_code=200)
async def renew_my_feed(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    if text(form, "action") == "revoke":
        await actions.revoke_feed(user=request.user.id)
        message = _("The calendar link no longer works.")
    else:
        await actions.renew_feed(home_organisation(request.user), user=request.user.id,
                                 settings=request.app.state.settings)
        message = _("Here is your new calendar link. An older link no longer works.")
    feed = await queries.feed_url(user=request.user.id, settings=request.app.state.settings)
    return page(request, "invites/my_calendar.html", {"feed_url": feed, "message": message,
                                                       "evaluations": await _coming_evaluations(request)}, block="feed")


# -- the outbox -----------------------------------------------------------------------------------------------

@get("/outbox", guards=[OUTBOX_STAFF])
async def outbox(request: HTMXRequest) -> Template:
    status = request.query_params.get("status", "")
    mails = await queries.outbox_mails(outbox_organisations(request.user), status)
    configured = bool(request.app.state.settings.smtp_host)
    return page(request, "invites/outbox.html", {"mails": mails, "status": status, "statuses": STATUSES,
                                                  "configured": configured, **queries.labels()}, block="mails")


@get("/outbox/{mail_id:int}", guards=[OUTBOX_STAFF])
async def outbox_mail(request: HTMXRequest, mail_id: FromPath[int]) -> Template:
    mail = await get_mail_for_user(request.user, mail_id)
    message = message_from_string(mail["message"], policy=policy.default)
    text_part = message.get_body(preferencelist=("plain",))
    calendar = next((p for p in message.walk() if p.get_content_type() == "text/calendar"), None)
    return page(request, "invites/outbox_mail.html", {
        "mail": mail, "text": text_part.get_content() if text_part else "",
        "calendar": calendar.get_content() if calendar else "", **queries.labels()})


@post("/outbox/{mail_id:int}/retry", guards=[OUTBOX_STAFF], status_code=200)
async def outbox_retry(request: HTMXRequest, mail_id: FromPath[int]) -> Response:
    mail = await get_mail_for_user(request.user, mail_id)
    if mail["status"] in ("refused", "failed"):
        await actions.retry_now(mail_id)
        flash(request, _("The mail will be sent again."))
    return redirect(request, f"/outbox/{mail_id}")


router = Router(path="/", route_handlers=[
    calendar_feed, calendar_feed_head, cant_come, cant_come_tell, issue_person_feed, renew_person_feed,
    revoke_person_feed, schedule_card, my_calendar, renew_my_feed, outbox, outbox_mail, outbox_retry,
])
