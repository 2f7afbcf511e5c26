"""The auth area's one router: signing in, one's own account and set-password links (signin.py), and
account management by administrators (accounts.py)."""

from litestar import Router

from planner.auth.routes.accounts import (
    add_membership, create_user, new_password_link, new_user_form, remove_membership, update_user, user_detail,
    user_list,
)
from planner.auth.routes.signin import (
    account, change_password, login, login_form, logout, set_password, set_password_form, switch_language,
)

router = Router(path="/", route_handlers=[
    login_form, login, logout, switch_language, account, change_password, set_password_form, set_password,
    user_list, new_user_form, create_user, user_detail, update_user, add_membership, remove_membership,
    new_password_link,
])
