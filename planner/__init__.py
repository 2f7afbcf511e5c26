"""planner: collective modules and volunteering for Belgian CPAS / OCMW."""
