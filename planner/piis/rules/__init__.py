"""The PIIS rules, pure and year-versioned through the law files (domain.md §2, §4.3, §5); one module a topic."""

from planner.piis.rules.cadence import (
    CADENCES, DUE, DUE_WITHIN_DAYS, ENDING, INTERVIEW, KINDS, LATE, OTHER, QUARTERLY, YEARLY, Appointment, Cadence,
    Done, cadence_of, check_year, due_state, ending_soon, move, plan, required_in_year, silent_too_long,
)
from planner.piis.rules.common import BLOCK, WARN, Finding, add_months, blocks, months_between
from planner.piis.rules.evidence import Evidence, evidence_since
from planner.piis.rules.history import AGREED_FIELDS, OBJECTIVE_FIELDS, changes, snapshot
from planner.piis.rules.law import LawError, PiisLaw, TypeCode, parse_law
from planner.piis.rules.obligation import EXEMPT, EXEMPTION_REASONS, MANDATORY, OPTIONAL, Obligation, days_left, obligation
from planner.piis.rules.progress import (
    ANY_DOMAIN, AUTONOMY, CONTEXTS, EMPLOYMENT, LIKERT, MATRIX, ORDINAL, OUTCOMES, SOCIO_PRO, SUM, VOLUNTEERING,
    YearProgress, check_scores, measured_in_time, progressed, score, year_progress,
)
from planner.piis.rules.signing import printable, reflection_ends, signing_findings
from planner.piis.rules.subsidy import (
    FIRST_GRANT, NONE, PROLONGATION, SUBSIDY_STATUSES, check_subsidy, subsidy_ends, subsidy_starts,
)

ORIENTATIONS = ("professional", "social_activation", "studies", "mixed")  # §2.5's app-level sub-type
