"""Test set-up of the whole repository: the platform's shared fixtures, registered once."""

pytest_plugins = ["emporium.fixtures"]
