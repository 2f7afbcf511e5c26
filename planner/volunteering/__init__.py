"""Volunteering placements of the CPAS's people with host organisations (issue 17, domain.md §2.8): shifts,
hours recorded and approved, allowances within the year's caps, the volunteering convention."""
