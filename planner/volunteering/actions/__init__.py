"""Volunteering's writes, each in one transaction."""

from planner.volunteering.actions.hours import decide_hours, record_hours
from planner.volunteering.actions.placements import (
    PlacementInput, Saved, end_placement, placement_findings, record_placement, update_placement,
)
from planner.volunteering.actions.convention import TOO_LARGE, attach_convention
from planner.volunteering.actions.shifts import plan_shifts
