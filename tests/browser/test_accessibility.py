"""The accessibility audit (issue 18, "Done when"): every GET page a coordinator, a social worker and a
participant (a secret link, no account) can reach in the test world, audited by axe-core for WCAG 2.x A/AA in
Chromium, with zero violations. The pages come from the application's route table, so a new screen is audited
without anyone adding it here."""

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import axe_violations
from tests.browser.test_tablet_login import sign_in
from tests.test_route_table import ROUTES, concrete

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 360, "height": 800}, "has_touch": True, "is_mobile": True, "device_scale_factor": 1}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "has_touch": True}
# Not pages: files, feeds, the service worker, fragments fetched by a page's script.
NOT_PAGES = ("/static", "/sw.js", "/healthz", "/roll/csrf-token", "/feed/")
STAFF_GETS = sorted({p for m, p, h in ROUTES if m == "GET" and not h.opt.get("public")
                     and not p.startswith(NOT_PAGES)})


async def participant_paths(world) -> list[str]:
    """The pages a participant opens from a link: "I cannot come", the host's and the volunteer's hours."""
    from planner.invites import actions as invites

    return [urlsplit(await invites.cant_come_url(world.enrolment, world.rivebelle)).path,
            urlsplit(await invites.host_hours_link(world.placement, world.rivebelle)).path,
            urlsplit(await invites.host_hours_link(world.placement, world.rivebelle, kind="own_hours")).path,
            "/login"]


async def audit_pages(context, server: str, paths: list[str]) -> tuple[dict[str, list[str]], int]:
    """Visits each path that answers a whole HTML page (200) and returns {path: violations}, pages audited."""
    page = await context.new_page()
    faults, audited = {}, 0
    for path in paths:
        answer = await context.request.get(server + path, max_redirects=0)
        if answer.status != 200 or not answer.headers.get("content-type", "").startswith("text/html") \
                or "<html" not in (await answer.text())[:500]:
            continue  # refused to this role, a file or a fragment
        await page.goto(server + path)
        audited += 1
        if found := await axe_violations(page):
            faults[path] = found
    await page.close()
    return faults, audited


def report(faults: dict[str, list[str]]) -> str:
    return "\n".join(f"{path}\n  " + "\n  ".join(lines) for path, lines in faults.items())


@pytest.mark.parametrize("role", ["coordinator", "social_worker"])
async def test_every_page_a_staff_member_reaches_has_no_accessibility_violation(server, world, browser, role):
    context = await browser.new_context(**DESKTOP)
    page = await context.new_page()
    await sign_in(page, server, getattr(world, role)["email"])
    faults, audited = await audit_pages(context, server, [concrete(p, world) for p in STAFF_GETS])
    await context.close()
    assert audited >= 15, f"only {audited} pages answered the {role}"
    assert faults == {}, "axe-core (WCAG 2.x A/AA) found:\n" + report(faults)


async def test_every_page_a_participant_opens_from_a_link_has_no_accessibility_violation(server, world, browser):
    context = await browser.new_context(**PHONE)
    faults, audited = await audit_pages(context, server, await participant_paths(world))
    await context.close()
    assert audited == 4
    assert faults == {}, "axe-core (WCAG 2.x A/AA) found:\n" + report(faults)
