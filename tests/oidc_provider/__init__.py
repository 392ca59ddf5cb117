"""A small, real OpenID Connect provider (django-oauth-toolkit) for the single sign-on tests.

Its own Django project: ``serve.py`` migrates a temporary SQLite file, creates the users and
client applications it is given, and serves the provider on a free port of 127.0.0.1.
"""
