"""The database itself refuses to change the audit log.

UPDATE is refused on both backends, DELETE on PostgreSQL. (TRUNCATE, which test teardown
uses, is not a row operation and stays possible for the database owner.)
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION console_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER console_auditentry_no_update BEFORE UPDATE OR DELETE ON console_auditentry
  FOR EACH ROW EXECUTE FUNCTION console_audit_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS console_auditentry_no_update ON console_auditentry;
DROP FUNCTION IF EXISTS console_audit_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER console_auditentry_no_update BEFORE UPDATE ON console_auditentry
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS console_auditentry_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("console", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
