from piccolo.columns import Date, ForeignKey, Integer, OnDelete, Timestamptz, Varchar
from piccolo.table import Table

from planner.orgs.tables import Organisation


class Beneficiary(Table):
    """The minimum a CPAS needs to plan modules with a person; no national register number."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.restrict, index=True)
    first_name = Varchar(length=100)
    last_name = Varchar(length=100)
    gender = Varchar(length=1)  # F | M | X
    birth_date = Date()
    language = Varchar(length=2)  # fr | nl | de | en: invitations and sheets use it
    email = Varchar(length=254)
    phone = Varchar(length=40)
    status = Varchar(length=16)  # domain.md FUND-03: ri | eri | other_user
    file_reference = Varchar(length=50)  # the CPAS's own social-software reference
    created_at = Timestamptz()
    updated_at = Timestamptz()
    version = Integer(default=1)
