"""The report (issue 16): what the register cannot give, typed once per CPAS and year; the workbook's uploaded
official table, the frozen workbook and its correction log; long exports run as jobs (ReportJob) and who
exported or downloaded what (ReportAccessLog, REP-04)."""

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
JOB_STATES = ("queued", "running", "done", "failed")


class ReportJob(Table):
    """One long export of a CPAS (kind "inspection_pack"), claimed by any app process's worker like the
    outbox: `claimed_until` is the lease; `attempts` grows with each claim and fences a worker whose lease
    ended (its writes name the attempt they hold). The result's bytes are kept here so every process serves
    them."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=24)
    requested_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    parameters = Text()  # JSON: {"year": 2026, "module": 12 or null}
    state = Varchar(length=12, index=True)  # one of JOB_STATES
    done = Integer(default=0)  # progress: documents written
    total = Integer(default=0)  # progress: documents to write (0 until counted)
    error = Varchar(length=32, default="")  # a code the page words (jobs.ERRORS), never a trace
    attempts = Integer(default=0)
    result = Bytea(null=True, default=None)
    result_name = Varchar(length=200, default="")
    result_type = Varchar(length=80, default="")
    created_at = Timestamptz()
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)
    claimed_until = Timestamptz(null=True, default=None)


class ReportAccessLog(Table, tablename="report_access_log"):
    """Each export asked for and each download of its file: who, when, which job (REP-04, issue 16)."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    action = Varchar(length=12)  # export | download
    job = ForeignKey(ReportJob, null=True, on_delete=OnDelete.set_null)
    at = Timestamptz(index=True)
