"""The report (issue 16): what the register cannot give, typed once per CPAS and year; the workbook's uploaded
official table, the frozen workbook and its correction log."""

from piccolo.columns import Bytea, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
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


class ReportTemplate(Table, tablename="report_template"):
    """The official table (REP-03) a CPAS or cluster uploaded for a year: the .xlsx bytes, in the database so
    every app process and every backup has them. One per organisation and year; a new upload replaces it."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    year = Integer()
    file_name = Varchar(length=200)
    content = Bytea()
    sha256 = Varchar(length=64)
    uploaded_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    uploaded_at = Timestamptz()


class FrozenWorkbook(Table, tablename="report_frozen"):
    """The workbook as submitted for a year (issue 16: frozen): its bytes never change, and `figures` (JSON,
    workbook.flat_figures) is what later versions are compared with. One per organisation and year."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    year = Integer()
    file_name = Varchar(length=200)
    content = Bytea()
    sha256 = Varchar(length=64)
    figures = Text()
    frozen_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    frozen_at = Timestamptz()


class ReportCorrection(Table, tablename="report_correction"):
    """A figure of a frozen year that changed: who produced the version that showed it, when, which figure
    (workbook.flat_figures' key and label), old -> new (JSON values)."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    year = Integer()
    figure = Varchar(length=200)
    label = Text()
    old_value = Text()
    new_value = Text()
    noticed_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    noticed_at = Timestamptz()
