"""The report (issue 16): what the register cannot give, typed once per CPAS and year."""

from piccolo.columns import ForeignKey, Integer, OnDelete, Text, Timestamptz
from piccolo.table import Table

from planner.auth.tables import User
from planner.orgs.tables import Organisation


class ReportAnswers(Table, tablename="report_answers"):
    """The evaluation form's qualitative questions (REP-07, §4.3) of one CPAS's year: one row per organisation
    and year. `version` grows with every save (an edit made on an older version is refused)."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    year = Integer()
    objectives_reached = Text()  # which objectives were reached
    partnerships = Text()  # through which partnerships
    not_reached = Text()  # the reasons for what was not reached
    version = Integer(default=1)
    updated_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    updated_at = Timestamptz()
