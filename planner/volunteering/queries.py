"""Reads of the volunteering area for its pages and its actions."""

from __future__ import annotations

import datetime as dt

from planner.modules.tables import Session
from planner.names import display_name
from planner.orgs.access import name_of
from planner.volunteering.caps import caps_of
from planner.volunteering.rules import PENDING, STATES, Allowance, Caps, approved_minutes, days_in_year
from planner.volunteering.tables import ConventionScan, HoursEntry, HoursEvent, Placement


async def allowances_of_year(beneficiary_id: int, year: int, exclude: int | None = None) -> list[Allowance]:
    """The person's placements' allowances projected on `year` (VOL-03's running total counts every host)."""
    rows = await Placement.select(Placement.id, Placement.allowance_kind, Placement.allowance_per_day_cents,
                                  Placement.days_per_week, Placement.starts_on, Placement.ends_on).where(
        Placement.beneficiary == beneficiary_id)
    return [Allowance(r["allowance_kind"], r["allowance_per_day_cents"],
                      days_in_year(r["starts_on"], r["ends_on"], r["days_per_week"], year))
            for r in rows if r["id"] != exclude and days_in_year(r["starts_on"], r["ends_on"], 7, year)]


def allowance_total(allowances: list[Allowance]) -> int:
    """The flat-rate allowances of a year, all placements together (VOL-03's running total)."""
    return sum(a.year_cents for a in allowances)


def year_cap(year: int) -> Caps | None:
    """The year's caps, None when no file gives them yet (the page says so)."""
    try:
        return caps_of(year)
    except LookupError:
        return None


async def placements_of(organisation_ids: list[int], year: int) -> list[dict]:
    """The placements of these CPAS for the list: person, host, hours a week, the year's approved minutes,
    pending entries, the person's allowance total of the year; active ones first, then by start."""
    return await _described(Placement.organisation.is_in(organisation_ids or [0]), year)


async def placement_summary(placement_id: int, year: int) -> dict:
    """One placement as the list shows it (person, host, the year's approved minutes, pending entries)."""
    return (await _described(Placement.id == placement_id, year))[0]


async def _described(where, year: int) -> list[dict]:
    rows = await Placement.select(
        Placement.all_columns(), Placement.beneficiary.first_name.as_alias("first_name"),
        Placement.beneficiary.last_name.as_alias("last_name"),
        *[getattr(Placement.host, f"name_{lang}").as_alias(f"host_name_{lang}") for lang in ("fr", "nl", "de", "en")],
        Placement.host.region.as_alias("host_region"),
        Placement.beneficiary.language.as_alias("person_language"),
    ).where(where)
    ids = [r["id"] for r in rows] or [0]
    entries = await HoursEntry.select(HoursEntry.placement, HoursEntry.state, HoursEntry.minutes, HoursEntry.day).where(
        HoursEntry.placement.is_in(ids))
    totals: dict[int, int] = {}
    for person in {r["beneficiary"] for r in rows}:
        totals[person] = allowance_total(await allowances_of_year(person, year))
    for r in rows:
        mine = [e for e in entries if e["placement"] == r["id"]]
        r["person"] = display_name(r["first_name"], r["last_name"])
        r["host_name"] = name_of(r, "host_")
        r["approved_minutes"] = approved_minutes([(e["state"], e["minutes"]) for e in mine if e["day"].year == year])
        r["pending"] = sum(1 for e in mine if e["state"] == PENDING)
        r["allowance_total_cents"] = totals[r["beneficiary"]]
    return sorted(rows, key=lambda r: (r["status"] != "active", r["starts_on"], r["id"]))


async def entries_of(placement_id: int) -> list[dict]:
    """The placement's hours entries, newest day first, each with its history (oldest line first)."""
    entries = await HoursEntry.select().where(HoursEntry.placement == placement_id).order_by(
        HoursEntry.day, ascending=False).order_by(HoursEntry.id, ascending=False)
    events = await HoursEvent.select(HoursEvent.all_columns(), HoursEvent.user.full_name.as_alias("by_name")).where(
        HoursEvent.entry.is_in([e["id"] for e in entries] or [0])).order_by(HoursEvent.id)
    for entry in entries:
        entry["history"] = [e for e in events if e["entry"] == entry["id"]]
    return entries


async def host_page(placement_id: int, organisation_id: int, today: dt.date) -> dict | None:
    """What the host's contact sees through the link: first names only (the volunteer's and their own), the
    host's name, the placement's dates and its hours entries (no reason of another's, no allowance)."""
    row = await Placement.select(
        Placement.id, Placement.starts_on, Placement.ends_on, Placement.status, Placement.module,
        Placement.contact_first_name, Placement.beneficiary.first_name.as_alias("first_name"),
        *[getattr(Placement.host, f"name_{lang}").as_alias(f"host_name_{lang}") for lang in ("fr", "nl", "de", "en")],
        Placement.host.region.as_alias("host_region"),
    ).where((Placement.id == placement_id) & (Placement.organisation == organisation_id)).first()
    if row is None:
        return None
    row["host_name"] = name_of(row, "host_")
    row["entries"] = await HoursEntry.select(HoursEntry.day, HoursEntry.minutes, HoursEntry.state,
                                             HoursEntry.recorded_by_kind).where(
        HoursEntry.placement == placement_id).order_by(HoursEntry.day, ascending=False).limit(60)
    row["shifts"] = await Session.select(Session.day, Session.starts_at, Session.ends_at).where(
        (Session.module == (row["module"] or 0)) & (Session.day >= today) & (Session.status == "planned")).order_by(
        Session.day).order_by(Session.starts_at).limit(10)  # the next shifts, the module's planned sessions
    return row


async def convention_page(placement_id: int) -> dict:
    """What the printed convention names: the CPAS, the host, the volunteer, the placement's terms."""
    row = await Placement.select(
        Placement.all_columns(), Placement.beneficiary.first_name.as_alias("first_name"),
        Placement.beneficiary.last_name.as_alias("last_name"), Placement.beneficiary.language.as_alias("language"),
        *[getattr(Placement.host, f"name_{lang}").as_alias(f"host_name_{lang}") for lang in ("fr", "nl", "de", "en")],
        Placement.host.region.as_alias("host_region"),
        *[getattr(Placement.organisation, f"name_{lang}").as_alias(f"cpas_name_{lang}") for lang in ("fr", "nl", "de",
                                                                                                      "en")],
        Placement.organisation.region.as_alias("cpas_region"),
    ).where(Placement.id == placement_id).first()
    row["scan"] = await latest_scan(placement_id)
    return row


async def latest_scan(placement_id: int, content: bool = False) -> dict | None:
    """The newest signed scan of the convention (its bytes only when asked), None when none was attached."""
    columns = [ConventionScan.id, ConventionScan.file_name, ConventionScan.media_type, ConventionScan.size,
               ConventionScan.uploaded_at] + ([ConventionScan.content] if content else [])
    return await ConventionScan.select(*columns).where(ConventionScan.placement == placement_id).order_by(
        ConventionScan.id, ascending=False).first()


# -- what the PIIS reads (issue 17: "what it feeds") -------------------------------------------------------------

async def hours_by_module(beneficiary_id: int, module_ids: list[int], after: dt.date,
                          until: dt.date) -> dict[int, dict[str, int]]:
    """For the person's placements whose shifts are among these modules: module id → {state: minutes} of their
    hours entries on days after `after` up to `until` (pending, approved, declined; each state present, 0 when
    none). Modules that are no placement's are absent."""
    rows = await HoursEntry.select(HoursEntry.placement.module.as_alias("module"), HoursEntry.state,
                                   HoursEntry.minutes).where(
        (HoursEntry.placement.beneficiary == beneficiary_id) & HoursEntry.placement.module.is_in(module_ids or [0])
        & (HoursEntry.day > after) & (HoursEntry.day <= until))
    placements = await Placement.select(Placement.module).where(
        (Placement.beneficiary == beneficiary_id) & Placement.module.is_in(module_ids or [0]))
    found: dict[int, dict[str, int]] = {p["module"]: {state: 0 for state in STATES} for p in placements}
    for r in rows:
        found[r["module"]][r["state"]] += r["minutes"]
    return found


async def flagged_placements(beneficiary_id: int) -> list[dict]:
    """The person's running placements marked as a PIIS objective (VOL-05) that have shifts, so an enrolment:
    [{enrolment, host_name}], what a new PIIS writes in as commitments for the social worker to keep or drop."""
    rows = await Placement.select(
        Placement.enrolment,
        *[getattr(Placement.host, f"name_{lang}").as_alias(f"host_name_{lang}") for lang in ("fr", "nl", "de", "en")],
        Placement.host.region.as_alias("host_region")).where(
        (Placement.beneficiary == beneficiary_id) & (Placement.piis_objective == True)  # noqa: E712 (SQL)
        & (Placement.status == "active") & Placement.enrolment.is_not_null()).order_by(Placement.id)
    return [{"enrolment": r["enrolment"], "host_name": name_of(r, "host_")} for r in rows]


async def placement_in(beneficiary_id: int, first: dt.date, last: dt.date) -> dict | None:
    """The person's first placement running at some day from `first` to `last` ({id, starts_on, host_name}), or
    None: §4.3 E2c "into volunteering" and the ladder's level 4 suggestion (§5.1)."""
    rows = await Placement.select(
        Placement.id, Placement.starts_on, Placement.ends_on,
        *[getattr(Placement.host, f"name_{lang}").as_alias(f"host_name_{lang}") for lang in ("fr", "nl", "de", "en")],
        Placement.host.region.as_alias("host_region")).where(
        (Placement.beneficiary == beneficiary_id) & (Placement.starts_on <= last)).order_by(Placement.starts_on)
    for r in rows:
        if r["ends_on"] is None or r["ends_on"] >= first:
            return {"id": r["id"], "starts_on": r["starts_on"],
                    "host_name": name_of(r, "host_")}
    return None


async def started_in_year(beneficiary_ids: list[int], year: int) -> set[int]:
    """Those of these people with a volunteering placement starting in `year`: §4.3 E2c ("a new volunteering
    placement started in the year", §2.8)."""
    rows = await Placement.select(Placement.beneficiary).where(
        Placement.beneficiary.is_in(beneficiary_ids or [0]) & (Placement.starts_on >= dt.date(year, 1, 1))
        & (Placement.starts_on <= dt.date(year, 12, 31)))
    return {r["beneficiary"] for r in rows}
