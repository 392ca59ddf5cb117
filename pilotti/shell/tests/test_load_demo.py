"""Where `manage.py load_demo` refuses or agrees to make the demo accounts: each test starts from a
database without the demo. What the loaded demo holds is tested in test_demo_loaded.py."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pilotti.accounts.models import User


def test_it_refuses_demo_accounts_on_a_database_that_is_not_local(
    db: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DEBUG = False
    settings.ALLOW_DEMO_ACCOUNTS = False
    monkeypatch.setenv("DATABASE_URL", "postgres://pilotti@db.internal/pilotti")
    with pytest.raises(CommandError, match="Not loading demo accounts with a published password"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.filter(email="admin@example.org").exists()
    # Asked for explicitly, it loads them.
    call_command("load_demo", "--allow-demo-accounts", stdout=StringIO())
    assert User.objects.filter(email="admin@example.org", is_demo=True).exists()


def test_it_loads_demo_accounts_on_the_local_database_as_make_run_does(
    db: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DEBUG = False
    settings.ALLOW_DEMO_ACCOUNTS = False
    monkeypatch.delenv("DATABASE_URL", raising=False)
    call_command("load_demo", stdout=StringIO())
    assert User.objects.filter(email="admin@example.org", is_demo=True).exists()
