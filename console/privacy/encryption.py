"""Personal data at rest: Fernet-encrypted model fields and keyed lookup hashes.

FIELD_ENCRYPTION_KEYS is a list, newest first: MultiFernet encrypts with the first and
decrypts with any, so keys rotate by prepending a new one and running `rotate_keys`.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_text(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise InvalidToken(
            "Could not decrypt a field: is its key still in FIELD_ENCRYPTION_KEYS?"
        ) from exc


def rotate_token(token: str) -> str:
    return fernet().rotate(token.encode()).decode()


def blind_index(value: str) -> str:
    """A keyed hash for equality lookups (e.g. a phone number) without storing the value."""
    key = settings.FIELD_HASH_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Text encrypted with Fernet in the database, plain text in Python.

    Not searchable or sortable in SQL: keep a derived, safe column (a mask, a redacted
    copy, a blind index) beside it for that.
    """

    description = "Text encrypted at rest"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))
