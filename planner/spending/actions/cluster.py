"""A cluster's fixed key for a shared module's cost (CLUSTER-SPLIT), and the COST-06 check of an expense on a
module with a mixed public (called from expenses.check)."""

from __future__ import annotations

from planner.db import write_transaction
from planner.modules.tables import Module
from planner.orgs.tables import ClusterMember
from planner.spending.actions.common import Saved, lock_cpas, now_utc
from planner.spending.queries import module_register, recovers_vat
from planner.spending.rules import (
    Finding, check_cluster_key, check_mixed_public_charge, eligible_amount, split_by_shares,
)
from planner.spending.tables import ClusterCostKey


async def set_cluster_key(module_id: int, keys_bp: dict[int, int], user_id: int) -> Saved:
    """Record the cluster's fixed key of a shared module (CPAS id -> basis points, every member CPAS, together
    100 %), replacing the previous one; an empty key goes back to the register's person-sessions. The routes
    check that the person coordinates the organising CPAS."""
    async with write_transaction():
        module = await Module.select(Module.organisation, Module.cluster).where(Module.id == module_id).first()
        if module is None or module["cluster"] is None:
            raise ValueError(f"module {module_id} is not shared with a cluster")
        members = {r["cpas"] for r in await ClusterMember.select(ClusterMember.cpas).where(
            ClusterMember.cluster == module["cluster"])}
        if keys_bp and set(keys_bp) != members:
            raise ValueError("a key names every CPAS of the cluster, and only them")
        findings = check_cluster_key(keys_bp) if keys_bp else []
        if findings:
            return Saved(None, tuple(findings))
        await lock_cpas(module["organisation"])
        await ClusterCostKey.delete().where(ClusterCostKey.module == module_id)
        now = now_utc()
        if keys_bp:
            await ClusterCostKey.insert(*[ClusterCostKey(cluster=module["cluster"], module=module_id, cpas=cpas,
                                                         key_bp=bp, updated_by=user_id, updated_at=now)
                                          for cpas, bp in sorted(keys_bp.items())])
    return Saved(module_id)


async def mixed_public_findings(organisation_id: int, module_id: int | None, day, amount_excl_vat_cents: int,
                                vat_cents: int, shares_bp: list[int]) -> list[Finding]:
    """COST-06 inside check(): an expense on a module whose register of the expense's year shows a mixed public
    warns when its shares charge subsidies more than the module's chargeable share of it."""
    if module_id is None:
        return []
    register = await module_register(module_id, day.year)
    if not register.mixed:
        return []
    amount = eligible_amount(amount_excl_vat_cents, vat_cents, await recovers_vat(organisation_id, day.year))
    charged = sum(split_by_shares(amount, shares_bp))
    return check_mixed_public_charge(charged, amount, register.users, register.users + register.guest_sessions)
