"""The fitting room's fixtures: one face finder per session (loading MediaPipe takes ~0.3 s)."""

import pytest
from emporium_fitting.face import FaceFinder


@pytest.fixture(scope="session")
def finder() -> FaceFinder:
    return FaceFinder()
