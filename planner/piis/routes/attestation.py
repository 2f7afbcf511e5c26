"""/people/<id>/attestation?from=&to=: an attestation of attendance for a period (modules, sessions attended,
hours), what employment services, schools and employers ask for. Printed in the person's language, signed by
the CPAS and the staff member who prints it. Social workers and coordinators of the person's CPAS: it holds
no narrative."""

from __future__ import annotations

import datetime as dt

from litestar import get
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from planner import i18n
from planner.i18n import gettext as _
from planner.names import display_name
from planner.orgs.access import name_of
from planner.people.access import get_beneficiary_for_user
from planner.piis import queries
from planner.piis.access import FIGURE_READERS
from planner.web import form_date, page


@get("/people/{person_id:int}/attestation", guards=[FIGURE_READERS])
async def attestation(request: HTMXRequest, person_id: FromPath[int]) -> Template:
    person = await get_beneficiary_for_user(request.user, person_id)
    today = i18n.today()
    typed = {"from": request.query_params.get("from", "")[:20], "to": request.query_params.get("to", "")[:20]}
    first = form_date(typed["from"]) if typed["from"] else today.replace(month=1, day=1)
    last = form_date(typed["to"]) if typed["to"] else today
    error = ""  # in the reader's language: the staff member typed the dates, the sheet is the person's
    if first is None or last is None:
        error = _("Give both dates as days, e.g. 31/12/2026.")
    elif last < first:
        error = _("The end of the period is before its start.")
    figures = {"rows": [], "attended": 0, "hours": 0} if error else await queries.attestation(
        person_id, first, last, dt.datetime.now(dt.timezone.utc))
    cpas = await queries.cpas_of(person["organisation"])
    reader_language = i18n.current_language()
    # the period form and the buttons are the staff member's: their words, before the sheet's language
    staff = {"from": _("From"), "to": _("To"), "show": _("Show"), "print": _("Print"), "back": _("Back")}
    i18n.set_language(person["language"] if person["language"] in i18n.LANGUAGES else i18n.current_language())
    return page(request, "piis/attestation.html", {
        "person": person, "name": display_name(person["first_name"], person["last_name"]), "first": first,
        "last": last, "typed": typed, "error": error, "figures": figures, "cpas": cpas, "cpas_name": name_of(cpas),
        "signed_by": request.user.full_name, "today": today,
        "reader_language": reader_language, "staff": staff}, status_code=422 if error else 200)
