import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
BUSINESS_ID_RE = re.compile(r"^(\d{6,7})-(\d)$")


def business_id_check_digit(digits: str) -> int | None:
    """The check digit of a Finnish business ID (Y-tunnus), or None when none can exist.

    Weighted sum modulo 11: remainder 0 gives 0, remainder 1 is never issued, otherwise 11 − r.
    """
    remainder = sum(int(d) * w for d, w in zip(digits, BUSINESS_ID_WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def normalise_business_id(value: str) -> str:
    """Strip spaces and pad old six-digit IDs with the leading zero they now carry."""
    value = re.sub(r"\s+", "", value or "")
    match = BUSINESS_ID_RE.match(value)
    if match and len(match.group(1)) == 6:
        return f"0{match.group(1)}-{match.group(2)}"
    return value


def validate_business_id(value: str) -> None:
    match = BUSINESS_ID_RE.match(normalise_business_id(value))
    if not match:
        raise ValidationError(
            _("Enter the business ID as seven digits, a hyphen and a check digit, e.g. 0245437-2."),
            code="format",
        )
    digits = match.group(1).zfill(7)
    if business_id_check_digit(digits) != int(match.group(2)):
        raise ValidationError(
            _("The check digit of this business ID does not match. Check the number for typing errors."),
            code="check_digit",
        )
