from piccolo.columns import Boolean, Date, ForeignKey, Integer, OnDelete, Text, Time, Timestamptz, Varchar
from piccolo.table import Table

from planner.auth.tables import User
from planner.orgs.tables import Organisation, Room


class Module(Table):
    """A collective module run (or commissioned) by a CPAS, possibly shared with its cluster."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.restrict, index=True)  # the organising CPAS
    cluster = ForeignKey(Organisation, null=True, on_delete=OnDelete.set_null)  # shared with this cluster
    code = Varchar(length=20)
    title = Varchar(length=200)
    module_type = Varchar(length=32)
    strand = Varchar(length=1)  # Fonds PAS strand: B collective module, A participation
    aim = Varchar(length=32)
    objectives = Text()
    target_public = Text()
    composition = Varchar(length=8)  # mixed | women | men
    capacity = Integer()
    minimum_size = Integer()
    languages = Varchar(length=20)  # comma-separated: fr,nl
    default_room = ForeignKey(Room, null=True, on_delete=OnDelete.set_null)
    # FUND-06 warnings found when saved, kept on the module (comma-separated codes)
    eligibility_warnings = Varchar(length=100)
    # The recurrence that generated the sessions; the sessions themselves are the truth.
    rec_kind = Varchar(length=8)
    rec_start = Date(null=True, default=None)
    rec_end = Date(null=True, default=None)
    rec_weekdays = Varchar(length=20)
    rec_interval = Integer(default=1)
    rec_nth = Integer(default=1)
    rec_weekday = Integer(default=0)
    starts_at = Time(null=True, default=None)
    ends_at = Time(null=True, default=None)
    bring = Text()  # what to bring, told in the invitation
    reminders = Varchar(length=4, default="auto")  # auto | on | off: a mail the day before each session
    version = Integer(default=1)
    created_at = Timestamptz()


class ModulePartner(Table):
    module = ForeignKey(Module, on_delete=OnDelete.cascade, index=True)
    partner = ForeignKey(Organisation, on_delete=OnDelete.cascade)


class ModuleFacilitator(Table):
    module = ForeignKey(Module, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)


class Session(Table, tablename="module_session"):
    """One meeting of a module, in local Brussels wall-clock time."""

    module = ForeignKey(Module, on_delete=OnDelete.cascade, index=True)
    day = Date(index=True)
    starts_at = Time()
    ends_at = Time()
    room = ForeignKey(Room, null=True, on_delete=OnDelete.set_null, index=True)
    status = Varchar(length=10, default="planned")  # planned | cancelled
    cancel_reason = Varchar(length=300)
    moved_from = Date(null=True, default=None)
    # Added by hand or moved: a later change of the recurrence leaves it alone.
    kept = Boolean(default=False)
    roll_closed_at = Timestamptz(null=True, default=None)
    roll_closed_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    guests = Integer(default=0)  # participants who are not CPAS service users (mixed public, COST-06)
