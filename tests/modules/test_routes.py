import datetime as dt
import html

from planner.modules.tables import Module, ModuleFacilitator, Session
from tests.conftest import login, make_user, post

MODULE = {"code": "FLE", "title": "Parler pour agir", "module_type": "language", "strand": "B",
          "aim": "social_activation", "objectives": "Speak French in daily life", "target_public": "Newcomers",
          "composition": "mixed", "capacity": "12", "minimum_size": "6", "languages": ["fr"]}
# Mondays 30 March to 20 April 2026: Easter Monday (6 April) falls in between.
EASTER_WEEKS = {"kind": "weekly", "weekdays": ["0"], "interval": "1", "start": "2026-03-30", "end": "2026-04-20",
                "starts_at": "09:30", "ends_at": "12:00"}


async def test_a_coordinator_creates_a_module(client, world):
    await login(client, world.coordinator)
    response = await post(client, "/modules", {**MODULE, "organisation": str(world.rivebelle),
                                               "facilitators": [str(world.facilitator["id"])],
                                               "default_room": str(world.room)})
    assert response.status_code == 303
    module = await Module.select().where(Module.title == "Parler pour agir").first()
    assert module["organisation"] == world.rivebelle and module["eligibility_warnings"] == ""
    assert await ModuleFacilitator.exists().where((ModuleFacilitator.module == module["id"])
                                                  & (ModuleFacilitator.user == world.facilitator["id"]))


async def test_a_job_search_workshop_is_saved_with_a_visible_funding_warning(client, world):
    await login(client, world.coordinator)
    response = await post(client, "/modules", {**MODULE, "title": "Atelier CV", "aim": "job_search",
                                               "organisation": str(world.rivebelle)})
    module = await Module.select().where(Module.title == "Atelier CV").first()
    assert "professional_aim" in module["eligibility_warnings"]
    page = await client.get(response.headers["location"])
    assert "Not social activation" in page.text


async def test_a_module_form_with_errors_keeps_what_was_typed(client, world):
    await login(client, world.coordinator)
    response = await post(client, "/modules", {**MODULE, "capacity": "0", "organisation": str(world.rivebelle)},
                          htmx=True)
    assert response.status_code == 422
    assert "The capacity is a whole number between 1 and 200." in response.text
    assert 'value="Parler pour agir"' in response.text


async def test_the_preview_lists_easter_monday_as_skipped_with_its_name(client, world):
    await login(client, world.coordinator)
    response = await post(client, f"/modules/{world.module}/schedule", {**EASTER_WEEKS, "action": "preview"},
                          htmx=True)
    assert response.status_code == 200
    assert "Easter Monday" in response.text and "Public holiday" in response.text
    assert "3 sessions" in response.text
    assert await Session.count().where(Session.module == world.module) == 1  # nothing saved yet


async def test_saving_the_schedule_creates_the_sessions_without_the_holiday(client, world):
    await login(client, world.coordinator)
    response = await post(client, f"/modules/{world.module}/schedule", {**EASTER_WEEKS, "action": "save"})
    assert response.status_code == 303
    days = [s["day"] for s in await Session.select(Session.day).where(Session.module == world.module)
            .order_by(Session.day)]
    assert days == [dt.date(2026, 3, 30), dt.date(2026, 4, 13), dt.date(2026, 4, 20)]


async def test_a_bad_recurrence_is_explained(client, world):
    await login(client, world.coordinator)
    response = await post(client, f"/modules/{world.module}/schedule",
                          {**EASTER_WEEKS, "end": "2026-03-01", "action": "preview"}, htmx=True)
    assert response.status_code == 422
    assert "The end date is before the start date." in response.text


async def test_a_room_booked_twice_is_shown_and_not_saved_without_confirmation(client, world):
    other = (await Module.insert(Module(organisation=world.rivebelle, title="Sport", module_type="sport",
                                        strand="B", aim="social_activation", composition="mixed", capacity=10,
                                        minimum_size=1, languages="fr")).returning(Module.id))[0]["id"]
    await Session.insert(Session(module=other, day=dt.date(2026, 4, 13), starts_at=dt.time(10), ends_at=dt.time(11),
                                 room=world.room))
    await login(client, world.coordinator)
    form = {**EASTER_WEEKS, "room": str(world.room), "action": "save"}
    response = await post(client, f"/modules/{world.module}/schedule", form, htmx=True)
    assert "The room is already booked for Sport: every Monday at 10:00, 1 date." in response.text
    hint = response.text.split('id="save-hint"', 1)[1].split("</p>", 1)[0]
    assert 'role="alert"' in hint and "Save anyway, I will solve the conflicts" in hint  # what to tick, by the button
    assert await Session.count().where(Session.module == world.module) == 1
    saved = await post(client, f"/modules/{world.module}/schedule", {**form, "accept_conflicts": "1"})
    assert saved.status_code == 303
    assert await Session.count().where(Session.module == world.module) == 3


async def test_a_facilitator_booked_elsewhere_is_a_conflict(client, world):
    other = (await Module.insert(Module(organisation=world.rivebelle, title="Culture", module_type="culture",
                                        strand="A", aim="social_activation", composition="mixed", capacity=10,
                                        minimum_size=1, languages="fr")).returning(Module.id))[0]["id"]
    await ModuleFacilitator.insert(ModuleFacilitator(module=other, user=world.facilitator["id"]))
    await Session.insert(Session(module=other, day=dt.date(2026, 3, 30), starts_at=dt.time(11), ends_at=dt.time(13)))
    await login(client, world.coordinator)
    response = await post(client, f"/modules/{world.module}/schedule", {**EASTER_WEEKS, "action": "preview"},
                          htmx=True)
    assert "Fred Facilitator already leads Culture: every Monday at 11:00, 1 date." in response.text
    assert 'role="alert"' not in response.text.split('id="save-hint"', 1)[1].split("</p>", 1)[0]  # only shown


async def test_a_facilitator_booked_every_week_elsewhere_is_one_line_not_one_per_date(client, world):
    other = (await Module.insert(Module(organisation=world.rivebelle, title="FLE", module_type="language",
                                        strand="A", aim="social_activation", composition="mixed", capacity=10,
                                        minimum_size=1, languages="fr")).returning(Module.id))[0]["id"]
    await ModuleFacilitator.insert(ModuleFacilitator(module=other, user=world.facilitator["id"]))
    for day in (dt.date(2026, 3, 30), dt.date(2026, 4, 13), dt.date(2026, 4, 20)):  # every date of EASTER_WEEKS
        await Session.insert(Session(module=other, day=day, starts_at=dt.time(9, 30), ends_at=dt.time(12)))
    await login(client, world.coordinator)
    response = await post(client, f"/modules/{world.module}/schedule", {**EASTER_WEEKS, "action": "preview"},
                          htmx=True)
    assert response.text.count("already leads FLE") == 1
    assert "Fred Facilitator already leads FLE: every Monday at 09:30, 3 dates." in response.text


async def test_a_room_smaller_than_the_group_is_flagged(client, world):
    await Module.update({Module.capacity: 20}).where(Module.id == world.module)
    await login(client, world.coordinator)
    response = await post(client, f"/modules/{world.module}/schedule",
                          {**EASTER_WEEKS, "room": str(world.room), "action": "preview"}, htmx=True)
    assert "has 14 places, fewer than the 20 places of the module" in response.text


async def test_changing_the_recurrence_keeps_moved_sessions(client, world):
    await login(client, world.coordinator)
    await post(client, f"/modules/{world.module}/schedule", {**EASTER_WEEKS, "action": "save"})
    moved = await Session.select(Session.id).where((Session.module == world.module)
                                                   & (Session.day == dt.date(2026, 4, 13))).first()
    await post(client, f"/modules/sessions/{moved['id']}/move", {"day": "2026-04-14", "starts_at": "13:00",
                                                                 "ends_at": "15:00", "room": ""})
    await post(client, f"/modules/{world.module}/schedule", {**EASTER_WEEKS, "weekdays": ["3"], "action": "save"})
    rows = await Session.select(Session.day, Session.moved_from).where(Session.module == world.module)
    days = sorted(r["day"] for r in rows)
    assert dt.date(2026, 4, 14) in days  # the moved session stayed
    assert dt.date(2026, 4, 2) in days and dt.date(2026, 3, 30) not in days


async def test_a_session_is_cancelled_with_its_reason_and_stays_listed(client, world):
    await login(client, world.coordinator)
    response = await post(client, f"/modules/sessions/{world.session}/cancel", {"reason": "Facilitator ill"})
    assert response.status_code == 303
    row = await Session.select().where(Session.id == world.session).first()
    assert row["status"] == "cancelled" and row["cancel_reason"] == "Facilitator ill"
    page = await client.get(f"/modules/{world.module}")
    assert "Facilitator ill" in page.text


async def test_cancelling_needs_a_reason(client, world):
    await login(client, world.coordinator)
    response = await post(client, f"/modules/sessions/{world.session}/cancel", {"reason": ""}, htmx=True)
    assert response.status_code == 422
    assert (await Session.select(Session.status).where(Session.id == world.session).first())["status"] == "planned"


async def test_a_single_session_is_added(client, world):
    await login(client, world.coordinator)
    await post(client, f"/modules/{world.module}/sessions", {"day": "2026-12-10", "starts_at": "14:00",
                                                             "ends_at": "16:00", "room": str(world.room)})
    assert await Session.exists().where((Session.module == world.module) & (Session.day == dt.date(2026, 12, 10)))


async def test_the_second_of_two_module_edits_sees_the_first(client, world):
    await login(client, world.coordinator)
    first = await post(client, f"/modules/{world.module}", {**MODULE, "title": "Switch A", "version": "1"})
    assert first.status_code == 303
    second = await post(client, f"/modules/{world.module}", {**MODULE, "title": "Switch B", "version": "1"})
    assert second.status_code == 409
    assert "Someone else saved this module" in second.text and "Switch A" in second.text
    assert (await Module.select(Module.title).where(Module.id == world.module).first())["title"] == "Switch A"


async def test_a_facilitator_sees_the_module_but_cannot_change_it(client, world):
    await login(client, world.facilitator)
    assert (await client.get(f"/modules/{world.module}")).status_code == 200
    response = await post(client, f"/modules/sessions/{world.session}/cancel", {"reason": "x"})
    assert response.status_code == 403


async def test_a_partner_facilitator_sees_only_the_modules_they_lead(client, world):
    await login(client, world.partner_facilitator)
    assert (await client.get(f"/modules/{world.module}")).status_code == 404
    await ModuleFacilitator.insert(ModuleFacilitator(module=world.module, user=world.partner_facilitator["id"]))
    assert (await client.get(f"/modules/{world.module}")).status_code == 200


async def test_the_week_planning_shows_sessions_and_filters_by_room(client, world):
    await login(client, world.coordinator)
    response = await client.get("/planning?view=week&day=2026-12-09")
    assert "SWITCH" in response.text and "Salle Meuse" in response.text
    other_room = await client.get(f"/planning?view=week&day=2026-12-09&room={world.room + 1000}")
    assert "SWITCH" not in other_room.text.split('id="calendar"')[1]


async def test_the_month_planning_is_a_fragment_for_htmx(client, world):
    await login(client, world.coordinator)
    response = await client.get("/planning?view=month&day=2026-12-01", headers={"hx-request": "true"})
    assert response.text.lstrip().startswith('<section id="calendar">')
    assert "SWITCH" in response.text


async def test_a_cluster_module_is_visible_to_the_neighbour_cpas(client, world):
    await Module.update({Module.cluster: world.cluster}).where(Module.id == world.module)
    neighbour = await make_user("nina@montfleuri.example", "Nina Neighbour", [(await _neighbour(world), "social_worker")])
    await login(client, neighbour)
    assert (await client.get(f"/modules/{world.module}")).status_code == 200


async def _neighbour(world) -> int:
    from planner.orgs.tables import ClusterMember

    rows = await ClusterMember.select(ClusterMember.cpas).where(ClusterMember.cluster == world.cluster)
    return next(r["cpas"] for r in rows if r["cpas"] != world.rivebelle)


async def test_a_tampered_room_or_cluster_value_is_an_error_not_a_crash(client, world):
    await login(client, world.coordinator)
    response = await post(client, "/modules", {**MODULE, "organisation": str(world.rivebelle), "default_room": "abc",
                                               "cluster": "x1"}, htmx=True)
    assert response.status_code == 422
    assert "Choose one of your CPAS&#39;s rooms." in response.text


async def test_a_session_ending_before_it_starts_is_refused_with_the_typed_day_kept(client, world):
    await login(client, world.coordinator)
    response = await post(client, f"/modules/{world.module}/sessions",
                          {"day": "2026-12-10", "starts_at": "14:00", "ends_at": "13:00", "room": ""}, htmx=True)
    assert response.status_code == 422
    assert "Give a day, a start time and a later end time." in response.text
    assert 'value="2026-12-10"' in response.text and 'value="13:00"' in response.text
    assert not await Session.exists().where(Session.day == dt.date(2026, 12, 10))


async def test_a_refused_move_keeps_what_was_typed_in_that_session_form(client, world):
    await login(client, world.coordinator)
    response = await post(client, f"/modules/sessions/{world.session}/move",
                          {"day": "2026-12-15", "starts_at": "15:00", "ends_at": "14:30", "room": str(world.room)},
                          htmx=True)
    assert response.status_code == 422
    assert response.text.count("Give a day, a start time and a later end time.") == 1
    assert f'id="f-move-day-{world.session}" type="date" name="day" value="2026-12-15"' in response.text
    assert 'value="14:30"' in response.text
    session = await Session.select(Session.day).where(Session.id == world.session).first()
    assert session["day"] == dt.date(2026, 12, 7)  # nothing moved


async def test_facilitators_are_listed_in_the_one_name_order_on_every_page(client, world):
    # as every list of people (planner/names.py): accents and lower case sort with their letter, not after Z
    names = ["Zoé Wauters", "Élise Évrard", "daan de Smet"]
    for n, name in enumerate(names):
        user = await make_user(f"f{n}@rivebelle.example", name, [(world.rivebelle, "facilitator")])
        await ModuleFacilitator.insert(ModuleFacilitator(module=world.module, user=user["id"]))
    expected = ["daan de Smet", "Élise Évrard", "Zoé Wauters"]

    def order(html: str) -> list[str]:
        return sorted(expected, key=html.index)

    await login(client, world.coordinator)
    show = (await client.get(f"/modules/{world.module}")).text
    assert order(show.split("Facilitators")[1].split("</dd>")[0]) == expected
    form = (await client.get(f"/modules/{world.module}/edit")).text
    assert order(form) == expected
    planning = (await client.get("/planning?view=week&day=2026-12-09")).text
    assert order(planning.split('id="f-facilitator"')[1].split("</select>")[0]) == expected


async def test_one_session_on_a_public_holiday_is_warned_and_added_only_when_ticked(client, world):
    await login(client, world.coordinator)
    typed = {"day": "2026-12-25", "starts_at": "14:00", "ends_at": "16:00", "room": str(world.room)}
    response = await post(client, f"/modules/{world.module}/sessions", typed, htmx=True)
    assert response.status_code == 422 and "This day is not a working day" in response.text
    assert "Christmas" in response.text and "Public holiday" in response.text and 'name="day_off_ok"' in response.text
    assert not await Session.exists().where((Session.module == world.module) & (Session.day == dt.date(2026, 12, 25)))
    assert (await post(client, f"/modules/{world.module}/sessions", {**typed, "day_off_ok": "1"})).status_code == 303
    assert await Session.exists().where((Session.module == world.module) & (Session.day == dt.date(2026, 12, 25)))


async def test_one_session_years_back_is_refused_with_the_first_day_allowed(client, world):
    from planner import i18n
    await login(client, world.coordinator)
    long_ago = dt.date(i18n.today().year - 2, 12, 31)
    response = await post(client, f"/modules/{world.module}/sessions", {
        "day": long_ago.isoformat(), "starts_at": "14:00", "ends_at": "16:00", "room": ""}, htmx=True)
    assert response.status_code == 422 and "A session cannot be added before" in response.text
    assert not await Session.exists().where((Session.module == world.module) & (Session.day == long_ago))


async def test_a_module_code_already_used_in_the_cpas_is_refused_on_create_and_edit(client, world):
    await login(client, world.coordinator)
    taken = (await Module.select(Module.code, Module.title).where(Module.id == world.module).first())
    response = await post(client, "/modules", {**MODULE, "code": f" {taken['code'].lower()} ",
                                               "organisation": str(world.rivebelle)}, htmx=True)
    assert response.status_code == 422
    assert f"This code is already used by module {taken['code']} – {taken['title']}." in response.text
    assert await Module.count().where(Module.title == MODULE["title"]) == 0
    assert (await post(client, "/modules", {**MODULE, "organisation": str(world.rivebelle)})).status_code == 303
    response = await post(client, f"/modules/{world.module}", {**MODULE, "version": "1"}, htmx=True)
    assert response.status_code == 422 and "This code is already used by module FLE – Parler pour agir." in response.text
    assert (await Module.select(Module.code).where(Module.id == world.module).first())["code"] == taken["code"]


async def test_two_coordinators_saving_the_same_new_code_at_once_get_one_module_and_one_message(client, world,
                                                                                                 monkeypatch):
    # The route's check passes for both (each looked before the other wrote): the write checks again.
    from planner.modules import queries

    async def looked_too_early(*args, **kwargs):
        return None

    await login(client, world.coordinator)
    assert (await post(client, "/modules", {**MODULE, "code": "RACE", "organisation": str(world.rivebelle)})).status_code == 303
    monkeypatch.setattr(queries, "module_with_code", looked_too_early)
    response = await post(client, "/modules", {**MODULE, "code": "race", "title": "Second",
                                               "organisation": str(world.rivebelle)}, htmx=True)
    assert response.status_code == 422 and "This code is already used by module RACE" in response.text
    assert 'value="Second"' in response.text  # what was typed stays
    assert [r["code"] for r in await Module.select(Module.code) if r["code"].strip().lower() == "race"] == ["RACE"]
    response = await post(client, f"/modules/{world.module}", {**MODULE, "code": "Race ", "version": "1"}, htmx=True)
    assert response.status_code == 422 and "This code is already used by module RACE" in response.text
    assert [r["code"] for r in await Module.select(Module.code) if r["code"].strip().lower() == "race"] == ["RACE"]


async def test_a_placements_shifts_get_a_code_of_their_own_when_a_module_already_has_vol_n(world):
    from planner.modules.tables import Module as Modules
    from planner.volunteering import actions as volunteering
    from planner.volunteering.tables import Placement

    await Modules.insert(Modules(organisation=world.rivebelle, code=f"VOL-{world.placement}", title="Typed by hand",
                                 module_type="other", strand="B", aim="social_activation", composition="mixed",
                                 capacity=5, minimum_size=1, languages="fr"))
    module = await volunteering.plan_shifts(world.rivebelle, world.placement, world.social_worker["id"])
    assert (await Modules.select(Modules.code).where(Modules.id == module).first())["code"] == f"VOL-{world.placement}-2"
    assert (await Placement.select(Placement.module).where(Placement.id == world.placement).first())["module"] == module


async def test_a_schedule_in_a_room_of_no_own_site_is_refused_and_nothing_saved(client, world):
    await login(client, world.coordinator)
    before = await Session.count().where(Session.module == world.module)
    response = await post(client, f"/modules/{world.module}/schedule",
                          {**EASTER_WEEKS, "room": "999", "action": "save"}, htmx=True)
    assert response.status_code == 422 and "Choose one of your CPAS's rooms." in html.unescape(response.text)
    assert await Session.count().where(Session.module == world.module) == before


async def test_a_date_that_does_not_exist_is_named_so_on_the_schedule_add_and_move_forms(client, world):
    await login(client, world.coordinator)
    message = "This date does not exist: check the day, month and year."
    before = await Session.count().where(Session.module == world.module)
    response = await post(client, f"/modules/{world.module}/schedule", {**EASTER_WEEKS, "start": "2026-02-31"},
                          htmx=True)
    assert response.status_code == 422 and message in response.text
    response = await post(client, f"/modules/{world.module}/sessions",
                          {"day": "2026-02-31", "starts_at": "14:00", "ends_at": "16:00", "room": ""}, htmx=True)
    assert response.status_code == 422 and message in response.text
    response = await post(client, f"/modules/sessions/{world.session}/move",
                          {"day": "2026-02-31", "starts_at": "14:00", "ends_at": "16:00", "room": ""}, htmx=True)
    assert response.status_code == 422 and message in response.text
    assert await Session.count().where(Session.module == world.module) == before
    response = await post(client, f"/modules/{world.module}/sessions",
                          {"day": "", "starts_at": "14:00", "ends_at": "16:00", "room": ""}, htmx=True)
    assert "Give a day, a start time and a later end time." in response.text and message not in response.text
