"""The main pages under the Content-Security-Policy: Chromium reports no violation and htmx still works."""

import pytest
from playwright.async_api import expect

from tests.browser.test_tablet_login import sign_in
from tests.conftest import make_beneficiary

pytestmark = pytest.mark.browser

# Playwright's init script runs outside the page's policy: it records what the policy blocks.
RECORD_VIOLATIONS = """
window.__violations = [];
window.print = function () { window.__printed = true; };  // the print dialog would block headless Chromium
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


async def test_main_pages_load_under_the_policy_without_a_violation_and_htmx_works(server, world, tablet):
    from planner.invites import actions as invites

    await make_beneficiary(world.rivebelle, "Amina", "Bakari")
    await invites.feed_url(world.rivebelle, beneficiary=world.beneficiary, create=True)  # the card shows its QR
    console = []
    tablet.on("console", lambda message: console.append(message.text))
    await tablet.add_init_script(RECORD_VIOLATIONS)

    response = await tablet.goto(f"{server}/login")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    await sign_in(tablet, server, world.coordinator["email"])
    for path in ("/today", f"/roll/{world.session}", f"/modules/{world.module}", "/people", "/planning",
                 f"/people/{world.beneficiary}/schedule-card", f"/roll/{world.session}/sheet"):
        response = await tablet.goto(server + path)
        assert response.status == 200, path
        await tablet.wait_for_load_state("networkidle")
        assert await tablet.evaluate("window.__violations") == [], path
        if path.endswith("schedule-card"):
            await expect(tablet.locator("section.qr svg")).to_be_visible()
        if "sheet" not in path and "card" not in path and not path.startswith("/roll/"):
            # print pages have no htmx, nor the roll (issue 18: roll.js sends its actions itself, and a slowed
            # tablet reached its first tap sooner without htmx's start-up)
            assert await tablet.evaluate("typeof htmx") == "object", f"htmx did not load on {path}"
    await tablet.locator("[data-print]").tap()  # the sheet's Print button (in the group's language), once an onclick
    assert await tablet.evaluate("window.__printed") is True

    # htmx swaps the rows as the coordinator types (an htmx request, not a page load).
    await tablet.goto(f"{server}/people")
    async with tablet.expect_response(lambda r: r.url.endswith("/people/search")) as searched:
        await tablet.get_by_label("Search by name or file reference").fill("Bakari")
    assert (await searched.value).request.headers.get("hx-request") == "true"
    await expect(tablet.locator("#rows")).to_contain_text("Bakari, Amina")
    await expect(tablet.locator("#rows")).not_to_contain_text("Quennevilleprivate")
    assert await tablet.evaluate("window.__violations") == []
    assert not [m for m in console if "Content Security Policy" in m or "Refused to" in m], console
