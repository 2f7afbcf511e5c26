"""The collective-modules sheet (domain.md §4.1): one row per module of the year, from its sessions, its people's
attendance and its costs. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planner.report.rules.inputs import ExpenseFact, ModuleInput, PersonFact
from planner.spending.rules import WHOLE, share_bp

AGE_BANDS = ("under_25", "25_49", "50_plus")  # §4.1 #20: < 25 / 25–49 / ≥ 50
COST_COLUMNS = ("operating", "subcontracting", "investment")  # §4.1 #23–#25; #22 staff comes from §4.2


def age_band(birth_date: dt.date | None, on: dt.date) -> str | None:
    """§4.1 #20: the person's band on `on`; None when the birth date is unknown."""
    if birth_date is None:
        return None
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return "under_25" if age < 25 else "25_49" if age < 50 else "50_plus"


@dataclass(frozen=True)
class ModuleRow:
    """One §4.1 row. People are tuples of person ids (what each count opens); counts are their lengths plus,
    for `participants`, the guests (non-users counted at the roll, whose gender and age are unknown).
    Hours and durations in seconds; attendance in basis points (None when nothing was expected)."""
    module: ModuleInput
    people: tuple[int, ...]  # #14 distinct CPAS people who attended ≥ 1 session
    guests: int
    users: tuple[int, ...]  # #15
    ri: tuple[int, ...]  # #16
    piis: tuple[int, ...]  # #17
    piis_subsidy: tuple[int, ...]  # #18
    by_gender: Mapping[str, tuple[int, ...]]  # #19 M / F / X
    by_age: Mapping[str, tuple[int, ...]]  # #20 AGE_BANDS
    sessions: int  # #8
    seconds: int  # #10
    attendance_bp: int | None  # #21 attended ÷ expected person-sessions
    staff_cents: int  # #22
    operating_cents: int  # #23
    subcontracting_cents: int  # #24
    investment_cents: int  # #25
    other_funding_cents: int  # #27
    charged_cents: int  # #28 (staff and expenses charged to the reported source's strand B)
    share_bp: int  # the chargeable share of (cost − other funding): COST-06 and the cluster part

    @property
    def participants(self) -> int:
        return len(self.people) + self.guests

    @property
    def total_cents(self) -> int:  # #26 = #22 + #23 + #24 + #25
        return self.staff_cents + self.operating_cents + self.subcontracting_cents + self.investment_cents

    @property
    def average_seconds(self) -> int:  # #9
        return self.seconds // self.sessions if self.sessions else 0

    @property
    def hours(self) -> float:
        return round(self.seconds / 3600, 2)

    @property
    def chargeable_cents(self) -> int:
        """The most #28 may be: (#26 − #27) × share, rounded down (COST-06)."""
        return max(0, self.total_cents - self.other_funding_cents) * self.share_bp // WHOLE


def module_row(module: ModuleInput, people: Mapping[int, PersonFact], expenses: Sequence[ExpenseFact],
               staff_cents: int, staff_charged_cents: int, year: int, age_on: dt.date | None = None) -> ModuleRow:
    """§4.1 for one module: `expenses` are the module's expenses of the year (ExpenseFact.module == module.id),
    `staff_cents` its strand-B staff time from §4.2 and `staff_charged_cents` what of it is charged. A person of
    the attendance who is not in `people` is counted as a participant of unknown gender and age."""
    on = age_on or dt.date(year, 1, 1)
    came = tuple(sorted({a.person for a in module.attendance if a.attended > 0}))
    known = [people[p] for p in came if p in people]
    users = tuple(p.id for p in known if p.service_user)
    # each count read on its own, so that the cross-checks see a register that contradicts itself
    ri = tuple(p.id for p in known if p.ri)
    piis = tuple(p.id for p in known if p.piis)
    subsidy = tuple(p.id for p in known if p.piis_subsidy)
    by_gender = {g: tuple(p.id for p in known if p.gender == g) for g in ("M", "F", "X")}
    by_age = {b: tuple(p.id for p in known if age_band(p.birth_date, on) == b) for b in AGE_BANDS}
    expected = sum(a.expected for a in module.attendance)
    attended = sum(min(a.attended, a.expected) for a in module.attendance)
    costs = {c: 0 for c in COST_COLUMNS}
    staff_from_expenses = other = charged = 0
    for e in expenses:
        if e.category == "personnel":
            staff_from_expenses += e.cost_cents
        elif e.category in costs:
            costs[e.category] += e.cost_cents
        else:
            costs["operating"] += e.cost_cents
        other += e.other_funding_cents
        charged += e.charged_cents if e.strand == "B" else 0
    if module.share_bp is not None:
        share = module.share_bp
    else:  # COST-06 from the register: users' attendances of every attendance
        user_sessions = sum(a.attended for a in module.attendance if people.get(a.person, None) is not None
                            and people[a.person].service_user)
        every = sum(a.attended for a in module.attendance) + module.guest_sessions
        share = share_bp(user_sessions, every) if module.guest_sessions else WHOLE
    return ModuleRow(
        module=module, people=came, guests=module.guests, users=users, ri=ri, piis=piis, piis_subsidy=subsidy,
        by_gender=by_gender, by_age=by_age, sessions=len(module.sessions),
        seconds=sum(s.seconds for s in module.sessions),
        attendance_bp=share_bp(attended, expected) if expected else None,
        staff_cents=staff_cents + staff_from_expenses, operating_cents=costs["operating"],
        subcontracting_cents=costs["subcontracting"], investment_cents=costs["investment"],
        other_funding_cents=other, charged_cents=charged + staff_charged_cents, share_bp=share)
