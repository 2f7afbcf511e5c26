"""The inspection pack (REP-04) as a job: one .zip for a CPAS's year, or one module of it, holding

- modules/<code>-<id>/sessions/<day>_<start>_<id>.pdf: each held session's attendance sheet (people, marks,
  times, hours, a signatures column);
- modules/<code>-<id>/months/<yyyy-mm>.pdf: the monthly grids (attendance's month sheet);
- invoices/<day>_expense-<id>_<scan id>.<ext>: the scans of the year's invoices, as uploaded;
- staff/time-sheet-<year>-<id>.pdf: a time sheet per line of staff time (COST-09 charge);
- index.html: per module its figures, each linked to the documents behind it; the invoices and staff time.

Every text in the CPAS's language (its region's). No file name holds a person's name. build_pack is the
worker's `work` (worker.py): it reports progress after each document."""

from __future__ import annotations

import io
import zipfile

from planner import i18n
from planner.i18n import N_
from planner.orgs.access import name_of
from planner.orgs.rules import REGION_LANGUAGE
from planner.report.pack import data
from planner.report.pack.render import html_of, pdfs_of
from planner.report.rules.pack import (
    invoice_path, module_folder, month_grid_path, pack_name, session_hours, session_sheet_path, time_sheet_path,
)

# The same message ids as attendance's labels (one translation each): the sheet shows the mark in words.
MARK_WORDS = {"present": N_("present"), "late": N_("late"), "left_early": N_("left early"),
              "excused": N_("excused absence"), "unexcused": N_("unexcused absence")}
# The same message ids as spending's staff screen.
TASK_WORDS = {"preparation": N_("Preparation"), "facilitation": N_("Facilitation"),
              "coordination": N_("Coordination meetings"), "bilan_social": N_("Bilan social (initial assessment)"),
              "progress_measurement": N_("Progress measurement")}


def _organiser(cpas: dict) -> dict:
    return {"organiser": name_of(cpas), "address": f'{cpas["street"]}, {cpas["postcode"]} {cpas["city"]}'}


async def build_pack(job: dict, progress) -> tuple[bytes, str, str, int]:
    """(zip bytes, file name, media type, documents written) of the job's pack: parameters {year, module}."""
    year, module_id = job["parameters"]["year"], job["parameters"].get("module")
    cpas = await data.cpas_of(job["organisation"])
    i18n.set_language(REGION_LANGUAGE.get(cpas["region"], "fr"))
    common = {**_organiser(cpas), "year": year, "mark_words": MARK_WORDS, "task_words": TASK_WORDS}
    modules = await data.modules_of(cpas["id"], year, module_id)
    per_module = [(m, await data.module_sessions(m["id"], year), await data.module_months(m["id"], year))
                  for m in modules]
    expenses = await data.invoices(cpas["id"], year, module_id)
    staff = await data.staff_time(cpas["id"], year, module_id)
    total = (sum(len(s) + len(g) for _, s, g in per_module) + sum(len(e["scans"]) for e in expenses)
             + len(staff) + 1)
    done = 0
    await progress(done, total)
    documents: list[tuple[str, str]] = []  # (path, HTML) of every PDF, laid out together below
    index_modules = []
    for module, sessions, grids in per_module:
        folder = module_folder(module["id"], module["code"])
        entry = {"module": module, "sessions": [], "months": [], "hours": 0.0, "attended_hours": 0.0,
                 "expenses": [e for e in expenses if e["module"] == module["id"]],
                 "staff": [s for s in staff if s["module"] == module["id"]]}
        people = set()
        for session in sessions:
            path = session_sheet_path(folder, session["day"], session["starts_at"], session["id"])
            documents.append((path, html_of("report/pack/session.html", {**common, "module": module,
                                                                         "session": session})))
            hours = session_hours(session["starts_at"], session["ends_at"])
            came = [p for p in session["people"] if p["hours"] > 0]
            entry["sessions"].append({"session": session, "path": path, "came": len(came), "hours": hours})
            people.update(p["id"] for p in came)
            entry["hours"] += hours
            entry["attended_hours"] += sum(p["hours"] for p in came)
        for first, month_sessions, rows in grids:
            path = month_grid_path(folder, first)
            documents.append((path, html_of("report/pack/month.html", {
                **common, "module": module, "month": first, "sessions": month_sessions, "rows": rows})))
            entry["months"].append({"month": first, "path": path})
        entry["participants"] = len(people)
        index_modules.append(entry)
    for line in staff:
        line["path"] = time_sheet_path(line["id"], year)
        documents.append((line["path"], html_of("report/pack/time_sheet.html", {**common, "line": line})))

    async def each_done() -> None:
        nonlocal done
        done += 1
        await progress(done, total)

    pdfs = await pdfs_of(documents, each_done)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as pack:
        for path, _html in documents:
            pack.writestr(path, pdfs[path])
        for expense in expenses:
            expense["paths"] = []
            for scan in expense["scans"]:
                path = invoice_path(expense["day"], expense["id"], scan["id"], scan["media_type"])
                pack.writestr(path, scan["content"])
                expense["paths"].append(path)
                await each_done()
        pack.writestr("index.html", html_of("report/pack/index.html", {
            **common, "modules": index_modules, "expenses": expenses, "staff": staff,
            "one_module": module_id is not None}).encode(), compress_type=zipfile.ZIP_DEFLATED)
        done += 1
    module = (modules[0]["id"], modules[0]["code"]) if module_id is not None and modules else None
    return buffer.getvalue(), pack_name(year, cpas["id"], module), "application/zip", done
