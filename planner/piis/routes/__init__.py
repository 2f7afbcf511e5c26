"""The PIIS area's one router: each screen's handlers live in routes/<screen>.py."""

from litestar import Router

from planner.piis.routes.attestation import attestation
from planner.piis.routes.bilans import create_bilan, new_bilan, show_bilan
from planner.piis.routes.contracts import (
    amend_piis, create_piis, edit_piis, new_piis, propose_piis, show_piis, sign_piis,
)
from planner.piis.routes.due import due_counts, due_list
from planner.piis.routes.evaluations import evaluation, move, record
from planner.piis.routes.paper import access_log, download_scan, print_contract, upload_scan
from planner.piis.routes.person import person_piis, save_file
from planner.piis.routes.settings import save_settings, settings
from planner.piis.routes.instruments import define_instrument, instruments
from planner.piis.routes.progress import end, new_measurement, progress, save_measurement

router = Router(path="/", route_handlers=[
    person_piis, save_file, new_bilan, create_bilan, show_bilan, new_piis, create_piis, show_piis, edit_piis,
    propose_piis, sign_piis, amend_piis, print_contract, upload_scan, download_scan, access_log,
    due_list, due_counts, evaluation, record, move, settings, save_settings,
    instruments, define_instrument, new_measurement, save_measurement, progress, end, attestation,
])
