from django.apps import AppConfig


class ShellConfig(AppConfig):
    """The top layer (docs/architecture.md, "Layers"): the start page, which gathers every app's
    news for the person signed in, and ``load_demo``, which fills every app with the demo."""

    name = "pilotti.shell"
