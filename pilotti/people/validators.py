"""The Finnish personal identity code (henkilötunnus) and its check character."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# Since 2023 the century sign has more letters (Population Information System's reform).
CENTURIES = {"+": 1800, "-": 1900, "U": 1900, "V": 1900, "W": 1900, "X": 1900, "Y": 1900}
CENTURIES |= dict.fromkeys("ABCDEF", 2000)
PATTERN = re.compile(r"^(\d{2})(\d{2})(\d{2})([-+ABCDEFUVWXY])(\d{3})([0-9A-Y])$")


def normalise_identity_code(value: str) -> str:
    return value.strip().upper()


def identity_code_check_character(digits: str) -> str:
    """``digits`` is DDMMYY followed by the three-digit individual number."""
    return CHECK_CHARACTERS[int(digits) % 31]


def validate_identity_code(value: str) -> None:
    code = normalise_identity_code(value)
    match = PATTERN.match(code)
    if match is None:
        raise ValidationError(
            _("Write the identity code as 11 characters, for example 131052-308T."),
            code="format",
        )
    day, month, year, century, individual, check = match.groups()
    try:
        date(CENTURIES[century] + int(year), int(month), int(day))
    except ValueError:
        raise ValidationError(
            _("The identity code does not begin with a real date (DDMMYY). Check the first six digits."), code="date"
        ) from None
    if int(individual) < 2:
        raise ValidationError(_("The identity code's individual number cannot be 000 or 001."), code="individual")
    if identity_code_check_character(f"{day}{month}{year}{individual}") != check:
        raise ValidationError(
            _("The identity code's check character does not match. Check each character of the code."), code="check"
        )
