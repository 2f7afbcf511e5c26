"""The Rapport unique's figures (issue 16; domain.md §4, REP-01..07, §2.7), pure: plain input data in
(inputs.py, read by report/queries.py), frozen figures out, and the cross-checks before export.

- inputs: YearInput and its facts (people, modules with sessions and attendance, expenses, staff, evaluation,
  the PIIS 10 % subsidy)
- modules: ModuleRow, §4.1 (one row per module)
- personnel: StrandPersonnel per strand A, B, C with the COST-01 caps (§4.2, RU-03)
- evaluation: Evaluation, §4.3 E1–E4
- subsidy: SubsidyJustification, the 10 % PIIS subsidy's people, months and costs (SUB-PIIS-05)
- figures: YearFigures = year_figures(YearInput)
- checks: Finding, cross_checks(YearFigures)
"""

from planner.report.rules.checks import (  # noqa: F401
    AGE_SUM, CAP, CHARGED, DOUBLE, E2_E1, GENDER_SUM, PIIS, RI, SUBSIDY, USERS, Finding, cross_checks,
)
from planner.report.rules.evaluation import Evaluation, evaluation  # noqa: F401
from planner.report.rules.figures import YearFigures, year_figures  # noqa: F401
from planner.report.rules.inputs import (  # noqa: F401
    GENDERS, AttendanceFact, EvaluationFact, ExpenseFact, ModuleInput, PersonFact, SessionFact, StaffFact,
    SubsidyFact, YearInput,
)
from planner.report.rules.modules import AGE_BANDS, ModuleRow, age_band, module_row  # noqa: F401
from planner.report.rules.personnel import STRANDS, StaffLine, StrandPersonnel, personnel, staff_line  # noqa: F401
from planner.report.rules.subsidy import (  # noqa: F401
    SubsidyCost, SubsidyExpense, SubsidyJustification, SubsidyPerson, justification, months_covered,
)
from planner.report.rules.answers import FIELDS as ANSWER_FIELDS, MAX_CHARS, check_answers  # noqa: F401
