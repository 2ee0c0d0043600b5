"""Ecosystem: third-party apps, their OAuth clients, installs and the developer center."""
