"""ASVS 6.2.12 (partly): a password from the list of common passwords is refused where allauth
checks every new password (sign-up through an invitation, change, reset)."""

import pytest
from allauth.account.adapter import get_adapter
from django import forms

from conftest import World


@pytest.mark.parametrize("password", ["password1234", "qwertyuiop123", "123456789012"])
def test_it_refuses_a_common_or_numeric_password_of_twelve_characters(world: World, password: str) -> None:
    with pytest.raises(forms.ValidationError):
        get_adapter().clean_password(password, user=world.owner)


def test_it_refuses_a_password_shorter_than_twelve_characters(world: World) -> None:
    with pytest.raises(forms.ValidationError):
        get_adapter().clean_password("Lyhyt-9xQ!", user=world.owner)


def test_it_accepts_a_long_uncommon_password(world: World) -> None:
    assert get_adapter().clean_password("Kuusi kalaa ui järvessä 7", user=world.owner)
