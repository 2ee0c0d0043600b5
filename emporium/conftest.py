"""The platform's test helpers under their old import path; the fixtures are in emporium/fixtures.py."""

from emporium.fixtures import (  # noqa: F401 - re-exported for the tests that import them
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORD,
    make_member,
    picture_bytes,
)
