"""Modules: the list, create and edit, and the module page."""

from __future__ import annotations

from litestar import get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner.auth.rules import Role
from planner.i18n import gettext as _
from planner.invites.rules import LONG_SERIES
from planner.modules import actions, queries
from planner.modules.access import COORDINATORS, VIEWERS, get_managed_module, get_module_for_user
from planner.modules.form import GROUP_LANGUAGES, ModuleForm, module_problems
from planner.modules.rules import AIMS, COMPOSITIONS, MODULE_TYPES, STRANDS, eligibility_warnings
from planner.modules.tables import Module
from planner.web import flash, form_id, form_ids, form_text, form_version, page, parse_id, redirect, text


def _form(form, too_long: dict[str, str]) -> ModuleForm:
    """The typed module; code and title longer than their column get their message in `too_long`."""
    return ModuleForm(
        code=form_text(form, "code", Module.code, too_long), title=form_text(form, "title", Module.title, too_long),
        module_type=text(form, "module_type"),
        strand=text(form, "strand"), aim=text(form, "aim"), objectives=text(form, "objectives", 4000),
        target_public=text(form, "target_public", 2000), composition=text(form, "composition"),
        capacity=text(form, "capacity"), minimum_size=text(form, "minimum_size"),
        languages=[str(v) for v in form.getall("languages", [])], cluster=text(form, "cluster"),
        default_room=text(form, "default_room"),
        partners=form_ids(form, "partners"), facilitators=form_ids(form, "facilitators"),
        bring=text(form, "bring", 1000), reminders=text(form, "reminders") or "auto",
    )


def _options() -> dict:
    return {"module_types": MODULE_TYPES, "strands": STRANDS, "aims": AIMS, "compositions": COMPOSITIONS,
            "group_languages": GROUP_LANGUAGES, "long_series": LONG_SERIES}


def _warnings(form: ModuleForm) -> list[str]:
    return [w.code for w in eligibility_warnings(form.aim, form.title, form.objectives)]


def _checks(form: ModuleForm, choices: dict) -> dict[str, str]:
    errors = {k: _(v) for k, v in module_problems(form).items()}
    if form.cluster and parse_id(form.cluster) not in {c["id"] for c in choices["clusters"]}:
        errors["cluster"] = _("Choose a cluster your CPAS belongs to.")
    if form.default_room and parse_id(form.default_room) not in {r["id"] for r in choices["rooms"]}:
        errors["default_room"] = _("Choose one of your CPAS's rooms.")
    if set(form.partners) - {p["id"] for p in choices["partners"]}:
        errors["partners"] = _("Choose partners of your CPAS.")
    if set(form.facilitators) - {f for f, _n in choices["facilitator_choices"]}:
        errors["facilitators"] = _("Choose facilitators of your CPAS or its partners.")
    return errors


async def _code_taken(organisation_id: int, form: ModuleForm, errors: dict, module_id: int | None = None) -> None:
    """The code's message when another module of the CPAS already has it (checked again inside the write:
    actions.CodeTaken)."""
    if form.code.strip() and "code" not in errors:
        other = await queries.module_with_code(organisation_id, form.code, module_id)
        if other is not None:
            errors["code"] = _code_message(other)


def _code_message(other: dict) -> str:
    return _("This code is already used by module %(code)s – %(title)s.", code=other["code"], title=other["title"])


def _typed(form: ModuleForm, **extra) -> dict:
    return {**form.__dict__, **extra}


@get("/modules", guards=[VIEWERS])
async def module_list(request: HTMXRequest) -> Template:
    return page(request, "modules/list.html", {"modules": await queries.module_list(request.user),
                                               "can_create": request.user.has_role(Role.COORDINATOR)})


@get("/modules/new", guards=[COORDINATORS])
async def new_module(request: HTMXRequest) -> Template:
    org = sorted(request.user.organisations(Role.COORDINATOR))[0]
    values = {"organisation": org, "strand": "B", "aim": "social_activation", "composition": "mixed",
              "capacity": "12", "minimum_size": "6", "languages": ["fr"], "partners": [], "facilitators": []}
    return page(request, "modules/form.html", {"values": values, "errors": {}, "warnings": [], "stale": False,
                                               **_options(), **await queries.module_choices(org)})


@post("/modules", guards=[COORDINATORS], status_code=200)
async def create_module(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    too_long: dict[str, str] = {}
    data = _form(form, too_long)
    org = form_id(form, "organisation")
    if org not in request.user.organisations(Role.COORDINATOR):
        raise NotFoundException()
    choices = await queries.module_choices(org)
    errors = {**_checks(data, choices), **too_long}
    await _code_taken(org, data, errors)
    if errors:
        return page(request, "modules/form.html", {
            "values": _typed(data, organisation=org), "errors": errors, "warnings": [], "stale": False,
            **_options(), **choices}, block="form", status_code=422)
    try:
        module_id = await actions.create_module(org, data, _warnings(data))
    except actions.CodeTaken as taken:  # saved by someone else between the check above and this write
        return page(request, "modules/form.html", {
            "values": _typed(data, organisation=org), "errors": {"code": _code_message(taken.other)}, "warnings": [],
            "stale": False, **_options(), **choices}, block="form", status_code=422)
    flash(request, _("The module has been created. Now plan its sessions."))
    return redirect(request, f"/modules/{module_id}")


@get("/modules/{module_id:int}", guards=[VIEWERS])
async def module_detail(request: HTMXRequest, module_id: FromPath[int]) -> Template:
    module = await get_module_for_user(request.user, module_id)
    return page(request, "modules/show.html", await queries.module_page(request.user, module))


@get("/modules/{module_id:int}/edit", guards=[COORDINATORS])
async def edit_module(request: HTMXRequest, module_id: FromPath[int]) -> Template:
    module = await get_managed_module(request.user, module_id)
    values = {**module, "languages": module["languages"].split(","), "cluster": module["cluster"] or "",
              "default_room": module["default_room"] or "", **await queries.module_links(module_id)}
    return page(request, "modules/form.html", {"values": values, "errors": {}, "warnings": [], "stale": False,
                                               **_options(), **await queries.module_choices(module["organisation"])})


@post("/modules/{module_id:int}", guards=[COORDINATORS], status_code=200)
async def update_module(request: HTMXRequest, module_id: FromPath[int]) -> Response | Template:
    module = await get_managed_module(request.user, module_id)
    form = await request.form()
    too_long: dict[str, str] = {}
    data = _form(form, too_long)
    choices = await queries.module_choices(module["organisation"])
    errors = {**_checks(data, choices), **too_long}
    await _code_taken(module["organisation"], data, errors, module_id)
    version = form_version(form, errors)
    typed = _typed(data, id=module_id, organisation=module["organisation"], version=module["version"])
    context = {"values": typed, "errors": errors, "warnings": [], "stale": False, **_options(), **choices}
    if errors:
        return page(request, "modules/form.html", context, block="form", status_code=422)
    try:
        saved = await actions.update_module(module_id, version, data, _warnings(data))
    except actions.CodeTaken as taken:
        return page(request, "modules/form.html", {**context, "errors": {"code": _code_message(taken.other)}},
                    block="form", status_code=422)
    if not saved:
        return page(request, "modules/form.html", {**context, "stale": True, "current": module},
                    block="form", status_code=409)
    flash(request, _("The module has been saved."))
    return redirect(request, f"/modules/{module_id}")
