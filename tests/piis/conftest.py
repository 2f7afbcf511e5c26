"""Actors the PIIS screens' tests share."""

import pytest

from tests.conftest import make_user


@pytest.fixture
async def neighbour_worker(world) -> dict:
    """A social worker of CPAS de Montfleuri, which shares the cluster Rivebelle-Nord with Rivebelle."""
    from planner.orgs.tables import ClusterMember

    montfleuri = (await ClusterMember.select(ClusterMember.cpas).where(
        (ClusterMember.cluster == world.cluster) & (ClusterMember.cpas != world.rivebelle)).first())["cpas"]
    return await make_user("nina@montfleuri.example", "Nina Neighbour", [(montfleuri, "social_worker"),
                                                                         (world.cluster, "social_worker")])
