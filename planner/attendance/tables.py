from piccolo.columns import Boolean, ForeignKey, OnDelete, Time, Timestamptz, Varchar
from piccolo.table import Table

from planner.auth.tables import User
from planner.modules.tables import Session
from planner.people.tables import Beneficiary


class Mark(Table):
    """The current mark of one person in one session: the latest tap wins (one row per pair,
    unique index added by the migration)."""

    session = ForeignKey(Session, on_delete=OnDelete.cascade, index=True)
    beneficiary = ForeignKey(Beneficiary, on_delete=OnDelete.cascade, index=True)
    status = Varchar(length=12)
    reason = Varchar(length=24)
    arrived_at = Time(null=True, default=None)
    left_at = Time(null=True, default=None)
    walk_in = Boolean(default=False)  # came for a trial, not enrolled
    device_time = Timestamptz()  # of the tap that set it
    received_at = Timestamptz()


class MarkEvent(Table):
    """Append-only history of every tap: who, when, which device, old -> new. Never updated."""

    client_id = Varchar(length=64, unique=True)  # made by the tablet: a replayed tap is stored once
    session = ForeignKey(Session, on_delete=OnDelete.cascade, index=True)
    beneficiary = ForeignKey(Beneficiary, on_delete=OnDelete.cascade)
    old_status = Varchar(length=12)
    new_status = Varchar(length=12)
    reason = Varchar(length=24)
    arrived_at = Time(null=True, default=None)
    left_at = Time(null=True, default=None)
    applied = Boolean(default=True)  # False when a later tap from another tablet already won
    user = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    device = Varchar(length=64)
    device_time = Timestamptz()
    received_at = Timestamptz()


class RollAction(Table):
    """A roll action other than a tap (everyone present, the rest absent, close, reopen), once per client
    id: a tablet that replays it after a lost answer changes nothing. Also says who closed or reopened when."""

    client_id = Varchar(length=64, unique=True)  # made by the tablet, or by the server for a plain form
    session = ForeignKey(Session, on_delete=OnDelete.cascade, index=True)
    action = Varchar(length=16)  # everyone_present | rest_absent | close | reopen
    user = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    received_at = Timestamptz()


class MarkRemark(Table):
    """The facilitator's free remark on one person in one session ("came with her child", "left for a job
    interview"): shown on the roll and on the attendance sheet. One row per pair (actions.save_remark writes
    under a lock on the session); the remark typed last on a tablet wins, so a replay from the offline queue changes nothing."""

    session = ForeignKey(Session, on_delete=OnDelete.cascade, index=True)
    beneficiary = ForeignKey(Beneficiary, on_delete=OnDelete.cascade)
    remark = Varchar(length=500)
    user = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    device_time = Timestamptz()  # when it was typed on the tablet
    received_at = Timestamptz()
