"""The module form: what a coordinator types, and what is wrong with it (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from planner.i18n import N_
from planner.invites.rules import REMINDER_SETTINGS  # one list, where reminders are decided
from planner.modules.rules import AIMS, COMPOSITIONS, MODULE_TYPES, STRANDS

GROUP_LANGUAGES = ("fr", "nl", "de", "en", "other")


@dataclass
class ModuleForm:
    code: str
    title: str
    module_type: str
    strand: str
    aim: str
    objectives: str
    target_public: str
    composition: str
    capacity: str
    minimum_size: str
    languages: list[str] = field(default_factory=list)
    cluster: str = ""
    default_room: str = ""
    partners: list[int] = field(default_factory=list)
    facilitators: list[int] = field(default_factory=list)
    bring: str = ""
    reminders: str = "auto"

    def number(self, name: str) -> int | None:
        value = getattr(self, name).strip()
        return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


def module_problems(form: ModuleForm) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not form.title:
        problems["title"] = N_("Give the module a title.")
    if form.module_type not in MODULE_TYPES:
        problems["module_type"] = N_("Choose the type of module.")
    if form.strand not in STRANDS:
        problems["strand"] = N_("Choose the strand.")
    if form.aim not in AIMS:
        problems["aim"] = N_("Choose the main aim.")
    if form.composition not in COMPOSITIONS:
        problems["composition"] = N_("Choose who the group is for.")
    capacity, minimum = form.number("capacity"), form.number("minimum_size")
    if capacity is None or not 1 <= capacity <= 200:
        problems["capacity"] = N_("The capacity is a whole number between 1 and 200.")
    if minimum is None or (capacity is not None and minimum > capacity):
        problems["minimum_size"] = N_("The minimum size is a whole number, not more than the capacity.")
    if form.reminders not in REMINDER_SETTINGS:
        problems["reminders"] = N_("Choose whether participants get a reminder.")
    if not form.languages or any(lang not in GROUP_LANGUAGES for lang in form.languages):
        problems["languages"] = N_("Choose at least one language spoken in the group.")
    return problems


def schedule_values(module: dict, today: dt.date) -> dict:
    """The schedule form as a module row last saved it; a module never planned gets a weekly rule of twelve
    weeks from today, 09:30-12:30. Dates are ISO strings and times hh:mm, as the form's inputs take them."""
    return {
        "kind": module["rec_kind"] or "weekly",
        "start": (module["rec_start"] or today).isoformat(),
        "end": (module["rec_end"] or today + dt.timedelta(weeks=12)).isoformat(),
        "weekdays": [int(d) for d in module["rec_weekdays"].split(",") if d],
        "interval": module["rec_interval"] or 1, "nth": module["rec_nth"] or 1, "weekday": module["rec_weekday"] or 0,
        "starts_at": module["starts_at"].strftime("%H:%M") if module["starts_at"] else "09:30",
        "ends_at": module["ends_at"].strftime("%H:%M") if module["ends_at"] else "12:30",
        "room": module["default_room"] or "",
    }
