"""Enrolment: social workers propose their CPAS's people; coordinators accept, refuse, end."""

from __future__ import annotations

from litestar import Router, post
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.auth.access import COORDINATORS, requires
from planner.enrolment import actions
from planner.enrolment.access import get_managed_enrolment
from planner.enrolment.queries import last_session_day, participating_cpas, proposal_candidates
from planner.enrolment.rules import END_REASONS, end_problems
from planner.i18n import gettext as _
from planner.modules.access import get_managed_module, get_module_for_user
from planner.modules.queries import module_page
from planner.people.access import FILE_ROLES, get_beneficiary_for_user
from planner.web import flash, form_date, form_id, page, redirect, text

PROPOSERS = requires(*FILE_ROLES)


@post("/modules/{module_id:int}/proposals", guards=[PROPOSERS], status_code=200)
async def propose(request: HTMXRequest, module_id: FromPath[int]) -> Response:
    module = await get_module_for_user(request.user, module_id)
    form = await request.form()
    person_id = form_id(form, "beneficiary")
    if not form.get("beneficiary"):  # "Propose" before choosing anyone in the search's results
        flash(request, _("Find the person, choose them in the results, then propose."), "error")
        return redirect(request, f"/modules/{module_id}")
    person = await get_beneficiary_for_user(request.user, person_id)
    if person["organisation"] not in await participating_cpas(module):
        flash(request, _("This module is not open to people of this CPAS."), "error")
    elif await actions.propose(module_id, person_id, person["organisation"], text(form, "note", 2000),
                               request.user.id) is None:
        flash(request, _("This person is already proposed, waiting or enrolled in this module."), "error")
    else:
        flash(request, _("The proposal has been sent to the coordinator."))
    return redirect(request, f"/modules/{module_id}")


@post("/modules/{module_id:int}/candidates", guards=[PROPOSERS], status_code=200)
async def search_candidates(request: HTMXRequest, module_id: FromPath[int]) -> Template:
    """The type-ahead of "Propose someone" (issue 18): the query comes in the body (a POST), never in a URL, as
    names must not; with htmx, the results list only, each person with the warnings that apply."""
    module = await get_module_for_user(request.user, module_id)
    found = await proposal_candidates(request.user, module, text(await request.form(), "q", 100), i18n.today())
    return page(request, "modules/show.html", await module_page(request.user, module, **found), block="candidates")


@post("/enrolments/{enrolment_id:int}/accept", guards=[COORDINATORS], status_code=200)
async def accept(request: HTMXRequest, enrolment_id: FromPath[int]) -> Response:
    row = await get_managed_enrolment(request.user, enrolment_id)
    form = await request.form()
    outcome = await actions.accept(enrolment_id, request.user.id, form_date(text(form, "start_date")),
                                   text(form, "override_reason", 1000))
    messages = {
        "enrol": (_("The person is enrolled."), "success"),
        "waitlist": (_("The group is full: the person is on the waitlist."), "success"),
        "unchanged": (_("This proposal was already decided."), "error"),
    }
    if outcome.decision.outcome == "refuse_composition":
        flash(request, _(outcome.decision.message) + " " + _("To enrol this person anyway, write the reason."), "error")
    else:
        flash(request, *messages[outcome.decision.outcome])
    return redirect(request, f"/modules/{row['module']}")


@post("/enrolments/{enrolment_id:int}/refuse", guards=[COORDINATORS], status_code=200)
async def refuse(request: HTMXRequest, enrolment_id: FromPath[int]) -> Response:
    row = await get_managed_enrolment(request.user, enrolment_id)
    await actions.refuse(enrolment_id, request.user.id, text(await request.form(), "reason", 1000))
    flash(request, _("The proposal has been refused."))
    return redirect(request, f"/modules/{row['module']}")


@post("/enrolments/{enrolment_id:int}/end", guards=[COORDINATORS], status_code=200)
async def end(request: HTMXRequest, enrolment_id: FromPath[int]) -> Response | Template:
    row = await get_managed_enrolment(request.user, enrolment_id)
    form = await request.form()
    end_date, reason = form_date(text(form, "end_date")) or i18n.today(), text(form, "reason")
    problems = end_problems(row["start_date"] or end_date, end_date, reason,
                            await last_session_day(row["module"]) or end_date)
    if reason and reason not in END_REASONS:
        problems["reason"] = "Choose why the enrolment ends."
    if problems and row["status"] == "enrolled":
        # The roster again, that person's form open with what was typed and why it was refused.
        module = await get_managed_module(request.user, row["module"])
        ending = {"id": enrolment_id, "end_date": text(form, "end_date"), "reason": text(form, "reason"),
                  "messages": [_(m) for m in problems.values()]}
        return page(request, "modules/show.html", await module_page(request.user, module, ending=ending),
                    block="roster", status_code=422)
    if problems:
        flash(request, " ".join(_(m) for m in problems.values()), "error")
        return redirect(request, f"/modules/{row['module']}")
    promoted = await actions.end(enrolment_id, end_date, reason)
    flash(request, _("The enrolment has ended.") + (" " + _("The first person on the waitlist takes the place.")
                                                      if promoted else ""))
    return redirect(request, f"/modules/{row['module']}")


@post("/enrolments/{enrolment_id:int}/phone", guards=[COORDINATORS], status_code=200)
async def told_by_phone(request: HTMXRequest, enrolment_id: FromPath[int]) -> Response:
    row = await get_managed_enrolment(request.user, enrolment_id)
    await actions.told_by_phone(enrolment_id)
    flash(request, _("Noted: the person was told by phone."))
    return redirect(request, f"/modules/{row['module']}")


router = Router(path="/", route_handlers=[propose, search_candidates, accept, refuse, end, told_by_phone])
