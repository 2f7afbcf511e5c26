"""What the PIIS screens share: plain names for codes, a rule's finding as a sentence, the PIIS form read
into a PiisInput with a translated message per field (what was typed kept to show it again), the CPAS asked for
(404 outside the person's own CPAS, a cluster or a CPAS of the same cluster included), the words for a
measurement's context and a trajectory's outcomes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from litestar.exceptions import NotFoundException
from litestar.plugins.htmx import HTMXRequest

from planner import i18n
from planner.i18n import N_
from planner.i18n import gettext as _
from planner.orgs.queries import organisation_choices
from planner.piis.actions import ObjectiveInput, PiisInput
from planner.piis.law import all_laws, law_on
from planner.piis.rules import ORIENTATIONS, SUBSIDY_STATUSES, Finding
from planner.piis.rules.progress import AUTONOMY, EMPLOYMENT, SOCIO_PRO, VOLUNTEERING
from planner.spending.rules import placeholders
from planner.web import form_date, form_int, parse_id, text

TYPE_NAMES = {  # domain.md §2.5, in plain words (8, "no PIIS", is an exemption on the file, not a PIIS)
    9: N_("9 · Full-time studies"), 10: N_("10 · Full-time studies with work income"),
    11: N_("11 · General PIIS (work or social life)"), 12: N_("12 · General PIIS with community service"),
    15: N_("15 · Studies with community service"), 16: N_("16 · Studies with community service (other)"),
}
ORIENTATION_NAMES = {"professional": N_("Towards work"), "social_activation": N_("Social activation"),
                     "studies": N_("Studies"), "mixed": N_("Mixed")}
SUBSIDY_NAMES = {"none": N_("No 10 % PIIS subsidy"), "first_grant": N_("10 % PIIS subsidy: first grant"),
                 "prolongation": N_("10 % PIIS subsidy: prolongation")}
STATUS_NAMES = {"draft": N_("Draft"), "proposed": N_("Proposed, the person is thinking it over"),
                "signed": N_("Signed"), "ended": N_("Ended")}
EXEMPTION_NAMES = {"": N_("No exemption"), "health": N_("Exempt for health reasons"),
                   "equity": N_("Exempt for reasons of equity")}
KIND_NAMES = {"interview": N_("interview"), "other": N_("other (phone, letter)")}
RECORD_NAMES = {"piis": N_("PIIS"), "bilan": N_("Bilan social"), "contract": N_("Printed contract"),
                "scan": N_("Signed scan"), "measurement": N_("Measurement"),
                "measurements": N_("Measurements and progress"), "report": N_("People behind a report figure")}
FIELD_NAMES = {  # rules.changes' field names in plain words (PIIS-32's history)
    "type_code": N_("Type"), "orientation": N_("Orientation"), "starts_on": N_("Start"), "ends_on": N_("End"),
    "evaluation_method": N_("How it will be evaluated"), "assisted_by": N_("Assisted by"),
    "title": N_("objective"), "person_steps": N_("the person's steps"), "cpas_steps": N_("the CPAS's steps"),
    "third_party": N_("third party"), "third_party_steps": N_("the third party's steps"),
    "commitments": N_("Modules written in"),
}

MAX_OBJECTIVES = 20  # a PIIS is read with the person: more would be a list no one can keep
MAX_TEXT = 5000  # characters in one narrative field
OBJECTIVE_KEYS = ("title", "person_steps", "cpas_steps", "third_party", "third_party_steps")
TAG = re.compile(r"<\s*/?\s*[a-zA-Z!]")  # the start of an HTML tag: the contract is plain words


def name_of(names: dict, code: Any) -> str:
    return _(names[code]) if code in names else str(code)


def finding_message(finding: Finding) -> str:
    """The finding's message in the reader's language, its figures as dates and numbers."""
    return _(finding.message, **placeholders(finding.figures, i18n.format_money, lambda bp: f"{bp / 100:g} %",
                                             i18n.format_date))


def law_for(day: dt.date):
    """The PIIS law in force on day; the oldest law file for a day before it (the app keeps no older rules)."""
    return law_on(max(day, all_laws()[0].in_force_from))


def type_choices(day: dt.date) -> list[tuple[int, str]]:
    """The type codes valid on `day` (§2.5, from the law in force then) with their plain names."""
    law = law_for(day)
    return [(t.code, name_of(TYPE_NAMES, t.code)) for t in law.types if t.valid_on(day) and t.code in TYPE_NAMES]


def plain_text(form: Any, name: str, errors: dict[str, str], limit: int = MAX_TEXT, key: str | None = None) -> str:
    """A narrative field, kept as typed; a message on it when it is too long or holds HTML."""
    value = str(form.get(name, "") or "").replace("\x00", "").strip()
    if len(value) > limit:
        errors[key or name] = i18n.ngettext("At most %(num)s character.", "At most %(num)s characters.", limit)
    elif TAG.search(value):
        errors[key or name] = _("Write plain text, without < and > around words.")
    return value


def required_date(form: Any, name: str, errors: dict[str, str]) -> dt.date | None:
    day = form_date(text(form, name, 40))
    if day is None:
        errors[name] = _("Give a real date (day, month and year).")
    return day


def _rows(form: Any) -> list[int]:
    """The numbers of the objective rows the form sent (o<n>_title), in order."""
    found = {int(m.group(1)) for key in form.keys() if (m := re.fullmatch(r"o(\d{1,4})_title", key))}
    return sorted(found)


def read_objectives(form: Any, errors: dict[str, str], own_enrolments: set[int]) -> list[dict]:
    """The objective rows as typed ([{title, …, enrolments, remove}]), without the empty and removed ones;
    a message for too many rows, a row without a title, or an enrolment that is not the person's."""
    rows = []
    for n in _rows(form):
        row = {key: plain_text(form, f"o{n}_{key}", errors, 200 if key == "third_party" else MAX_TEXT,
                               key=f"o{len(rows)}_{key}") for key in OBJECTIVE_KEYS}
        row["enrolments"] = [parse_id(v) for v in form.getall(f"o{n}_enrolment", [])]
        if form.get(f"o{n}_remove") or not any(row[k] for k in OBJECTIVE_KEYS) and not row["enrolments"]:
            for key in OBJECTIVE_KEYS:  # a removed or empty row keeps no message
                errors.pop(f"o{len(rows)}_{key}", None)
            continue
        if not row["title"]:
            errors[f"o{len(rows)}_title"] = _("Give this objective a title.")
        if any(e not in own_enrolments for e in row["enrolments"]):
            errors[f"o{len(rows)}_enrolments"] = _("Choose modules from this person's list.")
        row["enrolments"] = [e for e in row["enrolments"] if e is not None]
        rows.append(row)
    if len(rows) > MAX_OBJECTIVES:
        errors["objectives"] = _("At most %(max)s objectives: keep the ones that matter most.", max=MAX_OBJECTIVES)
        rows = rows[:MAX_OBJECTIVES]
    elif not rows:
        errors["objectives"] = _("Write at least one objective.")
    return rows


def read_piis(form: Any, errors: dict[str, str], own_enrolments: set[int]) -> tuple[PiisInput | None, dict]:
    """The PIIS form as a PiisInput (None when a field is wrong, with its message in errors) and the values
    as typed, to show the form again."""
    values = {name: text(form, name, MAX_TEXT) for name in (
        "type_code", "orientation", "starts_on", "ends_on", "assisted_by", "reactualised_after_job_months",
        "subsidy_status", "subsidy_months")}
    values["evaluation_method"] = plain_text(form, "evaluation_method", errors)
    values["subsidy_motivation"] = plain_text(form, "subsidy_motivation", errors)
    values["assisted_by"] = plain_text(form, "assisted_by", errors, 200)
    starts_on, ends_on = required_date(form, "starts_on", errors), required_date(form, "ends_on", errors)
    type_code = parse_id(values["type_code"])
    if type_code not in TYPE_NAMES:
        errors["type_code"] = _("Choose a type from the list.")
    if values["orientation"] not in ORIENTATIONS:
        errors["orientation"] = _("Choose an orientation from the list.")
    if values["subsidy_status"] not in SUBSIDY_STATUSES:
        errors["subsidy_status"] = _("Choose from the list.")
    months = form_int(form, "reactualised_after_job_months", 0, 120, errors)
    subsidy_months = form_int(form, "subsidy_months", 0, 120, errors) or 0
    if values["subsidy_status"] == "prolongation" and not values["subsidy_motivation"]:
        errors["subsidy_motivation"] = _("A prolongation needs its written motivation.")
    objectives = read_objectives(form, errors, own_enrolments)
    values["objectives"] = objectives
    if errors:
        return None, values
    return PiisInput(
        type_code=type_code, orientation=values["orientation"], starts_on=starts_on, ends_on=ends_on,
        evaluation_method=values["evaluation_method"], assisted_by=values["assisted_by"],
        reactualised_after_job_months=months, subsidy_status=values["subsidy_status"],
        subsidy_months=subsidy_months, subsidy_motivation=values["subsidy_motivation"],
        objectives=tuple(ObjectiveInput(o["title"], o["person_steps"], o["cpas_steps"], o["third_party"],
                                        o["third_party_steps"], tuple(o["enrolments"])) for o in objectives),
    ), values


FINDING_FIELDS = {"PIIS-TYPE": "type_code", "PIIS-21": "ends_on", "PIIS-33": "subsidy_motivation",
                  "SUB-PIIS-02": "subsidy_status"}


def place_findings(findings, errors: dict[str, str]) -> None:
    """Each BLOCK finding next to its field (or in the summary under "form")."""
    for f in findings:
        key = FINDING_FIELDS.get(f.rule, "form")
        errors[key] = " ".join(filter(None, (errors.get(key), finding_message(f))))


def values_of(piis: dict, objectives: list[dict]) -> dict:
    """A saved PIIS as the form's values."""
    values = {k: "" if piis.get(k) is None else str(piis[k]) for k in (
        "type_code", "orientation", "starts_on", "ends_on", "evaluation_method", "assisted_by",
        "reactualised_after_job_months", "subsidy_status", "subsidy_months", "subsidy_motivation")}
    values["objectives"] = [{**{k: o[k] for k in OBJECTIVE_KEYS},
                             "enrolments": [c["enrolment"] for c in o.get("commitments", [])]} for o in objectives]
    return values


# -- the due list, the evaluation screen, the cadence setting ----------------------------------------------------

KIND_LABELS = {"interview": N_("Interview"), "other": N_("Other form (phone, letter)")}
OBJECTIVE_LABELS = {"reached": N_("reached"), "on_track": N_("on track"), "not_yet": N_("not yet"),
                    "dropped": N_("dropped")}
CADENCE_LABELS = {"yearly": N_("The law's minimum: 3 evaluations a year, 2 of them interviews"),
                  "quarterly": N_("Quarterly: 4 evaluations a year, 2 of them interviews")}


async def cpas_choices(request: HTMXRequest, *roles: str) -> list[dict]:
    """The CPAS (not clusters) where the person holds one of these roles: [{id, name, kind}], by name."""
    return [c for c in await organisation_choices(request.user.organisations(*roles)) if c["kind"] == "cpas"]


async def own_cpas(request: HTMXRequest, value: str, *roles: str) -> tuple[int, list[dict]]:
    """(the CPAS asked for, the choices): the first one when none is asked; 404 for any other organisation."""
    choices = await cpas_choices(request, *roles)
    if not choices:
        raise NotFoundException()
    org = parse_id(value) if value.strip() else choices[0]["id"]
    if org not in {c["id"] for c in choices}:
        raise NotFoundException()
    return org, choices


# -- progress (measurements, outcomes) ---------------------------------------------------------------------------

CONTEXT_LABELS = {"start": N_("start"), "interim": N_("interim"), "end": N_("end"), "31dec": N_("31 December")}
# The built-in questionnaire's dimensions (instruments/empowerment.toml, §5.3); a CPAS's own are shown as typed.
DIMENSION_LABELS = {"self_efficacy": N_("Self-efficacy"), "control": N_("Control over one's life"),
                    "participation": N_("Taking part")}


def dimension_label(code: str) -> str:
    return _(DIMENSION_LABELS[code]) if code in DIMENSION_LABELS else code


OUTCOME_LABELS = {SOCIO_PRO: N_("towards a socio-professional path"), AUTONOMY: N_("reinforced autonomy"),
                  VOLUNTEERING: N_("volunteering"), EMPLOYMENT: N_("employment"), "none": N_("none of these")}


def context_label(context: str) -> str:
    return _(CONTEXT_LABELS.get(context, context))


def outcome_label(outcome: str) -> str:
    return _(OUTCOME_LABELS.get(outcome, outcome))


def problem_text(problem: tuple[str, dict] | str) -> str:
    """A rule's problem (a message id, or one with its variables) in the reader's language."""
    message, variables = problem if isinstance(problem, tuple) else (problem, {})
    return _(message, **variables)
