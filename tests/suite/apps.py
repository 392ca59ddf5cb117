from django.apps import AppConfig


class SuiteConfig(AppConfig):
    """The test suite's own commands; installed by the test settings only."""

    name = "tests.suite"
    label = "suite"
    verbose_name = "Test suite"
