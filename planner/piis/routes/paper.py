"""The PIIS on paper (issue 15): the printable contract in the person's language (fr, nl, de, en, whatever
the worker reads), its signed scan in and out, and the CPAS's access log for its administrator."""

from __future__ import annotations

from urllib.parse import quote

from litestar import Response, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from planner import i18n
from planner.i18n import gettext as _
from planner.orgs.tables import Organisation
from planner.piis import actions, queries
from planner.piis.access import LOG_READERS, SOCIAL_WORKERS, get_person_for_worker, get_piis_for_worker
from planner.piis.routes.contracts import show_context
from planner.piis.routes.common import ORIENTATION_NAMES, RECORD_NAMES, TYPE_NAMES, law_for, name_of
from planner.piis.rules import printable
from planner.spending.rules import MAX_SCAN_BYTES
from planner.web import flash, page, parse_id, redirect

SCAN_EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


@get("/piis/{piis_id:int}/contract", guards=[SOCIAL_WORKERS])
async def print_contract(request: HTMXRequest, piis_id: FromPath[int]) -> Template:
    """The contract for both to sign, rendered in the person's language; refused with a page saying what to
    record first while the RI decision (or the person's status) is missing (PIIS-20)."""
    piis = await get_piis_for_worker(request.user, piis_id)
    await actions.log_opening(piis["organisation"], request.user.id, "contract", piis_id, piis["beneficiary"])
    person = await get_person_for_worker(request.user, piis["beneficiary"])
    file = await queries.piis_file(person["id"]) or {}
    if not printable(person["status"], file.get("ri_granted_on")):
        return page(request, "piis/not_printable.html", {"person_id": person["id"]}, status_code=409)
    whole = await queries.contract(piis_id)
    cpas = await Organisation.select(Organisation.name_fr, Organisation.name_nl, Organisation.name_de,
                                     Organisation.street, Organisation.postcode, Organisation.city).where(
        Organisation.id == piis["organisation"]).first()
    law = law_for(piis["starts_on"] or i18n.today())
    # The person's language for the rest of this request, whatever the worker reads (as the schedule card):
    # the page renders after the handler returns, so a `with i18n.speaking()` would end too early.
    i18n.set_language(person["language"] if person["language"] in i18n.LANGUAGES else i18n.current_language())
    language = i18n.current_language()
    return page(request, "piis/contract.html", {
        "person": person, "piis": piis, "whole": whole, "file": file,
        "cpas_name": cpas.get(f"name_{language}") or cpas["name_fr"], "cpas": cpas,
        "type_name": name_of(TYPE_NAMES, piis["type_code"]),
        "orientation_name": name_of(ORIENTATION_NAMES, piis["orientation"]),
        "reflection_days": law.reflection_days, "interview_days": law.interview_within_working_days,
        "third_parties": sorted({o["third_party"] for o in whole["objectives"] if o["third_party"]}),
    })


@post("/piis/{piis_id:int}/scan", guards=[SOCIAL_WORKERS], status_code=200, 
      request_max_body_size=MAX_SCAN_BYTES + 200_000)  # the largest scan and the form around it
async def upload_scan(request: HTMXRequest, piis_id: FromPath[int]) -> Response | Template:
    """The signed contract, scanned: PDF, JPEG or PNG of at most 10 MB, its type read from its content."""
    piis = await get_piis_for_worker(request.user, piis_id)
    try:
        form = await request.form()
    except RequestEntityTooLarge:  # refused from its Content-Length: said on the page, nothing stored
        return page(request, "piis/piis.html", await show_context(request, piis, errors={"scan": _(
            "A scan can be at most %(limit)s MB; this file is too large.", limit=MAX_SCAN_BYTES // 2**20)}),
            status_code=413)
    upload = form.get("scan")
    content = await upload.read(MAX_SCAN_BYTES + 1) if isinstance(upload, UploadFile) else b""
    saved = await actions.attach_scan(piis_id, upload.filename if isinstance(upload, UploadFile) else "", content,
                                      request.user.id) if content else None
    if saved is not None and saved.id is not None:
        flash(request, _("The signed scan has been attached."))
        return redirect(request, f"/piis/{piis_id}")
    if not content:
        message = _("Choose the scanned file first.")
    elif len(content) > MAX_SCAN_BYTES:
        message = _("A scan can be at most %(limit)s MB; this file is too large.", limit=MAX_SCAN_BYTES // 2**20)
    else:
        message = _("A scan must be a PDF, JPEG or PNG file.")
    return page(request, "piis/piis.html", await show_context(request, piis, errors={"scan": message}),
                status_code=422)


@get("/piis/{piis_id:int}/scan", guards=[SOCIAL_WORKERS])
async def download_scan(request: HTMXRequest, piis_id: FromPath[int]) -> Response:
    """The last signed scan, as an attachment never sniffed nor kept by the browser; its name says what it is,
    never whose (the person's name stays out of downloads folders)."""
    piis = await get_piis_for_worker(request.user, piis_id)
    scan = await queries.latest_scan(piis_id)
    if scan is None:
        raise NotFoundException()
    await actions.log_opening(piis["organisation"], request.user.id, "scan", piis_id, piis["beneficiary"])
    name = f"piis-{piis_id}-v{scan['version_number']}{SCAN_EXTENSIONS.get(scan['media_type'], '')}"
    return Response(bytes(scan["content"]), media_type=scan["media_type"], headers={
        "Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}",
        "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})


@get("/piis/access-log", guards=[LOG_READERS])
async def access_log(request: HTMXRequest) -> Template:
    """Who opened which PIIS, bilan, contract or scan, when: the CPAS's administrator reads it, newest first,
    a page at a time. Another CPAS (also in a cluster) is a 404."""
    mine = sorted(request.user.organisations("administrator"))
    asked = request.query_params.get("cpas", "")
    organisation = parse_id(asked) if asked else (mine[0] if mine else None)
    if organisation not in mine:
        raise NotFoundException()
    cpas = await Organisation.select(Organisation.id, Organisation.name_fr, Organisation.kind).where(
        Organisation.id.is_in(mine)).order_by(Organisation.name_fr)
    cpas = [c for c in cpas if c["kind"] == "cpas"]
    if organisation not in {c["id"] for c in cpas}:
        raise NotFoundException()
    typed_page = str(request.query_params.get("page", "1"))
    number = parse_id(typed_page) or 1
    rows, older = await queries.access_log(organisation, min(number, 100_000))
    return page(request, "piis/access_log.html", {
        "rows": rows, "older": older, "page_number": number, "organisation": organisation, "cpas": cpas,
        "record_name": lambda k: name_of(RECORD_NAMES, k)})
