"""Drops indexes that another index already covers (its leading column), on the tables
written for every event; and the phone blind indexes' LIKE twins (lookups are equality only).

Only the indexes are dropped: Django's own AlterField would also drop and re-add each
foreign key, re-checking every row of the events table under an exclusive lock.
"""

import django.db.models.deletion
from django.db import migrations, models

# (index, table, column): the same names on PostgreSQL and SQLite.
COVERED = [
    ("calls_call_business_id_48f67909", "calls_call", "business_id"),
    ("calls_call_from_hash_976b9eee", "calls_call", "from_hash"),
    ("calls_call_to_hash_e96032fd", "calls_call", "to_hash"),
    ("calls_callevent_business_id_8e3f3f8b", "calls_callevent", "business_id"),
    ("calls_callevent_call_id_511c7c00", "calls_callevent", "call_id"),
    ("calls_toolinvocation_call_id_4fc01b29", "calls_toolinvocation", "call_id"),
    ("calls_transcriptsegment_call_id_b537d398", "calls_transcriptsegment", "call_id"),
    ("calls_turnmetric_call_id_98d4c2e5", "calls_turnmetric", "call_id"),
]
LIKE_TWINS = ["calls_call_from_hash_976b9eee_like", "calls_call_to_hash_e96032fd_like"]


def _foreign_key(to: str, related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        db_index=False,
        on_delete=django.db.models.deletion.CASCADE,
        related_name=related_name,
        to=to,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0004_analysis_list_covering_index"),
        ("console", "0004_seed_plans_and_program"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    [f'DROP INDEX IF EXISTS "{name}"' for name, _, _ in COVERED]
                    + [f'DROP INDEX IF EXISTS "{name}"' for name in LIKE_TWINS],
                    # Back: the plain indexes (not the LIKE twins, which nothing used).
                    [
                        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")'
                        for name, table, column in COVERED
                    ],
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="call",
                    name="business",
                    field=_foreign_key("console.business", "calls"),
                ),
                migrations.AlterField(
                    model_name="call",
                    name="from_hash",
                    field=models.CharField(blank=True, max_length=64),
                ),
                migrations.AlterField(
                    model_name="call",
                    name="to_hash",
                    field=models.CharField(blank=True, max_length=64),
                ),
                migrations.AlterField(
                    model_name="callevent",
                    name="business",
                    field=_foreign_key("console.business", "call_events"),
                ),
                migrations.AlterField(
                    model_name="callevent",
                    name="call",
                    field=_foreign_key("calls.call", "events"),
                ),
                migrations.AlterField(
                    model_name="toolinvocation",
                    name="call",
                    field=_foreign_key("calls.call", "tool_invocations"),
                ),
                migrations.AlterField(
                    model_name="transcriptsegment",
                    name="call",
                    field=_foreign_key("calls.call", "segments"),
                ),
                migrations.AlterField(
                    model_name="turnmetric",
                    name="call",
                    field=_foreign_key("calls.call", "turn_metrics"),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="call",
            index=models.Index(fields=["business", "from_hash"], name="call_business_caller"),
        ),
    ]
