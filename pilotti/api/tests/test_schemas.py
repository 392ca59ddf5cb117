"""The API's choice lists are the models' own."""

from typing import get_args

from pilotti.api import schemas
from pilotti.people.models import AgeBand, Gender
from pilotti.recruitment.models import ReferralSource


def test_the_choices_are_the_models() -> None:
    assert set(get_args(schemas.ReferralSourceValue)) == set(ReferralSource.values)
    assert set(get_args(schemas.GenderValue)) == {"", *Gender.values}
    assert set(get_args(schemas.AgeBandValue)) == {"", *AgeBand.values}
