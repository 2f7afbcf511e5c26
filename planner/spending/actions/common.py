"""What spending's actions share: their result, the lock of a CPAS's spending, the COST-01 check against what the
CPAS already charged."""

from __future__ import annotations

from dataclasses import dataclass

from planner.db import for_update
from planner.findings import Saved  # noqa: F401  (the spending actions' result, as every area's)
from planner.i18n import N_
from planner.orgs.tables import Organisation
from planner.spending.queries import cpas_names
from planner.spending.rules import BLOCK, Finding, RuleSet, check_personnel_cap
from planner.spending.rulesets import load_ruleset
from planner.spending.tables import FundingGrant
from planner.i18n import now_utc


async def lock_cpas(organisation_id: int) -> None:
    """Inside a write transaction: one spending write of a CPAS at a time (PostgreSQL; SQLite's IMMEDIATE
    transaction already is), so two expenses cannot both pass a cap (COST-01) that only one fits under, and
    two first grants or VAT policies of a year cannot both be inserted."""
    await for_update(Organisation.select(Organisation.id).where(Organisation.id == organisation_id)).first()


@dataclass(frozen=True)
class ShareInput:
    source: str
    year: int
    strand: str
    share_bp: int


async def ruleset_for(organisation_id: int, source: str, year: int) -> RuleSet:
    """The source's rule set of year if the CPAS may use it (a city's subsidy belongs to its own CPAS only);
    LookupError otherwise, as for a source or year without rules."""
    ruleset = load_ruleset(source, year)
    if not ruleset.offered_to(await cpas_names(organisation_id)):
        raise LookupError(f"{source} {year} belongs to {ruleset.cpas!r}, not organisation {organisation_id}")
    return ruleset


def no_ruleset(source: str, year: int) -> Finding:
    return Finding("RULESET", BLOCK, N_("No rules are known for the funding source %(source)s in %(year)s."),
                   {"source": source, "year": str(year)})


async def personnel_cap_findings(organisation_id: int, share: ShareInput, cents: int, earlier: list[dict],
                         cap_bp: int | None, warn_from_bp: int) -> list[Finding]:
    grant = await FundingGrant.select(FundingGrant.granted_cents).where(
        (FundingGrant.organisation == organisation_id) & (FundingGrant.source == share.source)
        & (FundingGrant.year == share.year) & (FundingGrant.strand == share.strand)).first()
    if grant is None:  # nothing granted yet: the budget view shows the strand without a cap to measure
        return []
    personnel = sum(c["cents"] for c in earlier if c["source"] == share.source and c["strand"] == share.strand
                    and c["category"] == "personnel")
    return check_personnel_cap(share.strand, grant["granted_cents"], personnel + cents, cap_bp, warn_from_bp)
