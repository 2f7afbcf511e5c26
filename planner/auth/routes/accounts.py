"""Account management by administrators: the list, a new account, its details, roles and set-password link.

Who manages an account is one rule (README "Accounts", rules.manages_account): every organisation the
account has a role in is one the administrator administers. Anything else is a 404.
"""

from __future__ import annotations

from litestar import get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.auth import actions, queries, rules
from planner.auth.access import ADMINISTRATORS as ADMIN, get_user_for_user
from planner.auth.rules import Role
from planner.auth.tables import User
from planner.i18n import gettext as _
from planner.orgs.access import managed_organisations
from planner.orgs.queries import organisation_choices
from planner.web import flash, form_id, form_text, page, parse_id, redirect, text



def _admin_of(request: HTMXRequest) -> set[int]:
    return request.user.organisations(Role.ADMINISTRATOR)


async def _user_context(request: HTMXRequest, user: dict, **extra) -> dict:
    orgs = await managed_organisations(request.user)
    return {"account": user, "memberships": await queries.account_memberships(user["id"]), "managed": orgs,
            "is_self": user["id"] == request.user.id,
            "choices": await organisation_choices(orgs), "roles_by_kind": rules.ROLES_BY_KIND,
            "errors": {}, "link": "", "typed": {}, **extra}


async def _memberships_refused(request: HTMXRequest, user_id: int, problem: str) -> Template:
    user = await queries.account(user_id)
    return page(request, "auth/user.html", await _user_context(request, user, errors={"membership": _(problem)}),
                block="memberships", status_code=422)


@get("/users", guards=[ADMIN])
async def user_list(request: HTMXRequest) -> Template:
    users, by_user = await queries.account_list(sorted(await queries.managed_accounts(_admin_of(request))))
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
    elif await queries.email_taken(values["email"]):
        errors["email"] = _("An account with this e-mail address already exists.")
    if not values["full_name"]:
        errors["full_name"] = _("Fill in the name.")
    errors |= too_long
    org_id = parse_id(values["organisation"]) or 0
    if org_id not in kinds:
        errors["organisation"] = _("Choose an organisation you manage.")
    if values["role"] not in set(Role):
        errors["role"] = _("Choose a role.")
    elif org_id in kinds and not rules.can_grant(kinds[org_id], values["role"]):
        errors["role"] = _("This role does not exist in this kind of organisation.")
    language = values["language"] if values["language"] in i18n.LANGUAGES else ""
    if errors:
        return page(request, "auth/user_new.html", {"choices": choices, "errors": errors, "values": values,
                                                    "roles_by_kind": rules.ROLES_BY_KIND},
                    block="form", status_code=422)
    user_id = await actions.create_user(values["email"], values["full_name"], language, org_id, values["role"])
    token = await actions.issue_password_link(user_id, request.app.state.settings.set_password_link_days,
                                              _admin_of(request))
    user = await queries.account(user_id)
    # The account page in place of the whole main area, at its own address (issue 18: the form's own hx-target
    # used to receive the whole page, nested inside itself). Its one-time set-password link is shown here only,
    # so this answers the page rather than redirecting to it (a GET would have to carry the link).
    response = page(request, "auth/user.html", await _user_context(request, user, link=_link(request, token)),
                    block="content")
    if request.htmx:
        response.headers.update({"HX-Retarget": "#main", "HX-Reswap": "innerHTML show:top",
                                 "HX-Push-Url": f"/users/{user_id}"})
    return response


def _link(request: HTMXRequest, token: str) -> str:
    return f"{request.app.state.settings.base_url}/set-password/{token}"


@get("/users/{user_id:int}", guards=[ADMIN])
async def user_detail(request: HTMXRequest, user_id: FromPath[int]) -> Template:
    user = await get_user_for_user(request.user, user_id)
    return page(request, "auth/user.html", await _user_context(request, user))


@post("/users/{user_id:int}", guards=[ADMIN], status_code=200)
async def update_user(request: HTMXRequest, user_id: FromPath[int]) -> Response | Template:
    user = await get_user_for_user(request.user, user_id)
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
    await get_user_for_user(request.user, user_id)
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
    await get_user_for_user(request.user, user_id)
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
    user = await get_user_for_user(request.user, user_id)
    try:
        token = await actions.issue_password_link(user_id, request.app.state.settings.set_password_link_days,
                                                  _admin_of(request))
    except actions.NotManaged:
        raise NotFoundException() from None
    return page(request, "auth/user.html", await _user_context(request, user, link=_link(request, token)),
                block="link")
