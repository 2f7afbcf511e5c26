"""Sign in and out, one's own account and language, set-password links, and account management."""

from __future__ import annotations

from litestar import Router, get, post
from litestar.datastructures import Cookie
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Response, Template

from planner import i18n
from planner.auth import actions, rules
from planner.auth.access import SIGNED_IN, requires
from planner.auth.rules import Role
from planner.auth.store import ROTATE
from planner.auth.tables import Membership, User
from planner.i18n import gettext as _
from planner.names import person_sort_key
from planner.orgs.access import managed_organisations, name_of, organisation_choices
from planner.web import flash, form_id, form_text, page, parse_id, redirect, safe_next, signed_in_user, text

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
    found = await actions.find_password_token(token)
    return page(request, "auth/set_password.html",
                {"token": token, "valid": found is not None, "error": "",
                 "email": found["user.email"] if found else ""}, status_code=200 if found else 404)


@post("/set-password/{token:str}", **PUBLIC, status_code=200)
async def set_password(request: HTMXRequest, token: FromPath[str]) -> Response | Template:
    found = await actions.find_password_token(token)
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


# ---- managing accounts (administrators) ---------------------------------------------------------

ADMIN = requires(Role.ADMINISTRATOR)
# Who manages an account is one rule (README "Accounts", rules.manages_account): every organisation
# the account has a role in is one the administrator administers. Anything else is a 404.


def _admin_of(request: HTMXRequest) -> set[int]:
    return request.user.organisations(Role.ADMINISTRATOR)


async def get_user_for_user(request: HTMXRequest, user_id: int) -> dict:
    """An account the administrator manages, else 404."""
    if user_id not in await actions.managed_accounts(_admin_of(request)):
        raise NotFoundException()
    return await User.select().where(User.id == user_id).first()


async def _user_context(request: HTMXRequest, user: dict, **extra) -> dict:
    orgs = await managed_organisations(request.user)
    memberships = await Membership.select(
        Membership.id, Membership.role, Membership.organisation, Membership.organisation.kind,
        *Membership.organisation.all_columns(exclude=["id", "kind"])
    ).where(Membership.user == user["id"]).order_by(Membership.id)
    memberships = [{**m, "name": name_of(m, "organisation.")} for m in memberships]
    return {"account": user, "memberships": memberships, "managed": orgs, "is_self": user["id"] == request.user.id,
            "choices": await organisation_choices(orgs), "roles_by_kind": rules.ROLES_BY_KIND,
            "errors": {}, "link": "", "typed": {}, **extra}


async def _memberships_refused(request: HTMXRequest, user_id: int, problem: str) -> Template:
    user = await User.select().where(User.id == user_id).first()
    return page(request, "auth/user.html", await _user_context(request, user, errors={"membership": _(problem)}),
                block="memberships", status_code=422)


@get("/users", guards=[ADMIN])
async def user_list(request: HTMXRequest) -> Template:
    ids = sorted(await actions.managed_accounts(_admin_of(request)))
    users = await User.select(User.id, User.full_name, User.email, User.is_active, User.password_hash).where(
        User.id.is_in(ids or [0])
    ).order_by(User.full_name).order_by(User.id)
    users.sort(key=lambda u: person_sort_key(u["full_name"], ""))  # as every list of people (planner/names.py)
    roles = await Membership.select(Membership.user, Membership.role).where(Membership.user.is_in(ids or [0]))
    by_user: dict[int, set[str]] = {}
    for r in roles:
        by_user.setdefault(r["user"], set()).add(r["role"])
    return page(request, "auth/users.html", {"users": users, "roles": by_user})


@get("/users/new", guards=[ADMIN])
async def new_user_form(request: HTMXRequest) -> Template:
    orgs = await managed_organisations(request.user)
    return page(request, "auth/user_new.html", {
        "choices": await organisation_choices(orgs), "errors": {}, "values": {}, "roles_by_kind": rules.ROLES_BY_KIND,
    })


@post("/users", guards=[ADMIN], status_code=200)
async def create_user(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    errors: dict[str, str] = {}
    values = {k: text(form, k, 254) for k in ("language", "organisation", "role")}
    values |= {k: form_text(form, k, getattr(User, k), errors) for k in ("email", "full_name")}
    too_long = dict(errors)
    orgs = await managed_organisations(request.user)
    choices = await organisation_choices(orgs)
    kinds = {c["id"]: c["kind"] for c in choices}
    if not rules.looks_like_email(values["email"]):
        errors["email"] = _("This e-mail address is not valid.")
    elif await actions.email_taken(values["email"]):
        errors["email"] = _("An account with this e-mail address already exists.")
    if not values["full_name"]:
        errors["full_name"] = _("Fill in the name.")
    errors |= too_long
    org_id = parse_id(values["organisation"]) or 0
    if org_id not in kinds:
        errors["organisation"] = _("Choose an organisation you manage.")
    elif not rules.can_grant(kinds[org_id], values["role"]):
        errors["role"] = _("This role does not exist in this kind of organisation.")
    language = values["language"] if values["language"] in i18n.LANGUAGES else ""
    if errors:
        return page(request, "auth/user_new.html", {"choices": choices, "errors": errors, "values": values,
                                                    "roles_by_kind": rules.ROLES_BY_KIND},
                    block="form", status_code=422)
    user_id = await actions.create_user(values["email"], values["full_name"], language, org_id, values["role"])
    token = await actions.issue_password_link(user_id, request.app.state.settings.set_password_link_days,
                                              _admin_of(request))
    user = await User.select().where(User.id == user_id).first()
    return page(request, "auth/user.html", await _user_context(request, user, link=_link(request, token)))


def _link(request: HTMXRequest, token: str) -> str:
    return f"{request.app.state.settings.base_url}/set-password/{token}"


@get("/users/{user_id:int}", guards=[ADMIN])
async def user_detail(request: HTMXRequest, user_id: FromPath[int]) -> Template:
    user = await get_user_for_user(request, user_id)
    return page(request, "auth/user.html", await _user_context(request, user))


@post("/users/{user_id:int}", guards=[ADMIN], status_code=200)
async def update_user(request: HTMXRequest, user_id: FromPath[int]) -> Response | Template:
    user = await get_user_for_user(request, user_id)
    form = await request.form()
    errors: dict[str, str] = {}
    full_name, language = form_text(form, "full_name", User.full_name, errors), text(form, "language")
    if not full_name or errors:
        # The form comes back with what was typed; the page's title keeps the saved name.
        typed = {"full_name": str(form.get("full_name", "")), "language": language,
                 "is_active": form.get("is_active") == "1"}
        return page(request, "auth/user.html",
                    await _user_context(request, user, typed=typed,
                                        errors=errors or {"full_name": _("Fill in the name.")}),
                    block="details", status_code=422)
    try:
        await actions.update_user(request.user.id, _admin_of(request), user_id, full_name,
                                  language if language in i18n.LANGUAGES else "", form.get("is_active") == "1")
    except actions.NotManaged:
        raise NotFoundException() from None
    flash(request, _("The account has been saved."))
    return redirect(request, f"/users/{user_id}")


@post("/users/{user_id:int}/memberships", guards=[ADMIN], status_code=200)
async def add_membership(request: HTMXRequest, user_id: FromPath[int]) -> Response | Template:
    await get_user_for_user(request, user_id)
    form = await request.form()
    orgs = await managed_organisations(request.user)
    kinds = {c["id"]: c["kind"] for c in await organisation_choices(orgs)}
    org_id = form_id(form, "organisation")
    role = text(form, "role")
    if org_id not in kinds:
        return await _memberships_refused(request, user_id, "Choose an organisation you manage.")
    if not rules.can_grant(kinds[org_id], role):
        return await _memberships_refused(request, user_id, "This role does not exist in this kind of organisation.")
    try:
        problem = await actions.grant(request.user.id, _admin_of(request), user_id, org_id, role)
    except actions.NotManaged:
        raise NotFoundException() from None
    if problem:
        return await _memberships_refused(request, user_id, problem)
    flash(request, _("The role has been added."))
    return redirect(request, f"/users/{user_id}")


@post("/users/{user_id:int}/memberships/{membership_id:int}/delete", guards=[ADMIN], status_code=200)
async def remove_membership(request: HTMXRequest, user_id: FromPath[int], membership_id: FromPath[int]) -> Response:
    await get_user_for_user(request, user_id)
    try:
        problem = await actions.revoke(request.user.id, _admin_of(request), user_id, membership_id)
    except actions.NotManaged:
        raise NotFoundException() from None
    if problem:
        return await _memberships_refused(request, user_id, problem)
    flash(request, _("The role has been removed."))
    return redirect(request, f"/users/{user_id}")


@post("/users/{user_id:int}/password-link", guards=[ADMIN], status_code=200)
async def new_password_link(request: HTMXRequest, user_id: FromPath[int]) -> Template:
    user = await get_user_for_user(request, user_id)
    try:
        token = await actions.issue_password_link(user_id, request.app.state.settings.set_password_link_days,
                                                  _admin_of(request))
    except actions.NotManaged:
        raise NotFoundException() from None
    return page(request, "auth/user.html", await _user_context(request, user, link=_link(request, token)),
                block="link")


router = Router(path="/", route_handlers=[
    login_form, login, logout, switch_language, account, change_password, set_password_form, set_password,
    user_list, new_user_form, create_user, user_detail, update_user, add_membership, remove_membership,
    new_password_link,
])
