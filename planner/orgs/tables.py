from piccolo.columns import Boolean, Date, ForeignKey, Integer, OnDelete, Timestamptz, Varchar
from piccolo.table import Table


class Organisation(Table):
    """A CPAS, a cluster of CPAS, or a partner organisation (kind)."""

    kind = Varchar(length=16)
    name_fr = Varchar(length=200)
    name_nl = Varchar(length=200)
    name_de = Varchar(length=200)
    name_en = Varchar(length=200)
    # CPAS only: decides the community holiday and the default language of printed sheets.
    region = Varchar(length=16)
    partner_type = Varchar(length=24)
    street = Varchar(length=200)
    postcode = Varchar(length=10)
    city = Varchar(length=100)
    phone = Varchar(length=40)
    email = Varchar(length=254)
    # The CPAS that registered a partner or created a cluster; its administrators manage it.
    owner = ForeignKey("self", null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    version = Integer(default=1)


class ClusterMember(Table):
    cluster = ForeignKey(Organisation, on_delete=OnDelete.cascade)
    cpas = ForeignKey(Organisation, on_delete=OnDelete.cascade)


class Site(Table):
    """A building where a CPAS runs modules (its own offices, a partner's premises…)."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=200)
    street = Varchar(length=200)
    postcode = Varchar(length=10)
    city = Varchar(length=100)


class Room(Table):
    site = ForeignKey(Site, on_delete=OnDelete.cascade, index=True)
    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)  # the site's, for tenancy
    name = Varchar(length=100)
    capacity = Integer(null=True, default=None)
    accessible = Boolean(default=False)  # step-free access and an accessible toilet
    notes = Varchar(length=300)


class ClosureDay(Table):
    """A day the CPAS is closed on top of public holidays (staff day, bridge day)."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.cascade, index=True)
    day = Date()
    label = Varchar(length=200)
