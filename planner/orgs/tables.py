from piccolo.columns import ForeignKey, Integer, OnDelete, Timestamptz, Varchar
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
