"""Development tooling that is not part of the product (``make audit``)."""
