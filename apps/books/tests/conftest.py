"""The books app's tests find their helpers beside them, and share one shop's fresh books."""

import sys
from pathlib import Path

import pytest
from emporium_books import books
from emporium_books.store import Store

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def store(tmp_path) -> Store:
    """Mei's shop with the chart of accounts opened, in a file of its own."""
    made = Store(tmp_path / "books.sqlite3")
    made.save_shop("shop-1", "Mei's")
    made.open_accounts("shop-1", books.CHART)
    return made
