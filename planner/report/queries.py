"""The plain input data of one CPAS's year (report.rules.YearInput), read from the register in a fixed number of
queries whatever the number of modules (an Antwerp-size year: 500 modules, 20,000 people, 400,000 marks), and the
lists behind each figure: one reader per kind of fact, each a read or two whatever the year's size.

A cluster's shared module (Module.cluster): each member CPAS reports its own people on its own row; the organiser
keeps the expenses, and a member's cost is its part as spending decides it (ClusterCostKey, else the register:
spending.queries.module_costs).

A little over 300 lines: the readers of one YearInput stay together, so year_input reads in one file."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

from planner.attendance.figures import Mark as MarkFact, SessionSlot, attended_seconds
from planner.attendance.rules import ATTENDED, STATUSES as MARK_STATUSES
from planner.attendance.tables import Mark
from planner.modules.tables import Module, ModulePartner, Session
from planner.orgs.access import name_of
from planner.orgs.tables import ClusterMember
from planner.people.rules import STATUSES as SERVICE_USER_STATUSES
from planner.people.tables import Beneficiary
from planner.piis import queries as piis_queries
from planner.piis.rules.measures import progress_in_year, series, year_pair
from planner.piis.rules.subsidy import NONE as NO_SUBSIDY, subsidy_ends, subsidy_starts
from planner.piis.tables import Instrument, Measurement, Piis, PiisFile
from planner.report.rules import (
    AttendanceFact, EvaluationFact, ExpenseFact, ModuleInput, PersonFact, SessionFact, StaffFact, SubsidyFact,
    YearInput,
)
from planner.report.tables import ReportAnswers
from planner.spending.queries import charged_cents, load_ruleset, recovers_vat  # the year's rule set, as spending reads it
from planner.spending.queries.module_costs import module_costs
from planner.spending.rules import eligible_amount, share_bp
from planner.spending.tables import Expense, ExpenseShare, FundingGrant, StaffAllocation
from planner.volunteering.tables import Placement

SOURCE = "fonds-pas"  # the Rapport unique's social-activation form reports this source
NOT_OTHER_FUNDING = (SOURCE, "own-funds")  # §4.1 #27 "other funding": other subsidies, never the CPAS's own money
RI_STATUSES = ("ri", "eri")
SOCIAL_ORIENTATIONS = ("social_activation", "mixed")  # §4.3 E1: a PIIS framing a social-activation trajectory
IN_FORCE = ("signed", "ended")


def _of_year(column, year: int):
    return (column >= dt.date(year, 1, 1)) & (column <= dt.date(year, 12, 31))


async def clusters_of(organisation_id: int) -> list[int]:
    return [r["cluster"] for r in await ClusterMember.select(ClusterMember.cluster).where(
        ClusterMember.cpas == organisation_id)]


async def year_sessions(organisation_id: int, year: int) -> list[dict]:
    """The held sessions of the year of every strand-B module the CPAS organises or shares through a cluster."""
    clusters = await clusters_of(organisation_id)
    reported = Session.module.organisation == organisation_id
    if clusters:
        reported = reported | Session.module.cluster.is_in(clusters)
    return await Session.select(
        Session.id, Session.module, Session.day, Session.starts_at, Session.ends_at, Session.guests,
    ).where(_of_year(Session.day, year) & (Session.status != "cancelled") & (Session.module.strand == "B") & reported
            ).order_by(Session.day).order_by(Session.starts_at)


async def year_marks(organisation_id: int, session_ids: list[int]) -> list[dict]:
    """The recorded marks of the CPAS's own people at these sessions (one read; chunks keep the IN list short)."""
    rows: list[dict] = []
    for i in range(0, len(session_ids), 5000):
        rows += await Mark.select(Mark.beneficiary, Mark.session, Mark.status, Mark.arrived_at, Mark.left_at).where(
            Mark.session.is_in(session_ids[i:i + 5000]) & (Mark.beneficiary.organisation == organisation_id)
            & Mark.status.is_in(list(MARK_STATUSES)))
    return rows


async def people_facts(organisation_id: int, person_ids: set[int], year: int) -> tuple[list[PersonFact],
                                                                                      list[SubsidyFact]]:
    """The people counted (§4.1 #14–#20) and the 10 % subsidy's months (§2.7): three reads."""
    ids = sorted(person_ids) or [0]
    people = await Beneficiary.select(Beneficiary.id, Beneficiary.gender, Beneficiary.birth_date, Beneficiary.status,
                                      Beneficiary.piis_subsidy_year, Beneficiary.file_reference).where(
        (Beneficiary.organisation == organisation_id) & Beneficiary.id.is_in(ids))
    contracts = await Piis.select(Piis.beneficiary, Piis.signed_on, Piis.starts_on, Piis.ends_on, Piis.subsidy_status,
                                  Piis.subsidy_months).where(
        (Piis.organisation == organisation_id) & Piis.status.is_in(list(IN_FORCE))
        & Piis.beneficiary.is_in(ids) & (Piis.starts_on <= dt.date(year, 12, 31))
        & (Piis.ends_on.is_null() | (Piis.ends_on >= dt.date(year, 1, 1))))
    granted = {r["beneficiary"]: r["ri_granted_on"] for r in await PiisFile.select(
        PiisFile.beneficiary, PiisFile.ri_granted_on).where(PiisFile.beneficiary.is_in(ids))}
    with_piis = {c["beneficiary"] for c in contracts}
    reference = {p["id"]: p["file_reference"] or "" for p in people}
    subsidy: dict[int, SubsidyFact] = {}
    for c in contracts:
        if c["subsidy_status"] == NO_SUBSIDY or c["signed_on"] is None:
            continue
        start = subsidy_starts(c["signed_on"], granted.get(c["beneficiary"]) or c["signed_on"])
        until = subsidy_ends(start, c["subsidy_months"] or 12)
        if start <= dt.date(year, 12, 31) and until >= dt.date(year, 1, 1):
            subsidy[c["beneficiary"]] = SubsidyFact(c["beneficiary"], start, until, reference.get(c["beneficiary"], ""))
    for p in people:  # the year marked on the file without a contract's months: the whole year (SUB-PIIS-01)
        if p["piis_subsidy_year"] == year and p["id"] not in subsidy:
            subsidy[p["id"]] = SubsidyFact(p["id"], dt.date(year, 1, 1), dt.date(year, 12, 31), reference[p["id"]])
    facts = [PersonFact(p["id"], p["gender"], p["birth_date"], p["status"] in SERVICE_USER_STATUSES,
                        p["status"] in RI_STATUSES, p["id"] in with_piis, p["id"] in subsidy) for p in people]
    return facts, list(subsidy.values())


async def module_rows(organisation_id: int, module_ids: list[int]) -> list[dict]:
    modules = await Module.select(
        Module.id, Module.organisation, Module.cluster, Module.code, Module.title, Module.module_type, Module.strand,
        Module.objectives, Module.target_public, Module.default_room.name,
    ).where(Module.id.is_in(module_ids or [0])).order_by(Module.code).order_by(Module.id)
    partners: dict[int, list[str]] = defaultdict(list)
    for p in await ModulePartner.select(ModulePartner.module, *(getattr(ModulePartner.partner, f"name_{lang}")
                                                                for lang in ("fr", "nl", "de", "en")),
                                        ModulePartner.partner.region).where(
            ModulePartner.module.is_in(module_ids or [0])):
        partners[p["module"]].append(name_of(p, "partner."))
    for m in modules:
        m["partners"] = tuple(sorted(partners[m["id"]]))
    return modules


def _is_piis_subsidy(source: str, year: int) -> bool:
    """Whether a share's source is the 10 % special PIIS subsidy (its rule set says so: spending's data)."""
    try:
        return load_ruleset(source, year).piis_subsidy
    except LookupError:
        return False


async def expense_facts(organisation_id: int, year: int) -> list[ExpenseFact]:
    """The CPAS's expenses dated in the year with what their shares charge (two reads), of which to the 10 % PIIS
    subsidy (SUB-PIIS-05)."""
    expenses = await Expense.select(Expense.id, Expense.module, Expense.category, Expense.amount_excl_vat_cents,
                                    Expense.vat_cents).where(
        (Expense.organisation == organisation_id) & _of_year(Expense.day, year))
    shares: dict[int, list[dict]] = defaultdict(list)
    ids = [e["id"] for e in expenses]
    for i in range(0, len(ids), 5000):
        for s in await ExpenseShare.select().where(ExpenseShare.expense.is_in(ids[i:i + 5000])).order_by(
                ExpenseShare.id):
            shares[s["expense"]].append(s)
    recovers = await recovers_vat(organisation_id, year)
    facts = []
    for e in expenses:
        own = shares[e["id"]]
        cents = charged_cents(e, own, recovers)
        ours = [(s, c) for s, c in zip(own, cents) if s["source"] == SOURCE and s["year"] == year]
        other = sum(c for s, c in zip(own, cents) if s["source"] not in NOT_OTHER_FUNDING)
        piis = sum(c for s, c in zip(own, cents) if s["year"] == year and _is_piis_subsidy(s["source"], s["year"]))
        facts.append(ExpenseFact(e["id"], e["module"], e["category"],
                                 eligible_amount(e["amount_excl_vat_cents"], e["vat_cents"], recovers),
                                 sum(c for _s, c in ours), ours[0][0]["strand"] if ours else None, other, piis))
    return facts


async def staff_facts(organisation_id: int, year: int) -> list[StaffFact]:
    rows = await StaffAllocation.select().where(
        (StaffAllocation.organisation == organisation_id) & (StaffAllocation.year == year)
        & (StaffAllocation.source == SOURCE)).order_by(StaffAllocation.id)
    return [StaffFact(r["id"], r["staff_name"], r["strand"], r["full_time_annual_cents"], r["fte_bp"],
                      r["time_share_bp"], r["starts_on"], r["ends_on"], tuple(json.loads(r["tasks"] or "{}").items()),
                      r["module"]) for r in rows]


async def evaluation_facts(organisation_id: int, year: int, attended_b: set[int]) -> tuple[list[EvaluationFact], str]:
    """§4.3 E1/E2 for the CPAS's people with a social or mixed PIIS in force in the year, and E3: the instrument
    most of their measurements of the year used (its code; "" without any)."""
    contracts = await Piis.select(Piis.beneficiary).where(
        (Piis.organisation == organisation_id) & Piis.status.is_in(list(IN_FORCE))
        & Piis.orientation.is_in(list(SOCIAL_ORIENTATIONS)) & (Piis.starts_on <= dt.date(year, 12, 31))
        & (Piis.ends_on.is_null() | (Piis.ends_on >= dt.date(year, 1, 1))))
    people = sorted({c["beneficiary"] for c in contracts})
    measured = await Measurement.select(
        Measurement.id, Measurement.beneficiary, Measurement.measured_on, Measurement.context, Measurement.scores,
        Measurement.instrument, Measurement.instrument.code, Measurement.instrument.scale,
        Measurement.instrument.progress_rule,
    ).where((Measurement.organisation == organisation_id) & Measurement.beneficiary.is_in(people or [0])
            & (Measurement.measured_on <= dt.date(year, 12, 31)))
    volunteering = {p["beneficiary"] for p in await Placement.select(Placement.beneficiary).where(
        (Placement.organisation == organisation_id) & _of_year(Placement.starts_on, year))}
    referred = await piis_queries.referred_in_year(people, year)  # §4.3 E2a: ended on a socio-professional path
    uses: dict[str, int] = defaultdict(int)
    series_of: dict[tuple[int, int], list] = defaultdict(list)
    kinds: dict[int, tuple[str, str, str]] = {}
    for m in measured:
        series_of[(m["beneficiary"], m["instrument"])].append(
            (m["id"], m["measured_on"], m["context"], json.loads(m["scores"])))
        kinds[m["instrument"]] = (m["instrument.code"], m["instrument.scale"], m["instrument.progress_rule"])
        if m["measured_on"].year == year:
            uses[m["instrument.code"]] += 1
    facts = []
    for person in people:
        flags: set[str] = set()
        progressed = False
        for (who, instrument), rows in series_of.items():
            if who != person:
                continue
            code, scale, rule = kinds[instrument]
            result = progress_in_year(series(rows, scale), year, scale, rule, code,
                                      referred_to_isp=person in referred,
                                      volunteering_started=person in volunteering)
            progressed = progressed or result.progressed
            flags |= result.flags
        facts.append(EvaluationFact(person, True, person in attended_b, progressed, frozenset(flags)))
    instrument = max(sorted(uses), key=lambda c: uses[c]) if uses else ""
    return facts, instrument


async def year_input(organisation_id: int, year: int) -> YearInput:
    """Everything report.rules.year_figures needs for the CPAS's year."""
    sessions = await year_sessions(organisation_id, year)
    marks = await year_marks(organisation_id, [s["id"] for s in sessions])
    slots = {s["id"]: SessionSlot(s["id"], s["day"], s["starts_at"], s["ends_at"]) for s in sessions}
    module_of = {s["id"]: s["module"] for s in sessions}
    expenses, staff = await expense_facts(organisation_id, year), await staff_facts(organisation_id, year)
    # a module of the year: one with a held session, or one the CPAS paid for in the year (strand B)
    costed = {e.module for e in expenses if e.module is not None} | {s.module for s in staff if s.module is not None}
    modules = [m for m in await module_rows(organisation_id, sorted({s["module"] for s in sessions} | costed))
               if m["strand"] == "B"]
    per: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0])  # (module, person) -> expected, came, s
    for m in marks:
        key = (module_of[m["session"]], m["beneficiary"])
        per[key][0] += 1
        if m["status"] in ATTENDED:
            per[key][1] += 1
            per[key][2] += attended_seconds(slots[m["session"]], MarkFact(m["session"], m["status"], m["arrived_at"],
                                                                         m["left_at"]))
    people, subsidy = await people_facts(organisation_id, {p for _m, p in per}, year)
    sessions_of: dict[int, list[dict]] = defaultdict(list)
    for s in sessions:
        sessions_of[s["module"]].append(s)
    attendance_of: dict[int, list[AttendanceFact]] = defaultdict(list)  # grouped once: 500 modules × 20,000 people
    for (m, p), v in sorted(per.items()):
        attendance_of[m].append(AttendanceFact(p, v[0], v[1], v[2]))
    module_inputs = []
    for mod in modules:
        own = mod["organisation"] == organisation_id
        mine = sessions_of[mod["id"]]
        share = None
        if mod["cluster"] is not None:  # spending decides each CPAS's part of a shared module
            costs = await module_costs(mod, organisation_id, year)
            total = costs["total_cents"]
            share = share_bp(costs["part"].cents, total) if total and costs["part"] else 0
        attendance = tuple(attendance_of[mod["id"]])
        if not own and not attendance:
            continue
        module_inputs.append(ModuleInput(
            mod["id"], len(module_inputs) + 1, mod["code"], mod["title"], mod["module_type"], mod["objectives"], mod["target_public"],
            min((s["day"] for s in mine), default=None), max((s["day"] for s in mine), default=None),
            mod["default_room.name"] or "", "cpas_partner" if mod["partners"] else "cpas", mod["partners"],
            tuple(SessionFact(s["id"], s["day"], _length(s)) for s in mine), attendance,
            guests=max((s["guests"] for s in mine), default=0) if own else 0,
            guest_sessions=sum(s["guests"] for s in mine) if own else 0, share_bp=share, cluster=mod["cluster"]))
    attended_b = {p for (_m, p), v in per.items() if v[1] > 0}
    evaluation, instrument = await evaluation_facts(organisation_id, year, attended_b)
    grants = await FundingGrant.select(FundingGrant.strand, FundingGrant.granted_cents).where(
        (FundingGrant.organisation == organisation_id) & (FundingGrant.source == SOURCE) & (FundingGrant.year == year))
    try:  # COST-01's caps of the year; a year without a rule set keeps the 2017 reform's (YearInput's default)
        caps = tuple((s.code, s.personnel_cap_bp) for s in load_ruleset(SOURCE, year).strands)
    except LookupError:
        caps = YearInput(0, year).personnel_cap_bp
    return YearInput(organisation_id, year, SOURCE, tuple(people), tuple(module_inputs),
                     tuple(expenses), tuple(staff),
                     tuple((g["strand"], g["granted_cents"]) for g in grants), caps, tuple(evaluation), instrument,
                     tuple(subsidy))


def _length(session: dict) -> int:
    start, end = session["starts_at"], session["ends_at"]
    return max(0, (end.hour * 3600 + end.minute * 60) - (start.hour * 3600 + start.minute * 60))


async def answers(organisation_id: int, year: int) -> dict | None:
    """The form's qualitative answers of the CPAS's year (ReportAnswers row), None before the first save."""
    return await ReportAnswers.select().where(
        (ReportAnswers.organisation == organisation_id) & (ReportAnswers.year == year)).first()


async def people_names(organisation_id: int, ids: list[int]) -> list[dict]:
    """The people behind a figure, by name (shown on the page only, never in a URL): id, names, file reference."""
    rows = await Beneficiary.select(Beneficiary.id, Beneficiary.first_name, Beneficiary.last_name,
                                    Beneficiary.file_reference, Beneficiary.sort_key).where(
        (Beneficiary.organisation == organisation_id) & Beneficiary.id.is_in(ids or [0])).order_by(Beneficiary.sort_key)
    return rows


async def instrument_name(code: str) -> dict | None:
    return await Instrument.select(Instrument.code, Instrument.names).where(
        Instrument.organisation.is_null() & (Instrument.code == code)).first()


async def progress_pairs(organisation_id: int, year: int, ids: list[int]) -> dict[int, list[dict]]:
    """The measurements behind E2 (§4.3): per person, per instrument, the start and end measurement the year
    compares (piis.rules.measures.year_pair): {instrument, start, start_value, end, end_value}."""
    rows = await Measurement.select(
        Measurement.id, Measurement.beneficiary, Measurement.measured_on, Measurement.context, Measurement.scores,
        Measurement.instrument.code, Measurement.instrument.scale,
    ).where((Measurement.organisation == organisation_id) & Measurement.beneficiary.is_in(ids or [0])
            & (Measurement.measured_on <= dt.date(year, 12, 31)))
    grouped: dict[tuple[int, str, str], list] = defaultdict(list)
    for m in rows:
        grouped[(m["beneficiary"], m["instrument.code"], m["instrument.scale"])].append(
            (m["id"], m["measured_on"], m["context"], json.loads(m["scores"])))
    out: dict[int, list[dict]] = defaultdict(list)
    for (person, code, scale), measured in sorted(grouped.items()):
        start, end = year_pair(series(measured, scale), year)
        if start is not None:
            out[person].append({"instrument": code, "start": start.day, "start_value": float(start.value),
                                "end": end.day if end else None, "end_value": float(end.value) if end else None})
    return dict(out)
