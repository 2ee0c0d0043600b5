"""The nightly statistics refresh runs on whichever database the platform uses."""

from django.db import connection

from emporium.catalog.tasks import refresh_statistics


def test_it_refreshes_planner_statistics(db):
    assert refresh_statistics() == connection.vendor
