"""PostgreSQL: every committed outbox insert sends NOTIFY emporium_events, waking idle dispatchers.

A statement-level trigger, so an event written by any path (`outbox.record`, `record_many`, a
bulk insert) notifies, and the notification is sent at commit: a rolled-back event wakes no one,
and a dispatcher woken by it finds the event there. Elsewhere (SQLite) nothing: it polls.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION events_event_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('emporium_events', '');
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER events_event_notify AFTER INSERT ON events_event
    FOR EACH STATEMENT EXECUTE FUNCTION events_event_notify();
"""
DROP = """
DROP TRIGGER IF EXISTS events_event_notify ON events_event;
DROP FUNCTION IF EXISTS events_event_notify();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
