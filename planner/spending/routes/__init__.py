"""The spending area's one router: each screen's handlers live in routes/<screen>.py."""

from litestar import Router

from planner.spending.routes.budget import budget, set_grant, set_vat
from planner.spending.routes.expense import change_status, create_expense, expense_page, new_expense, update_expense
from planner.spending.routes.expenses import expense_export, expense_list
from planner.spending.routes.module_costs import module_costs, set_cluster_key
from planner.spending.routes.partners import add_convention, edit_convention, partner_detail, partner_list
from planner.spending.routes.scan import download_scan, upload_scan
from planner.spending.routes.staff import delete_staff_time, edit_staff_time, new_staff_time, staff_time

router = Router(path="/", route_handlers=[
    budget, set_grant, set_vat,
    partner_list, partner_detail, add_convention, edit_convention,
    staff_time, new_staff_time, edit_staff_time, delete_staff_time,
    expense_list, expense_export, new_expense, create_expense, expense_page, update_expense, change_status,
    upload_scan, download_scan,
    module_costs, set_cluster_key,
])
