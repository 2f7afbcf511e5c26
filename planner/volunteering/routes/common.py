"""What the volunteering screens share: the CPAS a person manages placements of (404 outside them), the
choices of the placement form, reading that form and the hours forms, a finding put next to its field."""

from __future__ import annotations

import re
from typing import Any

from litestar.exceptions import NotFoundException
from litestar.plugins.htmx import HTMXRequest

from planner import i18n
from planner.i18n import N_
from planner.i18n import gettext as _
from planner.money import AmountError, parse_cents
from planner.names import display_name
from planner.orgs.access import name_of
from planner.orgs.queries import organisation_choices
from planner.orgs.tables import Organisation
from planner.people.rules import phone_problem
from planner.people.tables import Beneficiary
from planner.spending.rules import Finding, placeholders
from planner.volunteering import actions
from planner.volunteering.access import placement_organisations
from planner.volunteering.actions import PlacementInput
from planner.volunteering.rules import ALLOWANCE_KINDS, FLAT_RATE, HOST_KINDS, NONE, REAL_COSTS
from planner.volunteering.tables import Placement
from planner.web import NO_SUCH_DATE, form_date, form_int, form_text, parse_id, text, typed_no_date

# Where each rule's finding is shown: next to the field it is about.
FIELD_OF_RULE = {"VOL-01": "informed_on", "VOL-02": "availability_note", "VOL-03": "allowance_amount",
                 "VOL-04": "host_kind", "version": "version"}
HOST_KIND_LABELS = {"non_profit": N_("Non-profit organisation"), "public": N_("Public body")}
ALLOWANCE_LABELS = {NONE: N_("No allowance"), FLAT_RATE: N_("Flat rate per day"),
                    REAL_COSTS: N_("Real costs refunded")}
STATE_LABELS = {"pending": N_("waiting for approval"), "approved": N_("approved"), "declined": N_("declined")}
RECORDER_LABELS = {"host": N_("the host"), "volunteer": N_("the volunteer"), "cpas": N_("the CPAS")}


def labels() -> dict[str, Any]:
    """The words a volunteering template shows for codes, in the reader's language."""
    return {"host_kind_label": lambda code: _(HOST_KIND_LABELS[code]) if code in HOST_KIND_LABELS else "",
            "allowance_label": lambda code: _(ALLOWANCE_LABELS[code]) if code in ALLOWANCE_LABELS else "",
            "state_label": lambda code: _(STATE_LABELS[code]) if code in STATE_LABELS else code,
            "recorder_label": lambda code: _(RECORDER_LABELS[code]) if code in RECORDER_LABELS else code,
            "hours": hours_text, "host_kinds": HOST_KINDS, "allowance_kinds": ALLOWANCE_KINDS}


def hours_text(minutes: int) -> str:
    """Minutes as a reader says them: "4 h", "2 h 30"."""
    hours, rest = divmod(minutes or 0, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


async def cpas_choices(request: HTMXRequest) -> list[dict]:
    """The CPAS whose placements the person manages: [{id, name, kind}], by name."""
    return [c for c in await organisation_choices(set(placement_organisations(request.user))) if c["kind"] == "cpas"]


async def own_cpas(request: HTMXRequest, value: str) -> int:
    """A CPAS whose placements the person manages, or 404 (a cluster is not a CPAS)."""
    org = parse_id(value) or 0
    if org not in {c["id"] for c in await cpas_choices(request)}:
        raise NotFoundException()
    return org


async def form_choices(organisation_id: int) -> dict:
    """The people and host organisations (its partners) the placement form offers for a CPAS."""
    people = await Beneficiary.select(Beneficiary.id, Beneficiary.first_name, Beneficiary.last_name).where(
        Beneficiary.organisation == organisation_id).order_by(Beneficiary.sort_key)
    hosts = await Organisation.select().where((Organisation.kind == "partner") & (Organisation.owner == organisation_id))
    return {"people": [(p["id"], display_name(p["first_name"], p["last_name"])) for p in people],
            "hosts": sorted(((h["id"], name_of(h)) for h in hosts), key=lambda h: h[1].lower())}


def finding_message(finding: Finding) -> str:
    return _(finding.message, **placeholders(finding.figures, i18n.format_money,
                                             lambda bp: f"{bp / 100:g} %", i18n.format_date))


def findings_by_field(findings) -> dict[str, list[dict]]:
    """{field: [{"level", "text"}]}: each finding next to its field, translated."""
    shown: dict[str, list[dict]] = {}
    for f in findings:
        shown.setdefault(FIELD_OF_RULE.get(f.rule, "tasks"), []).append(
            {"level": f.level, "text": f"{f.rule}: {finding_message(f)}" if f.rule.startswith("VOL") else
             finding_message(f)})
    return shown


FIELDS = ("beneficiary", "host", "host_kind", "tasks", "hours_per_week", "days_per_week", "starts_on", "ends_on",
          "informed_on", "availability_note", "allowance_kind", "allowance_amount", "piis_objective", "insurance",
          "contact_first_name", "contact_phone", "paid_same_tasks")


def typed_values(form: Any) -> dict[str, str]:
    """What was typed, to show again as it was."""
    return {name: text(form, name, 2000) for name in FIELDS}


def values_of(row: dict) -> dict[str, str]:
    """A saved placement as its form shows it."""
    hours, minutes = divmod(row["minutes_per_week"], 60)
    return {**{name: str(row.get(name) or "") for name in FIELDS},
            "hours_per_week": f"{hours}:{minutes:02d}" if minutes else str(hours),
            "allowance_amount": i18n.format_money(row["allowance_per_day_cents"]).replace("€", "").replace(
                "\xa0", "").strip() if row["allowance_per_day_cents"] else "",
            "piis_objective": "1" if row["piis_objective"] else "",
            "paid_same_tasks": "1" if row["paid_same_tasks"] else ""}


DECIMAL_HOURS = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def parse_minutes(value: str) -> int | None:
    """Hours as typed: "4", "2:30", "2,5", "2.5" → minutes; None when it cannot be read."""
    value = value.strip().replace(",", ".")
    if ":" in value:
        hours, _sep, minutes = value.partition(":")
        if hours.isascii() and hours.isdigit() and minutes.isascii() and minutes.isdigit() and len(hours) <= 3 \
                and int(minutes) < 60:
            return int(hours) * 60 + int(minutes)
        return None
    # Digits with one optional decimal part only: float() also reads "1e309" (infinity, whose round() was a
    # 500), "nan", "inf" and "1_0".
    if len(value) > 6 or not DECIMAL_HOURS.fullmatch(value):
        return None
    return round(float(value) * 60)


async def record_typed_hours(form: Any, placement_id: int, recorder: str, user_id: int | None,
                             note_length: int) -> dict[str, str]:
    """Record the day and time an hours form holds (fields day, time, note) for the placement, by recorder
    (rules.RECORDERS; user_id None for a secret link's visitor). {} when recorded, else a translated message per
    form field: the time unreadable, or a rule's problem (rules.entry_problems)."""
    errors: dict[str, str] = {}
    day = form_date(text(form, "day"))
    if day is None:
        errors["day"] = _(NO_SUCH_DATE) if typed_no_date(text(form, "day")) else _("Give the day.")
    minutes = parse_minutes(text(form, "time"))
    if minutes is None:
        errors["time"] = _("Give the time done, for example 3 or 2:30.")
    if errors:
        return errors
    _id, problems = await actions.record_hours(placement_id, day, minutes, text(form, "note", note_length), recorder,
                                               user_id, i18n.today())
    return {("time" if field == "minutes" else field): _(message) for field, message in problems.items()}


def read_placement(form: Any, errors: dict[str, str], people: list, hosts: list, beneficiary: int | None = None
                   ) -> PlacementInput | None:
    """The placement form as a PlacementInput, or None with a translated message per field in errors."""
    person = beneficiary or parse_id(form.get("beneficiary"))
    if person not in {p[0] for p in people}:
        errors["beneficiary"] = _("Choose the person from the list.")
    host = parse_id(form.get("host"))
    if host not in {h[0] for h in hosts}:
        errors["host"] = _("Choose the host organisation from the list (register it as a partner first).")
    host_kind = text(form, "host_kind")
    if host_kind not in HOST_KINDS:
        errors["host_kind"] = _("Say whether the host is a non-profit organisation or a public body.")
    tasks = text(form, "tasks", 5000)
    if not tasks:
        errors["tasks"] = _("Describe the tasks.")
    minutes = parse_minutes(text(form, "hours_per_week"))
    if minutes is None or not 0 < minutes <= 60 * 60:
        errors["hours_per_week"] = _("Give the hours a week, for example 4 or 2:30.")
    days = form_int(form, "days_per_week", 1, 7, errors, required=True)
    starts_on = form_date(text(form, "starts_on"))
    if starts_on is None:
        errors["starts_on"] = (_(NO_SUCH_DATE) if typed_no_date(text(form, "starts_on"))
                               else _("Give the first day of the placement."))
    ends_on = form_date(text(form, "ends_on")) if text(form, "ends_on") else None
    if text(form, "ends_on") and ends_on is None:
        errors["ends_on"] = _(NO_SUCH_DATE)
    elif ends_on and starts_on and ends_on < starts_on:
        errors["ends_on"] = _("The last day comes after the first day.")
    informed_on = form_date(text(form, "informed_on")) if text(form, "informed_on") else None
    if text(form, "informed_on") and informed_on is None:
        errors["informed_on"] = _(NO_SUCH_DATE)
    kind = text(form, "allowance_kind") or NONE
    if kind not in ALLOWANCE_KINDS:
        errors["allowance_kind"] = _("Choose the allowance from the list.")
    cents = 0
    if kind == FLAT_RATE:
        try:
            cents = parse_cents(text(form, "allowance_amount", 100), i18n.current_language())
        except AmountError as error:
            errors["allowance_amount"] = _(error.message, **error.variables)
        else:
            if cents == 0:
                errors["allowance_amount"] = _("Give the amount a day.")
    first_name = form_text(form, "contact_first_name", Placement.contact_first_name, errors)
    phone = form_text(form, "contact_phone", Placement.contact_phone, errors)
    if phone_problem(phone) and "contact_phone" not in errors:
        errors["contact_phone"] = _(phone_problem(phone))
    if errors:
        return None
    return PlacementInput(
        beneficiary=person, host=host, host_kind=host_kind, tasks=tasks, minutes_per_week=minutes,
        starts_on=starts_on, ends_on=ends_on, informed_on=informed_on,
        availability_note=text(form, "availability_note", 5000), allowance_kind=kind, allowance_per_day_cents=cents,
        days_per_week=days, piis_objective=form.get("piis_objective") == "1",
        paid_same_tasks=form.get("paid_same_tasks") == "1", insurance=text(form, "insurance", 2000),
        contact_first_name=first_name, contact_phone=phone)
