from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table

ID = "2026-11-23T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "a tap in one round trip on PostgreSQL"

# The tap of attendance/actions.py (_apply_tap) as one server-side function: one round trip, and taps on
# the same person in the same session queue on a lock that lives only as long as the transaction.
# Each statement reads what the tap before committed (READ COMMITTED: a snapshot per statement), so
# the later tap wins and every tap is in the history exactly once, as on SQLite.
TAP_FUNCTION = """
CREATE OR REPLACE FUNCTION planner_tap(
    p_client_id varchar, p_session integer, p_person integer, p_status varchar, p_reason varchar,
    p_arrived time, p_left time, p_user integer, p_device varchar, p_device_time timestamptz,
    p_received timestamptz, p_walk_in boolean)
RETURNS TABLE (o_status varchar, o_reason varchar, o_arrived time, o_left time)
LANGUAGE plpgsql AS $$
DECLARE
    cur record;
    wins boolean;
    event_id integer;
BEGIN
    PERFORM pg_advisory_xact_lock(p_session, p_person);
    SELECT m.id, m.status, m.reason, m.arrived_at, m.left_at, m.device_time, m.received_at INTO cur
        FROM mark m WHERE m.session = p_session AND m.beneficiary = p_person;
    wins := cur.id IS NULL OR (p_device_time, p_received) >= (cur.device_time, cur.received_at);
    INSERT INTO mark_event (client_id, session, beneficiary, old_status, new_status, reason, arrived_at,
                            left_at, applied, "user", device, device_time, received_at)
        VALUES (p_client_id, p_session, p_person, COALESCE(cur.status, ''), p_status, p_reason, p_arrived,
                p_left, wins, p_user, p_device, p_device_time, p_received)
        ON CONFLICT (client_id) DO NOTHING RETURNING id INTO event_id;
    IF event_id IS NULL OR NOT wins THEN
        -- a replay, or an older tap: the mark as it stands
        IF cur.id IS NOT NULL THEN
            RETURN QUERY SELECT cur.status::varchar, cur.reason::varchar, cur.arrived_at::time, cur.left_at::time;
        END IF;
        RETURN;
    END IF;
    IF cur.id IS NULL THEN
        INSERT INTO mark (session, beneficiary, status, reason, arrived_at, left_at, walk_in, device_time,
                          received_at)
            VALUES (p_session, p_person, p_status, p_reason, p_arrived, p_left, p_walk_in, p_device_time,
                    p_received);
    ELSE
        UPDATE mark SET status = p_status, reason = p_reason, arrived_at = p_arrived, left_at = p_left,
                        device_time = p_device_time, received_at = p_received WHERE id = cur.id;
    END IF;
    RETURN QUERY SELECT p_status, p_reason, p_arrived, p_left;
END
$$"""


class Mark(Table, tablename="mark", schema=None):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="planner", description=DESCRIPTION)

    async def tap_function():
        if isinstance(Mark._meta.db, PostgresEngine):  # SQLite runs the same steps from Python
            await Mark.raw(TAP_FUNCTION)

    manager.add_raw(tap_function)
    return manager
