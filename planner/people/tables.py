from piccolo.columns import Date, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.table import Table

from planner.orgs.tables import Organisation


class Beneficiary(Table):
    """The minimum a CPAS needs to plan modules with a person; no national register number.

    Each Varchar's length is the one limit of that field: the form and the import read it from here."""

    organisation = ForeignKey(Organisation, on_delete=OnDelete.restrict, index=True)
    first_name = Varchar(length=100)  # one of first_name and last_name may be empty, not both
    last_name = Varchar(length=100)
    gender = Varchar(length=1)  # F | M | X
    birth_date = Date()
    language = Varchar(length=2)  # fr | nl | de | en: invitations and sheets use it
    email = Varchar(length=254)
    phone = Varchar(length=100)  # room for two numbers and a word: "0470 12 34 56 / 02 123 45 67 (soir)"
    status = Varchar(length=16)  # domain.md FUND-03: ri | eri | other_user
    file_reference = Varchar(length=50)  # the CPAS's own social-software reference
    # SUB-PIIS-05, until the PIIS area exists (issue 15): the year the CPAS receives the 10 % special PIIS
    # subsidy for the person (domain.md §2.7). A year rather than a yes/no: spending checks a year's staff
    # time against it, and issue 15 can turn it into the person's first subsidy period of that year.
    piis_subsidy_year = Integer(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    version = Integer(default=1)
    # Written from the name by every save (people.rules.derived_columns): the database then pages
    # and searches the way planner/names.py sorts and folds, on both engines.
    sort_key = Text(default="")
    search_text = Text(default="")


def text_limits() -> dict[str, int]:
    """Field name -> the most characters its column holds."""
    return {c._meta.name: c.length for c in Beneficiary._meta.columns if isinstance(c, Varchar)}
