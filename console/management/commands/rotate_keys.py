from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from console.privacy.encryption import EncryptedTextField, rotate_token


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the first key of FIELD_ENCRYPTION_KEYS. "
        "Run after prepending a new key; then the old key can be dropped."
    )

    def handle(self, *args: Any, **opts: Any) -> None:
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            columns = [f.attname for f in fields]
            # Work on the raw tokens: MultiFernet.rotate needs no plain text in Python.
            pks = model._base_manager.values_list("pk", flat=True)
            with transaction.atomic():
                for pk in pks.iterator(chunk_size=500):
                    tokens = _raw_tokens(model, pk, columns)
                    updates = {c: rotate_token(t) for c, t in tokens.items() if t}
                    if updates:
                        _raw_update(model, pk, updates)
                        total += 1
            self.stdout.write(f"{model._meta.label}: done")
        self.stdout.write(f"{total} rows re-encrypted")


def _raw_tokens(model: Any, pk: Any, columns: list[str]) -> dict[str, str]:
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    pk_col = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {cols} FROM {table} WHERE {pk_col} = %s", [pk])  # noqa: S608
        row = cursor.fetchone()
    return dict(zip(columns, row, strict=True))


def _raw_update(model: Any, pk: Any, updates: dict[str, str]) -> None:
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in updates)
    pk_col = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {sets} WHERE {pk_col} = %s",  # noqa: S608
            [*updates.values(), pk],
        )
