"""The report area's writes."""
