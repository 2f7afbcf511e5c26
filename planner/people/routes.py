"""Beneficiaries' records, seen and edited only by their own CPAS's social workers and coordinators."""

from __future__ import annotations

import anyio
from litestar import Router, get, post
from litestar.exceptions import NotFoundException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.auth.access import requires
from planner.enrolment.queries import current_modules
from planner.i18n import gettext as _
from planner.invites.queries import person_calendar
from planner.i18n import N_, ngettext
from planner.people.csv_import import (HOW_TO_SAVE, MISSING, NISS_NOT_KEPT, ImportResult, UnreadableFile, carried,
                                       read_beneficiaries, read_text, read_upload, to_text)
from planner.orgs import queries as orgs
from planner.people import actions, queries
from planner.people.reimport import SAMPLES, sample_csv
from planner.people.access import FILE_ROLES, file_organisations, get_beneficiary_for_user
from planner.people.rules import (
    GENDERS, LANGUAGES, STATUSES, BeneficiaryForm, beneficiary_problems, clean_text, parse_date,
)
from planner.people.tables import text_limits
from planner.web import MAX_UPLOAD_BYTES, flash, form_id, page, redirect, text

FILE_STAFF = requires(*FILE_ROLES)
FIELDS = ("first_name", "last_name", "gender", "birth_date", "language", "email", "phone", "status",
          "file_reference", "piis_subsidy_year")
TYPED_MAX = 10_000  # bounds what is echoed back; the real limits are the columns' (text_limits)


def _typed(form) -> dict[str, str]:
    # Not cut to the column's length: a name cut short unseen would be saved wrong; too long is refused.
    return {f: clean_text(str(form.get(f, "") or ""))[:TYPED_MAX] for f in FIELDS}


def _form(form) -> BeneficiaryForm:
    return BeneficiaryForm(**_typed(form))


def _problems(data: BeneficiaryForm) -> dict[str, str]:
    """Field -> translated message, for each field that is wrong."""
    limits = text_limits()
    return {k: _(v, max=limits.get(k, 0)) for k, v in beneficiary_problems(data, i18n.today(), limits).items()}


async def _choices(request: HTMXRequest) -> list[dict]:
    return await orgs.organisation_choices(set(file_organisations(request.user)) - {0})


def _context(**extra) -> dict:
    return {"genders": GENDERS, "statuses": STATUSES, "person_languages": LANGUAGES, "errors": {},
            "stale": False, **extra}


async def _rows(request: HTMXRequest, query: str) -> list[dict]:
    return await queries.beneficiary_rows(file_organisations(request.user), query)


@get("/", guards=[FILE_STAFF])
async def beneficiary_list(request: HTMXRequest) -> Template:
    return page(request, "people/list.html", _context(
        people=await _rows(request, ""), query="", organisations=await _choices(request)))


@post("/search", guards=[FILE_STAFF], status_code=200)
async def search(request: HTMXRequest) -> Template:
    # A POST: a searched name must never end up in a URL or an access log.
    query = text(await request.form(), "query", 100)
    return page(request, "people/list.html", _context(
        people=await _rows(request, query), query=query, organisations=await _choices(request)), block="rows")


@get("/new", guards=[FILE_STAFF])
async def new_beneficiary(request: HTMXRequest) -> Template:
    choices = await _choices(request)
    return page(request, "people/form.html", _context(
        person={"organisation": choices[0]["id"] if choices else 0, "language": "fr"}, organisations=choices))


@post("/", guards=[FILE_STAFF], status_code=200)
async def create_beneficiary(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    data, choices = _form(form), await _choices(request)
    errors = _problems(data)
    organisation = form_id(form, "organisation")
    if organisation not in {c["id"] for c in choices}:
        errors["organisation"] = _("Choose one of your CPAS.")
    if errors:
        return page(request, "people/form.html", _context(
            person={**_typed(form), "organisation": organisation},
            organisations=choices, errors=errors), block="form", status_code=422)
    beneficiary_id = await actions.create_beneficiary(organisation, data)
    flash(request, _("The record has been created."))
    return redirect(request, f"/people/{beneficiary_id}")


@get("/{person_id:int}", guards=[FILE_STAFF])
async def beneficiary_detail(request: HTMXRequest, person_id: FromPath[int]) -> Template:
    person = await get_beneficiary_for_user(request.user, person_id)
    return page(request, "people/show.html", _context(person=person, organisations=await _choices(request),
                                                      modules=await current_modules(person_id),
                                                      calendar=await person_calendar(person, request.app.state.settings)))


@get("/{person_id:int}/edit", guards=[FILE_STAFF])
async def edit_beneficiary(request: HTMXRequest, person_id: FromPath[int]) -> Template:
    person = await get_beneficiary_for_user(request.user, person_id)
    return page(request, "people/form.html", _context(
        person={**person, "birth_date": person["birth_date"].isoformat(),
                "piis_subsidy_year": str(person["piis_subsidy_year"] or "")}, organisations=await _choices(request)))


@post("/{person_id:int}", guards=[FILE_STAFF], status_code=200)
async def update_beneficiary(request: HTMXRequest, person_id: FromPath[int]) -> Response | Template:
    current = await get_beneficiary_for_user(request.user, person_id)
    form = await request.form()
    data = _form(form)
    errors = _problems(data)
    typed = {**_typed(form), "id": person_id,
             "organisation": current["organisation"], "version": current["version"]}
    if errors:
        return page(request, "people/form.html", _context(person=typed, organisations=await _choices(request),
                                                          errors=errors), block="form", status_code=422)
    version = form_id(form, "version")
    if not await actions.update_beneficiary(person_id, version, data):
        return page(request, "people/form.html", _context(
            person=typed, organisations=await _choices(request), stale=True,
            current={**current, "birth_date": current["birth_date"].isoformat()}), block="form", status_code=409)
    flash(request, _("The record has been saved."))
    return redirect(request, f"/people/{person_id}")


# ---- import from the CPAS's social software -------------------------------------------------------

# The preview's words for a changed field (old → new), translated by the template.
FIELD_LABELS = {"last_name": N_("Last name"), "first_name": N_("First name"), "gender": N_("Gender"),
                "birth_date": N_("Birth date"), "language": N_("Language"), "status": N_("Status at the CPAS"),
                "email": N_("E-mail"), "phone": N_("Phone")}

MISSING_LABELS = {**FIELD_LABELS, "name": N_("Last name or first name")}


async def _import_context(request: HTMXRequest, **extra) -> dict:
    choices = await _choices(request)
    return {"organisations": choices, "organisation": choices[0]["id"] if choices else 0, "result": None,
            "csv_text": "", "error": "", "limits": text_limits(), "parse_date": parse_date,
            "field_labels": FIELD_LABELS, "niss_note": "", **extra}


@get("/import", guards=[FILE_STAFF])
async def import_form(request: HTMXRequest) -> Template:
    return page(request, "people/import.html", await _import_context(request))


async def _read(organisation: int, table: list[list[str]]) -> tuple[ImportResult, dict[str, dict]]:
    known = await queries.known_people(organisation)
    result = read_beneficiaries(table, i18n.today(), text_limits(),
                                {reference: person["values"] for reference, person in known.items()})
    return result, known


@post("/import", guards=[FILE_STAFF], status_code=200, request_max_body_size=MAX_UPLOAD_BYTES)
async def import_preview(request: HTMXRequest) -> Response | Template:
    """Step 1 shows every row and its problems; step 2 (confirm) writes all rows or none."""
    try:
        form = await request.form()
    except RequestEntityTooLarge:  # refused from its Content-Length, nothing read nor kept
        return page(request, "people/import.html", await _import_context(request, error=" ".join((
            _("This file is larger than %(limit)s MB: a list of people is much smaller.",
              limit=MAX_UPLOAD_BYTES // 1_000_000), _(HOW_TO_SAVE)))), status_code=413)
    organisation = form_id(form, "organisation")
    if organisation not in {c["id"] for c in await _choices(request)}:
        raise NotFoundException()
    upload = form.get("file")
    try:
        if form.get("confirm") == "1":
            table = read_text(str(form.get("csv_text", "")))  # the preview's own CSV, whatever the file was
        elif upload is not None and hasattr(upload, "read"):
            # In a worker thread: reading a workbook of 2000 people must not hold the other requests (taps).
            table = await anyio.to_thread.run_sync(read_upload, await upload.read())
        else:
            return page(request, "people/import.html", await _import_context(
                request, organisation=organisation, error=_("Choose the file to import.")), status_code=422)
    except UnreadableFile as refused:
        return page(request, "people/import.html", await _import_context(
            request, organisation=organisation, error=f"{_(refused.args[0])} {_(HOW_TO_SAVE)}"), status_code=422)
    result, known = await _read(organisation, table)
    if form.get("confirm") == "1" and result.ok:
        updates = [(known[row.form.file_reference]["id"], row.form) for row in result.changed_rows]
        count = await actions.import_beneficiaries(organisation, [row.form for row in result.new_rows], updates)
        flash(request, " ".join((
            ngettext("%(num)d person has been imported.", "%(num)d people have been imported.", count),
            ngettext("%(num)d person has been updated.", "%(num)d people have been updated.", len(updates)))))
        return redirect(request, "/people")
    return page(request, "people/import.html", await _import_context(
        request, organisation=organisation, result=result, csv_text=to_text(carried(table, result)),
        error=_problem(result), niss_note=_(NISS_NOT_KEPT) if result.niss_column is not None else ""),
        status_code=200 if result.ok else 422)


def _problem(result: ImportResult) -> str:
    """The file's problem in the reader's words; missing columns named, and the line the file has instead."""
    if result.problem == MISSING:
        names = ", ".join(_(MISSING_LABELS[f]) for f in result.missing)
        return _(MISSING, missing=names, header=result.header or "—")
    return _(result.problem) if result.problem else ""


@get("/import/sample/{language:str}", guards=[FILE_STAFF], media_type="text/csv")
async def import_sample(language: FromPath[str]) -> Response:
    """A sample file to fill in, its headers in that language as the import reads them (issue 18)."""
    if language not in SAMPLES:
        raise NotFoundException()
    return Response(sample_csv(language), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="planner-people-{language}.csv"'})


router = Router(path="/people", route_handlers=[
    beneficiary_list, search, new_beneficiary, create_beneficiary, beneficiary_detail, edit_beneficiary,
    update_beneficiary, import_form, import_preview, import_sample,
])
