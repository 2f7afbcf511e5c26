"""The words for expense categories and statuses, in the reader's language (the codes are rules.CATEGORIES and
tables.STATUSES); the list, the expense form and the export show them."""

from __future__ import annotations

from planner.i18n import N_, gettext

CATEGORY_LABELS = {
    "personnel": N_("Personnel"), "operating": N_("Operating costs"), "subcontracting": N_("Subcontracting"),
    "investment": N_("Investment"), "building_purchase": N_("Buying a building"),
    # strand A (domain.md §3.3)
    "activities": N_("Activities"), "holidays": N_("Holidays"), "trips": N_("Trips"),
    "phone_computer": N_("Phone and computer"), "media_games": N_("Media and games"),
    "education_courses": N_("Education and courses"), "fees_allowances": N_("Fees and allowances"),
    "tickets_cheques": N_("Tickets and vouchers"), "leisure": N_("Leisure"),
    # strand C
    "school_costs": N_("School costs"), "school_transport": N_("School transport"), "camps": N_("Camps"),
    "youth_movements": N_("Youth movements"), "sports_club_fees": N_("Sports club fees"),
    "homework_support": N_("Homework support"), "paramedical_copayments": N_("Paramedical co-payments"),
}
STATUS_LABELS = {"committed": N_("committed"), "invoiced": N_("invoiced"), "paid": N_("paid")}
# The list's status filter (queries.STATUS_FILTERS): "unpaid" is what the budget calls committed.
STATUS_FILTER_LABELS = {"unpaid": N_("committed or invoiced (not paid)"), **STATUS_LABELS}


def category_label(code: str) -> str:
    return gettext(CATEGORY_LABELS[code]) if code in CATEGORY_LABELS else code


def status_label(code: str) -> str:
    return gettext(STATUS_FILTER_LABELS[code]) if code in STATUS_FILTER_LABELS else code
