import pytest
from django.core.exceptions import ValidationError

from pilotti.people.validators import identity_code_check_character, validate_identity_code


def code(ddmmyy: str, sign: str, individual: str) -> str:
    return f"{ddmmyy}{sign}{individual}{identity_code_check_character(ddmmyy + individual)}"


@pytest.mark.parametrize(
    "value",
    [
        "131052-308T",
        "131052-308t",
        code("010594", "Y", "123"),  # a 2023 century sign for the 1900s
        code("010594", "U", "123"),
        code("020304", "A", "456"),
        code("020304", "B", "456"),  # a 2023 century sign for the 2000s
        code("020304", "F", "456"),
        code("311299", "+", "002"),
    ],
)
def test_it_accepts_valid_identity_codes(value: str) -> None:
    validate_identity_code(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("131052-308U", "check character"),
        ("131052308T", "11 characters"),
        ("131052G308T", "11 characters"),
        (code("310252", "-", "308"), "real date"),
        (code("131052", "-", "001"), "individual number"),
    ],
)
def test_it_explains_what_is_wrong_with_an_identity_code(value: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_identity_code(value)
    assert message in error.value.messages[0]
