"""``EncryptedTextField``: a text column that holds only Fernet ciphertext.

Encryption happens on the way to the database and decryption on the way out, so the model,
its history table (django-simple-history copies the field) and fixtures all hold ciphertext.
Lookups other than ``isnull`` are refused: comparing plaintext with a random ciphertext would
silently match nothing. Look values up through a blind index instead (crypto.blind_index).
"""

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression

from pilotti.people import crypto


# django-stubs makes the base generic; subscripting it at run time needs django-stubs-ext, which
# only the development install has.
class EncryptedTextField(models.TextField):  # type: ignore[type-arg]  # the stubs' field generics; it stores and returns text
    description = "Text encrypted at rest"

    def get_db_prep_value(self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False) -> Any:
        value = super().get_db_prep_value(value, connection, prepared)
        if value is None or value == "":
            return value  # an empty field stays empty: nothing to hide, and no key needed
        return crypto.encrypt(str(value))

    def from_db_value(self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            return None  # Django raises FieldError: "Unsupported lookup … for EncryptedTextField"
        return super().get_lookup(lookup_name)
