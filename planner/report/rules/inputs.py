"""The plain input data of a CPAS's year, as queries.py reads it from the register (domain.md §4). Pure: frozen
dataclasses, no database, no web, no clock. Ids are the register's ids (Beneficiary, Module, Session, Expense,
StaffAllocation); money is integer cents, shares basis points (10000 = 100 %), durations seconds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

GENDERS = ("M", "F", "X")  # Beneficiary.gender; §4.1 #19 men / women / X


@dataclass(frozen=True)
class PersonFact:
    """One person of the CPAS's register as the report counts them (§4.1 #14–#20)."""
    id: int
    gender: str  # "M" | "F" | "X"
    birth_date: dt.date | None
    service_user: bool = True  # FUND-03: a CPAS service user (every beneficiary file: ri, eri, other_user)
    ri: bool = False  # receives the RI or equivalent RI (status ri | eri)
    piis: bool = False  # a signed PIIS in force at some time in the year
    piis_subsidy: bool = False  # the CPAS received the 10 % PIIS subsidy for the year (SUB-PIIS-01, §2.7)


@dataclass(frozen=True)
class SessionFact:
    """A held (not cancelled) session of the module in the year; `seconds` its scheduled length."""
    id: int
    day: dt.date
    seconds: int


@dataclass(frozen=True)
class AttendanceFact:
    """One person's year on one module: held sessions expected of them (within their enrolment), sessions
    attended (present, late or left early) and the seconds they were there."""
    person: int
    expected: int
    attended: int
    seconds: int = 0


@dataclass(frozen=True)
class ExpenseFact:
    """An expense on a module (or on none) dated in the year. `cost_cents` is what it costs the CPAS (VAT per its
    policy), `charged_cents` what its shares charge to the reported source's strand (`strand`, None when none),
    `other_funding_cents` what they charge to other subsidies (§4.1 #27, COST-03), of which `piis_subsidy_cents`
    to the 10 % special PIIS subsidy (SUB-PIIS-05: the PIIS justification's support and activation costs)."""
    id: int
    module: int | None
    category: str  # spending.rules.CATEGORIES: personnel | operating | subcontracting | investment | strand A/C …
    cost_cents: int
    charged_cents: int = 0
    strand: str | None = None
    other_funding_cents: int = 0
    piis_subsidy_cents: int = 0


@dataclass(frozen=True)
class StaffFact:
    """A StaffAllocation of the year (COST-09, §4.2): the charge is computed by spending.rules.personnel_charge."""
    id: int
    name: str  # name / function as the CPAS typed it (staff, not a beneficiary)
    strand: str  # "A" | "B" | "C"
    full_time_annual_cents: int
    fte_bp: int
    time_share_bp: int
    starts_on: dt.date
    ends_on: dt.date
    tasks_bp: tuple[tuple[str, int], ...] = (("facilitation", 10_000),)  # spending.rules.TASKS, together 100 %
    module: int | None = None


@dataclass(frozen=True)
class ModuleInput:
    """One module the CPAS reports for the year (§4.1): for a cluster's shared module, this CPAS's own people
    only, and `share_bp` its part of the cost as spending decided (ClusterCostKey or the register)."""
    id: int
    number: int  # §4.1 #1: sequence number within the year
    code: str
    title: str
    module_type: str
    objectives: str = ""
    target_public: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    place: str = ""
    organised_by: str = "cpas"  # cpas | partner | cpas_partner (§4.1 #12)
    partners: tuple[str, ...] = ()
    sessions: tuple[SessionFact, ...] = ()
    attendance: tuple[AttendanceFact, ...] = ()
    guests: int = 0  # most non-users at one roll (Session.guests): participants, not CPAS users (COST-06)
    guest_sessions: int = 0  # non-users' person-sessions (the sum of Session.guests over held sessions)
    share_bp: int | None = None  # chargeable share (COST-06 × cluster part); None: from the register
    cluster: int | None = None
    references: str = ""  # §4.1 #29: invoice references, filled from the expenses when empty
    comment: str = ""


@dataclass(frozen=True)
class EvaluationFact:
    """One person as §4.3 counts them: a PIIS with a social or mixed orientation active in the year, attended a
    strand-B module in the year, and their progress (piis.rules.year_progress's flags: socio_pro, autonomy,
    volunteering; empty when they did not progress or lack a start or end measurement)."""
    person: int
    piis_social: bool
    attended_strand_b: bool
    progressed: bool = False
    flags: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class SubsidyFact:
    """A person for whom the CPAS received the 10 % PIIS subsidy (§2.7, RU-06): the months it covers in the year;
    `reference` the CPAS's file reference (what the PIIS form names them by: never a name nor a national number)."""
    person: int
    covered_from: dt.date
    covered_until: dt.date
    reference: str = ""


@dataclass(frozen=True)
class YearInput:
    """Everything the year's figures are computed from. `granted_cents`: strand -> the CPAS's grant;
    `personnel_cap_bp`: strand -> COST-01 cap of the year's rule set (spending/rulesets/<source>/<year>.toml)."""
    organisation: int
    year: int
    source: str = "fonds-pas"
    people: tuple[PersonFact, ...] = ()
    modules: tuple[ModuleInput, ...] = ()
    expenses: tuple[ExpenseFact, ...] = ()
    staff: tuple[StaffFact, ...] = ()
    granted_cents: tuple[tuple[str, int], ...] = ()
    personnel_cap_bp: tuple[tuple[str, int | None], ...] = (("A", 1_000), ("B", 10_000), ("C", 1_000))
    evaluation: tuple[EvaluationFact, ...] = ()
    instrument: str = ""  # §4.3 E3: the instrument's code, e.g. participation_ladder
    subsidy: tuple[SubsidyFact, ...] = ()
    age_on: dt.date | None = None  # the day ages are counted on; None: 1 January of the year [I]
