from planner.orgs.rules import OrganisationForm, display_name, organisation_problems


def cpas(**changes) -> OrganisationForm:
    values = dict(kind="cpas", names={"fr": "CPAS de Rivebelle"}, region="brussels", street="Rue du Pont 12",
                  postcode="1090", city="Rivebelle")
    return OrganisationForm(**{**values, **changes})


def test_a_complete_cpas_has_no_problem():
    assert organisation_problems(cpas()) == {}


def test_a_cpas_needs_a_region_and_an_address():
    problems = organisation_problems(cpas(region="", street=""))
    assert set(problems) == {"region", "street"}


def test_a_belgian_postcode_has_four_digits():
    assert "postcode" in organisation_problems(cpas(postcode="10900"))


def test_a_cluster_needs_two_cpas():
    assert "cluster_members" in organisation_problems(OrganisationForm(kind="cluster", names={"nl": "Cluster"},
                                                                       cluster_members=[3, 3]))


def test_the_name_follows_the_reader_then_the_region():
    names = {"fr": "CPAS de Rivebelle", "nl": "OCMW Rivebelle"}
    assert display_name(names, "nl") == "OCMW Rivebelle"
    assert display_name(names, "de", region="flanders") == "OCMW Rivebelle"
    assert display_name(names, "de", region="wallonia") == "CPAS de Rivebelle"
    assert display_name({"nl": "OCMW Hoogdal"}, "fr") == "OCMW Hoogdal"


def test_a_cluster_keeps_the_cpas_that_owns_it():
    from planner.orgs.rules import cluster_owner_problem

    assert cluster_owner_problem(1, [1, 2]) is None
    assert cluster_owner_problem(1, [2, 3]) == "The cluster must include the CPAS that manages it."
    assert cluster_owner_problem(None, [2, 3]) is not None
