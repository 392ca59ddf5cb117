import pytest
from django.core.exceptions import ValidationError

from pilotti.organisations.validators import business_id_check_digit, normalise_business_id, validate_business_id


@pytest.mark.parametrize("business_id", ["0245437-2", "1572860-0", "2085012-5", " 0245437-2 ", "245437-2"])
def test_it_accepts_valid_business_ids(business_id: str) -> None:
    validate_business_id(business_id)


@pytest.mark.parametrize("business_id", ["0245437-3", "1572860-1", "2085012-0"])
def test_it_rejects_a_wrong_check_digit(business_id: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_business_id(business_id)
    assert error.value.code == "check_digit"


@pytest.mark.parametrize("business_id", ["", "0245437", "02454372", "0245437-", "ABCDEFG-1", "12345678-9"])
def test_it_rejects_malformed_business_ids(business_id: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_business_id(business_id)
    assert error.value.code == "format"


def test_it_knows_numbers_that_can_have_no_check_digit() -> None:
    # Weighted sum 1 mod 11: such numbers are never issued.
    digits = next(f"{n:07d}" for n in range(10_000) if business_id_check_digit(f"{n:07d}") is None)
    for check in range(10):
        with pytest.raises(ValidationError):
            validate_business_id(f"{digits}-{check}")


def test_it_pads_old_six_digit_ids() -> None:
    assert normalise_business_id("245437-2") == "0245437-2"
