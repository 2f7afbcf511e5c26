"""Organisation kinds, regions and the checks on an organisation form: pure rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from planner.i18n import N_


KINDS = ("cpas", "cluster", "partner")
REGIONS = ("flanders", "wallonia", "brussels", "german")
PARTNER_TYPES = ("adult_education", "sports_club", "ngo", "cultural_centre", "public_computer_space", "other")
NAME_LANGUAGES = ("fr", "nl", "de", "en")
# The region's usual language comes first when a name is missing in the reader's language.
REGION_LANGUAGE = {"flanders": "nl", "wallonia": "fr", "brussels": "fr", "german": "de"}


def display_name(names: dict[str, str], language: str, region: str = "") -> str:
    """The name in the reader's language, else in the region's, else the first one given."""
    order = [language, REGION_LANGUAGE.get(region, "fr"), *NAME_LANGUAGES]
    return next((names[lang] for lang in order if names.get(lang)), "")


@dataclass
class OrganisationForm:
    kind: str
    names: dict[str, str]
    region: str = ""
    partner_type: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    cluster_members: list[int] = field(default_factory=list)


def organisation_problems(form: OrganisationForm) -> dict[str, str]:
    """Field -> untranslated message id, for each field that is wrong."""
    problems: dict[str, str] = {}
    if form.kind not in KINDS:
        problems["kind"] = N_("Choose the kind of organisation.")
    if not any(form.names.get(lang) for lang in NAME_LANGUAGES):
        problems["name_fr"] = N_("Give the name in at least one language.")
    if form.kind == "cpas":
        if form.region not in REGIONS:
            problems["region"] = N_("Choose the region.")
        if not (form.street and form.postcode and form.city):
            problems["street"] = N_("A CPAS needs its address: street, postcode and city.")
        if form.postcode and not (form.postcode.isdigit() and len(form.postcode) == 4):
            problems["postcode"] = N_("A Belgian postcode has 4 digits.")
    if form.kind == "partner" and form.partner_type not in PARTNER_TYPES:
        problems["partner_type"] = N_("Choose the type of partner.")
    if form.kind == "cluster" and len(set(form.cluster_members)) < 2:
        problems["cluster_members"] = N_("A cluster groups at least two CPAS.")
    return problems


def cluster_owner_problem(owner: int | None, members: list[int]) -> str | None:
    """A cluster keeps the CPAS that owns it among its members: its administrators manage the cluster
    and its roles (README "Accounts"), so they must stay part of it."""
    if owner not in set(members):
        return N_("The cluster must include the CPAS that manages it.")
    return None
