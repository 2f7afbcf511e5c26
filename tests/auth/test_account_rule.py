"""The one rule for who manages an account (README "Accounts"), as pure functions: no fixture."""

from planner.auth.rules import OrgRef, administered_organisations, manages_account, role_change_problem

RIVEBELLE, MONTFLEURI, AILLEURS, CLUSTER, PARTNER, MONTFLEURI_PARTNER = 1, 2, 3, 10, 20, 21
ORGS = [OrgRef(RIVEBELLE, "cpas", None), OrgRef(MONTFLEURI, "cpas", None), OrgRef(AILLEURS, "cpas", None),
        OrgRef(CLUSTER, "cluster", RIVEBELLE),  # Rivebelle created it; Montfleuri is only a member
        OrgRef(PARTNER, "partner", RIVEBELLE), OrgRef(MONTFLEURI_PARTNER, "partner", MONTFLEURI)]


def test_an_administrator_administers_their_cpas_and_what_it_owns():
    assert administered_organisations({RIVEBELLE}, ORGS) == {RIVEBELLE, CLUSTER, PARTNER}


def test_belonging_to_a_cluster_does_not_make_one_administer_it():
    assert administered_organisations({MONTFLEURI}, ORGS) == {MONTFLEURI, MONTFLEURI_PARTNER}


def test_an_administrator_role_counts_only_in_a_cpas():
    # A cluster or a partner cannot make anyone administrator of anything.
    assert administered_organisations({CLUSTER, PARTNER}, ORGS) == frozenset()


def test_an_account_is_managed_only_when_every_one_of_its_organisations_is_administered():
    rivebelle = administered_organisations({RIVEBELLE}, ORGS)
    montfleuri = administered_organisations({MONTFLEURI}, ORGS)
    coordinator = {RIVEBELLE, CLUSTER}  # Rivebelle's coordinator, also in the cluster
    assert manages_account(rivebelle, coordinator)
    assert not manages_account(montfleuri, coordinator)
    assert manages_account(rivebelle, {PARTNER})  # partner staff: the CPAS that registered the partner
    assert not manages_account(montfleuri, {PARTNER})
    assert not manages_account(rivebelle, {RIVEBELLE, AILLEURS})  # one foreign role is enough to refuse
    both = administered_organisations({RIVEBELLE, AILLEURS}, ORGS)
    assert manages_account(both, {RIVEBELLE, AILLEURS})


def test_an_account_without_any_role_is_managed_by_nobody():
    assert not manages_account(administered_organisations({RIVEBELLE}, ORGS), set())


def test_nobody_changes_their_own_roles():
    rivebelle = administered_organisations({RIVEBELLE}, ORGS)
    assert role_change_problem(7, 7, rivebelle, CLUSTER, {RIVEBELLE, CLUSTER}) == \
        "Nobody changes their own roles: ask another administrator."
    assert role_change_problem(7, 7, rivebelle, RIVEBELLE, {CLUSTER}) is not None  # nor drops one


def test_a_role_is_given_only_in_an_administered_organisation():
    montfleuri = administered_organisations({MONTFLEURI}, ORGS)
    assert role_change_problem(7, 8, montfleuri, CLUSTER, {MONTFLEURI, CLUSTER}) == \
        "Choose an organisation you manage."
    assert role_change_problem(7, 8, montfleuri, MONTFLEURI, {MONTFLEURI}) is None


def test_the_last_role_of_an_account_is_not_removed():
    rivebelle = administered_organisations({RIVEBELLE}, ORGS)
    assert role_change_problem(7, 8, rivebelle, RIVEBELLE, set()) == \
        "This is the account's last role: deactivate the account instead."
    assert role_change_problem(7, 8, rivebelle, CLUSTER, {RIVEBELLE}) is None
