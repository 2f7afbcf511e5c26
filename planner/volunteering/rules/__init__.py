"""Volunteering's rules, pure, with the year's caps as data (domain.md §2.8, VOL-01..05)."""

from planner.volunteering.rules.caps import Caps, CapsError, parse_caps
from planner.volunteering.rules.hours import (
    APPROVED, DECLINED, MAX_MINUTES_A_DAY, PENDING, RECORDERS, STATES, approved_minutes, decision_problems,
    entry_problems,
)
from planner.volunteering.rules.placement import (
    ALLOWANCE_KINDS, FAMILY, FLAT_RATE, HOST_KINDS, NONE, REAL_COSTS, Allowance, check_allowance,
    check_availability, check_host, check_informed, days_in_year,
)
