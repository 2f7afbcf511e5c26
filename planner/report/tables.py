"""The report area's tables: long exports run as jobs (ReportJob) and who exported or downloaded what
(ReportAccessLog) (issue 16, REP-04)."""

from piccolo.columns import Bytea, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.table import Table

from planner.auth.tables import User
from planner.orgs.tables import Organisation

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
