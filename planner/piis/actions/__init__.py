"""The PIIS area's writes, each in one transaction (see the topic modules)."""

from planner.piis.actions.common import Saved, now_utc
from planner.piis.actions.contracts import (
    ObjectiveInput, PiisInput, amend, create_piis, propose, sign, update_draft,
)
from planner.piis.actions.evaluations import EvaluationInput, move_evaluation, record_evaluation
from planner.piis.actions.scans import attach_scan
from planner.piis.actions.files import BilanInput, FileInput, log_opening, record_bilan, save_file, set_policy
