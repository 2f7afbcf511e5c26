from piccolo.columns import Boolean, Date, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.table import Table

from planner.auth.tables import User
from planner.modules.tables import Module
from planner.orgs.tables import Organisation
from planner.people.tables import Beneficiary


class Enrolment(Table):
    """A beneficiary in a module: proposed by a social worker, then enrolled, waitlisted or refused."""

    module = ForeignKey(Module, on_delete=OnDelete.cascade, index=True)
    beneficiary = ForeignKey(Beneficiary, on_delete=OnDelete.cascade, index=True)
    # The beneficiary's own CPAS: in a cluster module each CPAS's social workers see only their people.
    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    status = Varchar(length=12, index=True)  # proposed | refused | waitlisted | enrolled | ended
    note = Text()
    proposed_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    proposed_at = Timestamptz()
    decided_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    decided_at = Timestamptz(null=True, default=None)
    refusal_reason = Text()
    queued_at = Timestamptz(null=True, default=None)  # waitlist order
    override_reason = Text()  # why a composition rule was set aside
    start_date = Date(null=True, default=None)
    end_date = Date(null=True, default=None)
    end_reason = Varchar(length=12)
    promoted_at = Timestamptz(null=True, default=None)
    told_by_phone = Boolean(default=False)
