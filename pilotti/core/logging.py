import logging
import time


class UTCFormatter(logging.Formatter):
    """Log times in UTC with an explicit offset, whatever the server's zone (ASVS 16.2)."""

    converter = time.gmtime  # type: ignore[assignment]  # typeshed types it as a bound method
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"
