"""The attendance area's one router: today, the roll, the sheets and the figures (one module a screen).
The modules, not their handlers, are imported here, so `routes.today` stays the module."""

from litestar import Router

from planner.attendance.routes import figures, roll, sheets, today

router = Router(path="/", route_handlers=[
    today.today, roll.roll, roll.csrf_token, roll.tap, roll.everyone_present, roll.rest_absent, roll.undo, roll.remark, roll.close,
    roll.reopen, sheets.session_sheet, sheets.month_sheet, figures.attendance_figures])
