"""Sign in and out, the language switch, one's own account, and set-password links."""

from __future__ import annotations

from litestar import get, post
from litestar.datastructures import Cookie
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Response, Template

from planner import i18n
from planner.auth import actions, queries, rules
from planner.auth.access import SIGNED_IN
from planner.auth.store import ROTATE
from planner.i18n import gettext as _
from planner.orgs.queries import organisation_choices
from planner.web import flash, page, redirect, safe_next, signed_in_user, text

PUBLIC = {"exclude_from_auth": True, "opt": {"public": True}}


# ---- signing in ---------------------------------------------------------------------------------

@get("/login", **PUBLIC)
async def login_form(request: HTMXRequest, next: FromQuery[str] = "/") -> Template:
    return page(request, "auth/login.html", {"email": "", "error": "", "next": safe_next(next)})


@post("/login", **PUBLIC, status_code=200)
async def login(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    email, target = text(form, "email", 254), safe_next(text(form, "next"))
    result = await actions.sign_in(email, str(form.get("password", "")), request.client.host if request.client else "")
    if result.user_id is None:
        # One message whether or not the address exists.
        error = (_("Too many failed attempts. Wait %(seconds)s seconds, then try again.", seconds=result.wait_seconds)
                 if result.wait_seconds else _("This e-mail address and password do not match."))
        return page(request, "auth/login.html", {"email": email, "error": error, "next": target},
                    block="form", status_code=429 if result.wait_seconds else 200)
    store = request.app.stores.get("sessions")
    old_session = request.cookies.get("session")
    if old_session:
        await store.delete(old_session)
    await store.delete_expired()  # rows of sessions nobody came back to end here, not only when read again
    request.scope.setdefault("state", {})[ROTATE] = True
    request.set_session({"user_id": result.user_id, "epoch": result.epoch})
    return redirect(request, target)


@post("/logout", guards=[SIGNED_IN], status_code=303)
async def logout(request: HTMXRequest) -> Redirect:
    request.clear_session()
    return Redirect("/login", status_code=303)


@post("/language", **PUBLIC, status_code=303)
async def switch_language(request: HTMXRequest) -> Redirect:
    """The language switch on every page: remembered for the person, and for this browser."""
    form = await request.form()
    language = text(form, "language")
    response = Redirect(safe_next(text(form, "next")), status_code=303)
    if language not in i18n.LANGUAGES:
        return response
    user = signed_in_user(request)
    if user is None and request.session.get("user_id"):
        user = await _session_user(request)
    if user is not None:
        await actions.set_language(user.id, language)
    response.set_cookie(Cookie(key="lang", value=language, max_age=365 * 24 * 3600, httponly=True,
                               samesite="lax", secure=request.app.state.settings.is_https))
    return response


async def _session_user(request: HTMXRequest):
    from planner.auth.access import retrieve_user

    return await retrieve_user(request.session, request)


# ---- one's own account --------------------------------------------------------------------------

@get("/account", guards=[SIGNED_IN])
async def account(request: HTMXRequest) -> Template:
    return page(request, "auth/account.html", {"password_error": "", "saved": "", **await _org_names(request)})


async def _org_names(request: HTMXRequest) -> dict:
    choices = await organisation_choices(request.user.organisations())
    return {"org_names": {c["id"]: c["name"] for c in choices}}


@post("/account/password", guards=[SIGNED_IN], status_code=200)
async def change_password(request: HTMXRequest) -> Template:
    form = await request.form()
    new, confirmation = str(form.get("new_password", "")), str(form.get("confirmation", ""))
    problem = rules.password_problem(new, confirmation, request.user.email)
    result = None if problem else await actions.change_password(
        request.user.id, str(form.get("current_password", "")), new, request.client.host if request.client else "")
    if result is None or result.epoch is None:
        if problem:
            error = _(problem)
        elif result.wait_seconds:  # the same wait, and the same answer, as at sign-in
            error = _("Too many failed attempts. Wait %(seconds)s seconds, then try again.",
                      seconds=result.wait_seconds)
        else:
            error = _("Your current password is not right.")
        return page(request, "auth/account.html", {"password_error": error, "saved": "", **await _org_names(request)},
                    block="password", status_code=429 if result and result.wait_seconds else 422)
    # This session stays signed in; every other session of this person ends.
    request.set_session({**request.session, "epoch": result.epoch})
    return page(request, "auth/account.html", {"password_error": "", "saved": _("Your password has been changed."),
                                               **await _org_names(request)}, block="password")


# ---- set-password links -------------------------------------------------------------------------

@get("/set-password/{token:str}", **PUBLIC)
async def set_password_form(request: HTMXRequest, token: FromPath[str]) -> Template:
    found = await queries.find_password_token(token)
    return page(request, "auth/set_password.html",
                {"token": token, "valid": found is not None, "error": "",
                 "email": found["user.email"] if found else ""}, status_code=200 if found else 404)


@post("/set-password/{token:str}", **PUBLIC, status_code=200)
async def set_password(request: HTMXRequest, token: FromPath[str]) -> Response | Template:
    found = await queries.find_password_token(token)
    if found is None:
        return page(request, "auth/set_password.html", {"token": token, "valid": False, "error": "", "email": ""},
                    status_code=404)
    form = await request.form()
    password, confirmation = str(form.get("password", "")), str(form.get("confirmation", ""))
    problem = rules.password_problem(password, confirmation, found["user.email"])
    if problem or not await actions.set_password_with_token(token, password):
        return page(request, "auth/set_password.html",
                    {"token": token, "valid": True, "email": found["user.email"],
                     "error": _(problem) if problem else _("This link has already been used or has expired.")}, status_code=422)
    flash(request, _("Your password is set. You can sign in now."))
    return redirect(request, "/login")
