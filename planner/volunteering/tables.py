"""Volunteering's tables (issue 17, domain.md §2.8 VOL-05): placements with host organisations, the hours
done and their approval history, the signed convention.

A placement's shifts are the sessions of its own module (module_type "volunteering"), the volunteer its one
enrolment: recurrence, holidays, invitations, reminders, the personal feed, "I cannot come" and the roll
(shifts missed) are the modules' and invites' own, not written again."""

from piccolo.columns import BigInt, Boolean, Bytea, Date, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.table import Table

from planner.auth.tables import User
from planner.enrolment.tables import Enrolment
from planner.modules.tables import Module
from planner.orgs.tables import Organisation
from planner.people.tables import Beneficiary


class Placement(Table):
    """One person's volunteering with a host (VOL-05: organisation, tasks, hours a week, the day the CPAS was
    informed, allowance, PIIS objective). `warnings` lists the rule IDs that only warned, `warned_by` who went
    on past them."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)  # the CPAS
    beneficiary = ForeignKey(Beneficiary, on_delete=OnDelete.cascade, index=True)
    host = ForeignKey(Organisation, on_delete=OnDelete.restrict, index=True)  # a partner organisation of the CPAS
    host_kind = Varchar(length=12)  # rules.HOST_KINDS (VOL-04)
    paid_same_tasks = Boolean(default=False)  # VOL-04: the host pays the person for these tasks
    module = ForeignKey(Module, null=True, on_delete=OnDelete.set_null)  # its shifts
    enrolment = ForeignKey(Enrolment, null=True, on_delete=OnDelete.set_null)
    tasks = Text()
    minutes_per_week = Integer()
    days_per_week = Integer(default=1)  # what a flat-rate allowance is projected on (VOL-03)
    starts_on = Date()
    ends_on = Date(null=True, default=None)
    informed_on = Date(null=True, default=None)  # VOL-01
    availability_note = Text()  # VOL-02
    allowance_kind = Varchar(length=10, default="none")  # rules.ALLOWANCE_KINDS
    allowance_per_day_cents = BigInt(default=0)
    piis_objective = Boolean(default=False)  # then it appears in the PIIS as a commitment
    insurance = Text()  # the convention: the host's insurer and policy
    contact_first_name = Varchar(length=100)  # the host's contact: first name only (the secret link shows it)
    contact_phone = Varchar(length=40)
    status = Varchar(length=8, default="active")  # active | ended
    warnings = Varchar(length=60)
    warned_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    version = Integer(default=1)
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class HoursEntry(Table, tablename="hours_entry"):
    """Time done on one day of a placement, recorded by the host, the volunteer or the CPAS; pending until
    the CPAS approves or declines it (with its reason). Never deleted."""

    placement = ForeignKey(Placement, on_delete=OnDelete.cascade, index=True)
    day = Date()
    minutes = Integer()
    note = Text()
    recorded_by_kind = Varchar(length=10)  # rules.RECORDERS
    recorded_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)  # None through the host's link
    state = Varchar(length=10, default="pending", index=True)  # rules.STATES
    reason = Text()  # why declined
    decided_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    decided_at = Timestamptz(null=True, default=None)
    version = Integer(default=1)
    created_at = Timestamptz()


class HoursEvent(Table, tablename="hours_event"):
    """One line of an entry's history: recorded, approved, declined, approved again after a mistake."""

    entry = ForeignKey(HoursEntry, on_delete=OnDelete.cascade, index=True)
    old_state = Varchar(length=10)
    new_state = Varchar(length=10)
    reason = Text()
    by_kind = Varchar(length=10)
    user = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    at = Timestamptz()


class ConventionScan(Table, tablename="volunteering_convention_scan"):
    """The volunteering convention as signed and scanned, in the database like invoices."""

    placement = ForeignKey(Placement, on_delete=OnDelete.cascade, index=True)
    file_name = Varchar(length=255)
    media_type = Varchar(length=40)
    size = Integer()
    content = Bytea()
    uploaded_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    uploaded_at = Timestamptz()
