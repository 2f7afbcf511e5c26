"""/orgs: administrators manage CPAS, clusters of CPAS and partner organisations."""

from __future__ import annotations

from litestar import get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner.auth.access import ADMINISTRATORS as ADMIN
from planner.auth.rules import Role
from planner.i18n import gettext as _
from planner.orgs import actions, queries
from planner.orgs.access import NotManaged, get_organisation_for_user, managed_organisations
from planner.orgs.rules import (
    KINDS, PARTNER_TYPES, REGIONS, OrganisationForm, cluster_owner_problem, organisation_problems,
)
from planner.orgs.tables import Organisation
from planner.web import flash, form_id, form_ids, form_text, form_version, page, redirect, text



def _form(form, kind: str, too_long: dict[str, str]) -> OrganisationForm:
    """The typed organisation; fields longer than their column get their message in `too_long`."""
    def typed(name: str) -> str:
        return form_text(form, name, getattr(Organisation, name), too_long)

    return OrganisationForm(
        kind=kind,
        names={lang: typed(f"name_{lang}") for lang in ("fr", "nl", "de", "en")},
        region=text(form, "region"), partner_type=text(form, "partner_type"),
        street=typed("street"), postcode=typed("postcode"), city=typed("city"), phone=typed("phone"),
        email=typed("email"), cluster_members=form_ids(form, "cluster_members"),
    )


async def _form_context(request: HTMXRequest, values: dict, errors: dict, **extra) -> dict:
    own_cpas = [c for c in await queries.organisation_choices(request.user.organisations(Role.ADMINISTRATOR))
                if c["kind"] == "cpas"]
    return {"values": values, "errors": errors, "regions": REGIONS, "partner_types": PARTNER_TYPES,
            "all_cpas": await queries.all_cpas(), "own_cpas": own_cpas, "stale": False, **extra}


def _translated(problems: dict[str, str]) -> dict[str, str]:
    return {field: _(message) for field, message in problems.items()}


@get("/orgs", guards=[ADMIN])
async def organisation_list(request: HTMXRequest) -> Template:
    ids = await managed_organisations(request.user)
    return page(request, "orgs/list.html", {"organisations": await queries.organisation_choices(ids)})


@get("/orgs/new", guards=[ADMIN])
async def new_organisation(request: HTMXRequest, kind: FromQuery[str] = "cpas") -> Template:
    kind = kind if kind in KINDS else "cpas"
    return page(request, "orgs/form.html", await _form_context(request, {"kind": kind, "cluster_members": []}, {}))


@post("/orgs", guards=[ADMIN], status_code=200)
async def create_organisation(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    problems: dict[str, str] = {}
    data = _form(form, text(form, "kind"), problems)
    problems = {**_translated(organisation_problems(data)), **problems}
    own = request.user.organisations(Role.ADMINISTRATOR)
    owner = form_id(form, "owner")
    if data.kind != "cpas" and owner not in own:
        problems["owner"] = _("Choose which of your CPAS works with this organisation.")
    if data.kind == "cluster" and not set(data.cluster_members) & own:
        problems["cluster_members"] = _("A cluster you create must include one of your CPAS.")
    elif data.kind == "cluster" and "owner" not in problems and cluster_owner_problem(owner, data.cluster_members):
        problems["cluster_members"] = _(cluster_owner_problem(owner, data.cluster_members))
    if problems:
        return page(request, "orgs/form.html", await _form_context(request, {**dict(form), "kind": data.kind,
                    "cluster_members": data.cluster_members}, problems), block="form", status_code=422)
    org_id = await actions.create_organisation(data, request.user.id, owner or None, own)
    flash(request, _("The organisation has been created."))
    return redirect(request, f"/orgs/{org_id}")


@get("/orgs/{org_id:int}", guards=[ADMIN])
async def organisation_detail(request: HTMXRequest, org_id: FromPath[int]) -> Template:
    org = await get_organisation_for_user(request.user, org_id)
    return page(request, "orgs/form.html", await _form_context(
        request, {**org, "cluster_members": await queries.cluster_members(org_id)}, {}))


@post("/orgs/{org_id:int}", guards=[ADMIN], status_code=200)
async def update_organisation(request: HTMXRequest, org_id: FromPath[int]) -> Response | Template:
    org = await get_organisation_for_user(request.user, org_id)
    form = await request.form()
    problems = {}
    data = _form(form, org["kind"], problems)
    problems = {**_translated(organisation_problems(data)), **problems}
    if org["kind"] == "cluster" and "cluster_members" not in problems \
            and cluster_owner_problem(org["owner"], data.cluster_members):
        problems["cluster_members"] = _(cluster_owner_problem(org["owner"], data.cluster_members))
    version = form_version(form, problems)
    values = {**dict(form), "id": org_id, "kind": org["kind"], "cluster_members": data.cluster_members,
              "version": org["version"]}
    if problems:
        return page(request, "orgs/form.html", await _form_context(request, values, problems),
                    block="form", status_code=422)
    try:
        saved = await actions.update_organisation(org_id, version, data, request.user.organisations(Role.ADMINISTRATOR))
    except NotManaged:
        raise NotFoundException() from None
    if not saved:
        # Keep what this person typed, and show what the other save holds.
        return page(request, "orgs/form.html", await _form_context(request, values, {}, stale=True, current=org),
                    block="form", status_code=409)
    flash(request, _("The organisation has been saved."))
    return redirect(request, f"/orgs/{org_id}")

