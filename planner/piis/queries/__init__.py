"""Reads for the PIIS pages, one file per topic: a person's file, bilans and PIIS, one PIIS whole, the access log
(files.py); the due list and its counts, the cadence, an evaluation with the register's evidence, the evaluations a
social worker's calendar shows (evaluations.py; planner/invites reads calendar_evaluations); instruments,
measurements and progress, the attestation (progress.py)."""

from planner.piis.queries.evaluations import (
    GROUPS, cadence, calendar_evaluations, commitment_evidence, due_counts, due_items, evaluation_page,
    objective_ids,
)
from planner.piis.queries.files import (
    LOG_PAGE_SIZE, access_log, bilan, bilans, contract, contracts, file_reference, latest_scan, module_titles,
    person_enrolments, piis_file, subsidy_history, user_name,
)
from planner.piis.queries.progress import (
    attestation, cpas_of, instrument_for, instruments_for, ladder_counts, measurements_of, person_piis,
    person_progress, referred_in_year, scales_for,
)

__all__ = [
    "GROUPS", "LOG_PAGE_SIZE", "access_log", "attestation", "bilan", "bilans", "cadence", "calendar_evaluations",
    "commitment_evidence", "contract", "contracts", "cpas_of", "due_counts", "due_items", "evaluation_page",
    "file_reference", "instrument_for", "instruments_for", "ladder_counts", "latest_scan", "measurements_of",
    "module_titles", "objective_ids", "person_enrolments", "person_piis", "person_progress", "referred_in_year", "piis_file",
    "scales_for", "subsidy_history", "user_name",
]
