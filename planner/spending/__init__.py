"""Spending: funding sources, their year-versioned rule sets, expenses and personnel time (issue 14)."""
