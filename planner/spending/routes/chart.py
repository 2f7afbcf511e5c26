"""The budget screen's chart of spent vs granted over the months: the same figures for the accessible table
(formatted here, per locale) and for planner/static/js/budget-chart.js (euros as numbers, labels translated),
which reads them from a <script type="application/json"> block (the CSP allows no inline script)."""

from __future__ import annotations

import datetime as dt

from planner import i18n
from planner.i18n import gettext as _
from planner.spending.rules import MonthFigures


def chart_context(months: list[MonthFigures], year: int) -> dict:
    """{"months": table rows, "chart": the JSON the script draws}."""
    names = [i18n.format_month_name(dt.date(year, m.month, 1)) for m in months]
    rows = [{"name": name, "spent": m.spent_cents, "committed": m.committed_cents,
             "used": m.spent_cents + m.committed_cents, "granted": m.granted_cents}
            for name, m in zip(names, months)]
    chart = {
        "locale": i18n.current_locale().replace("_", "-"),
        "labels": [i18n.format_month_name(dt.date(year, m.month, 1), abbreviated=True) for m in months],
        "series": {
            "spent": {"label": _("Spent (paid)"), "values": [m.spent_cents / 100 for m in months]},
            "used": {"label": _("Spent and committed"),
                     "values": [(m.spent_cents + m.committed_cents) / 100 for m in months]},
            "granted": {"label": _("Granted"), "values": [m.granted_cents / 100 for m in months]},
        },
    }
    return {"months": rows, "chart": chart}
