"""/spending/staff, personnel time (COST-09): a CPAS's staff allocations of a year with their computed charge,
the total per strand against its personnel cap (COST-01), and the SUB-PIIS-05 calculation when a module's bilan
social or progress measurement is charged to strand B. Lines are added, corrected (optimistic version) and
removed after a confirm step, by the CPAS's spending managers only."""

from __future__ import annotations

from collections import defaultdict

from litestar import get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Response, Template

from planner import i18n
from planner.i18n import N_
from planner.i18n import gettext as _
from planner.money import AmountError, parse_cents
from planner.spending import actions, queries
from planner.spending.access import SPENDING_MANAGERS
from planner.spending.routes.common import (
    url_year,
    cpas_choices, finding_message, offered_lines, own_cpas, parse_year, source_name, state_word, strand_name,
)
from planner.spending.rules import TASKS, WARN, WHOLE, personnel_charge
from planner.spending.rulesets import load_ruleset
from planner.spending.tables import StaffAllocation
from planner.web import FIRST_YEAR, LAST_YEAR, flash, form_date, form_version, page, parse_id, redirect, text

TEMPLATE = "spending/staff.html"
TASK_LABELS = {"preparation": N_("Preparation"), "facilitation": N_("Facilitation"),
               "coordination": N_("Coordination meetings"), "bilan_social": N_("Bilan social (initial assessment)"),
               "progress_measurement": N_("Progress measurement")}
# Every field the form sends (the hostile-input test reads this list too).
FIELDS = ("organisation", "year", "staff_name", "annual_cost", "fte", "time_share", "starts_on", "ends_on",
          "module", "line", "go_on", "version", "confirm", *(f"task_{t}" for t in TASKS))
NAME_LIMIT = StaffAllocation.staff_name.length


def task_label(task: str) -> str:
    return _(TASK_LABELS.get(task, task))


def staff_url(org: int, year: int) -> str:
    return f"/spending/staff?cpas={org}&year={year}"


async def lines_of_year(org: int, year: int) -> list[dict]:
    """Every source and strand with rules for year that the CPAS may use: what staff time may be charged to."""
    return offered_lines(year, await queries.cpas_names(org))


def percent(cents_or_bp: int) -> str:
    return f"{i18n.format_number(cents_or_bp / 100)} %"


def _bp(typed: str) -> int | None:
    """A percentage as typed ("35", "35,5", "35 %") in basis points, or None (parse_cents reads the same
    digits and separators as an amount: two decimals of a percentage are basis points)."""
    try:
        return parse_cents(typed.removesuffix("%").strip(), i18n.current_language())
    except AmountError:
        return None


async def _context(request: HTMXRequest, org: int, year: int, **extra) -> dict:
    rows = await queries.staff_of_year(org, year)
    caps = {(line["source"], line["strand"]): line["line"] for line in await queries.budget(org, year)}
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        totals[(row["source"], row["strand"])] += row["charge"].cents
    strands = []
    for (source, strand), cents in sorted(totals.items()):
        line = caps.get((source, strand))
        cap = next((c for c in line.caps if c.rule == "COST-01"), None) if line else None
        strands.append({"source": source, "strand": strand, "cents": cents, "cap": cap,
                        "granted": line.granted_cents if line else 0})
    return {"cpas": await cpas_choices(request), "organisation": org, "year": year, "rows": rows,
            "strands": strands, "lines": await lines_of_year(org, year), "modules": await queries.module_choices(org),
            "tasks": TASKS, "task_label": task_label, "state_word": state_word, "percent": percent, "staff_url": staff_url,
            "source_name": lambda source: source_name(source, year),
            "strand_name": lambda source, strand: strand_name(source, year, strand), "errors": {}, "values": {}, "findings": [],
            "warned": False, "calculation": None, "editing": None, "confirm": None, **extra}


def _values_of(row: dict) -> dict:
    """A saved line as its form shows it."""
    return {"staff_name": row["staff_name"], "annual_cost": f"{row['full_time_annual_cents'] // 100}."
            f"{row['full_time_annual_cents'] % 100:02d}", "fte": percent(row["fte_bp"]).removesuffix(" %"),
            "time_share": percent(row["time_share_bp"]).removesuffix(" %"), "starts_on": row["starts_on"].isoformat(),
            "ends_on": row["ends_on"].isoformat(), "module": str(row["module"] or ""),
            "line": f"{row['source']}:{row['strand']}",
            **{f"task_{t}": percent(bp).removesuffix(" %") for t, bp in row["tasks"].items()}}


@get("/spending/staff", guards=[SPENDING_MANAGERS])
async def staff_time(request: HTMXRequest) -> Template:
    year = url_year(request.query_params.get("year", ""))
    cpas = request.query_params.get("cpas", "")
    choices = await cpas_choices(request)
    org = await own_cpas(request, cpas) if cpas else (choices[0]["id"] if choices else None)
    if org is None:
        raise NotFoundException()
    extra = {}
    edit = parse_id(request.query_params.get("edit", ""))
    if edit is not None:  # the form filled with a line to correct
        row = await queries.staff_time_of(org, edit)
        if row is None:
            raise NotFoundException()
        year = row["year"]
        extra = {"editing": row, "values": _values_of(row)}
    return page(request, TEMPLATE, await _context(request, org, year, **extra), block="staff")


async def _read(form, org: int, year: int) -> tuple[actions.StaffTimeInput | None, dict, dict]:
    """The line typed, or None with a translated message per field; and what was typed, to show again."""
    values = {name: text(form, name, 10_000) for name in FIELDS if name not in ("organisation", "version")}
    errors: dict[str, str] = {}
    if not values["staff_name"]:
        errors["staff_name"] = _("Give the staff member's name or job.")
    elif len(values["staff_name"]) > NAME_LIMIT:
        errors["staff_name"] = _("This is too long: at most %(max)d characters.", max=NAME_LIMIT)
    try:
        annual = parse_cents(values["annual_cost"], i18n.current_language())
    except AmountError as error:
        annual, errors["annual_cost"] = None, _(error.message, **error.variables)
    shares = {}
    for name, low, message in (("fte", 1, N_("Give a percentage above 0, at most 100.")),
                               ("time_share", 0, N_("Give a percentage from 0 to 100."))):
        shares[name] = _bp(values[name])
        if shares[name] is None or not low <= shares[name] <= WHOLE:
            errors[name] = _(message)
    tasks = {}
    for task in TASKS:
        typed = values[f"task_{task}"]
        tasks[task] = _bp(typed) if typed else 0
        if tasks[task] is None or not 0 <= tasks[task] <= WHOLE:
            errors["tasks"] = _("Give each task's share as a percentage from 0 to 100.")
    if "tasks" not in errors and sum(tasks.values()) != WHOLE:
        errors["tasks"] = _("The tasks' shares add up to %(total)s; they must add up to 100 %%.",
                            total=percent(sum(tasks.values())))
    starts, ends = form_date(values["starts_on"]), form_date(values["ends_on"])
    if starts is None:
        errors["starts_on"] = _("Give the first day of the period.")
    if ends is None:
        errors["ends_on"] = _("Give the last day of the period.")
    elif starts is not None and ends < starts:
        errors["ends_on"] = _("The period ends on %(end)s, before it starts on %(start)s.",
                              end=i18n.format_date(ends), start=i18n.format_date(starts))
    module = parse_id(values["module"]) if values["module"] else None
    if values["module"] and module not in {m["id"] for m in await queries.module_choices(org)}:
        errors["module"] = _("Choose a module from the list, or none.")
    source, _sep, strand = values["line"].partition(":")
    if {"source": source, "strand": strand} not in await lines_of_year(org, year):
        errors["line"] = _("Choose a funding source and strand from the list.")
    if errors:
        return None, errors, values
    return actions.StaffTimeInput(
        values["staff_name"], annual, shares["fte"], shares["time_share"], starts, ends, source, year, strand,
        tuple((t, bp) for t, bp in tasks.items() if bp), module), errors, values


async def _calculation(data: actions.StaffTimeInput) -> dict | None:
    """What the line charges and, for a module's bilan social or progress measurement on an excluded strand,
    the SUB-PIIS-05 share: shown with the findings, so the figures can be checked by hand."""
    charge = personnel_charge(data.full_time_annual_cents, data.fte_bp, data.time_share_bp, data.starts_on,
                              data.ends_on, data.year, dict(data.tasks_bp))
    if charge.findings:
        return None
    piis = []
    if data.module is not None:
        piis = await queries.piis_shares(data.module, data.year, data.strand, load_ruleset(data.source, data.year),
                                         charge.per_task)
    return {"charge": charge, "piis": piis, "strand": data.strand}


async def _refused(request: HTMXRequest, org: int, year: int, saved_findings, data, errors: dict, values: dict,
                   **extra) -> Template:
    findings = [{"message": finding_message(f), "warn": f.level == WARN} for f in saved_findings]
    calculation = await _calculation(data) if data is not None and saved_findings else None
    status = 409 if any(f.rule == "VERSION" for f in saved_findings) else 422
    return page(request, TEMPLATE, await _context(
        request, org, year, errors=errors, values=values, findings=findings, calculation=calculation,
        warned=bool(findings) and all(f["warn"] for f in findings), **extra), block="form", status_code=status)


async def _year_of_form(form) -> tuple[int, dict]:
    year = parse_year(text(form, "year"))
    if str(year) != text(form, "year"):
        return year, {"line": _("Choose a year from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)}
    return year, {}


@post("/spending/staff", guards=[SPENDING_MANAGERS], status_code=200)
async def new_staff_time(request: HTMXRequest) -> Response | Template:
    form = await request.form()
    org = await own_cpas(request, text(form, "organisation"))
    year, year_errors = await _year_of_form(form)
    data, errors, values = await _read(form, org, year)
    errors = {**errors, **year_errors}
    findings = ()
    if data is not None and not errors:
        saved = await actions.record_staff_time(org, data, request.user.id, go_on=form.get("go_on") == "1")
        if saved.id is not None:
            flash(request, _("The staff time has been saved."))
            return redirect(request, staff_url(org, year))
        findings = saved.findings
    return await _refused(request, org, year, findings, data, errors, values)


async def _allocation(request: HTMXRequest, allocation_id: int) -> dict:
    """The line, when it belongs to a CPAS whose spending the person manages; 404 otherwise."""
    owner = await StaffAllocation.select(StaffAllocation.organisation).where(
        StaffAllocation.id == allocation_id).first()
    org = await own_cpas(request, str((owner or {}).get("organisation") or ""))
    row = await queries.staff_time_of(org, allocation_id)
    if row is None:
        raise NotFoundException()
    return row


@post("/spending/staff/{allocation_id:int}", guards=[SPENDING_MANAGERS], status_code=200)
async def edit_staff_time(request: HTMXRequest, allocation_id: FromPath[int]) -> Response | Template:
    row = await _allocation(request, allocation_id)
    org, year = row["organisation"], row["year"]
    form = await request.form()
    data, errors, values = await _read(form, org, year)
    version = form_version(form, errors)
    findings = ()
    if data is not None and not errors:
        saved = await actions.update_staff_time(allocation_id, version, data, request.user.id,
                                                go_on=form.get("go_on") == "1")
        if saved.id is not None:
            flash(request, _("The staff time has been saved."))
            return redirect(request, staff_url(org, year))
        findings = saved.findings
        row = await queries.staff_time_of(org, allocation_id) or row  # the form carries the saved version again
    return await _refused(request, org, year, findings, data, errors, values, editing=row)


@post("/spending/staff/{allocation_id:int}/delete", guards=[SPENDING_MANAGERS], status_code=200)
async def delete_staff_time(request: HTMXRequest, allocation_id: FromPath[int]) -> Response | Template:
    """Without confirm=1, the page asks first; with it, the line goes."""
    row = await _allocation(request, allocation_id)
    form = await request.form()
    if form.get("confirm") != "1":
        return page(request, TEMPLATE, await _context(request, row["organisation"], row["year"], confirm=row),
                    block="staff")
    await actions.delete_staff_time(allocation_id)
    flash(request, _("The staff time of %(name)s has been removed.", name=row["staff_name"]))
    return redirect(request, staff_url(row["organisation"], row["year"]))
