"""The flush after a test with committed data empties Pilotti's tables and keeps the content
types and permissions that the migrations made (tests/suite/management/commands/flush.py)."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from pilotti.accounts.models import User


@pytest.mark.django_db(transaction=True)
def test_it_empties_the_data_and_keeps_the_content_types_and_permissions() -> None:
    types = sorted(ContentType.objects.values_list("id", "app_label", "model"))
    permissions = sorted(Permission.objects.values_list("id", "codename"))
    User.objects.create_user(email="someone@example.org", password="x")

    call_command("flush", interactive=False, verbosity=0)

    assert not User.objects.exists()
    assert sorted(ContentType.objects.values_list("id", "app_label", "model")) == types
    assert sorted(Permission.objects.values_list("id", "codename")) == permissions
    assert len(types) > 100
