"""Both engines, one generated traffic: every test of the store runs on DuckDB and on chdb."""

import uuid

import pytest
from emporium_stats import store as stats
from emporium_stats import traffic
from stats_data import DAYS, ENGINES, FIRST_DAY, load  # noqa: F401 - shared with the tests


@pytest.fixture(scope="session")
def chdb_dir(tmp_path_factory):
    # chdb serves one data directory per process: every chdb store is a database inside it.
    return tmp_path_factory.mktemp("chdb")


@pytest.fixture(scope="session")
def make_store(tmp_path_factory, chdb_dir):
    made = []

    def make(engine: str, **options) -> stats.Store:
        if engine == "duckdb":
            url = f"duckdb://{tmp_path_factory.mktemp('duckdb')}/stats.duckdb"
        else:
            url = f"chdb://{chdb_dir}?database=t_{uuid.uuid4().hex[:12]}"
        store = stats.open_store(url, **options)
        made.append(store)
        return store

    yield make
    for store in made:
        getattr(store.engine, "drop", store.engine.close)()


@pytest.fixture(scope="session")
def shops():
    return [traffic.make_shop(1), traffic.make_shop(2)]


@pytest.fixture(scope="session")
def visits(shops):
    return list(traffic.visits(shops, FIRST_DAY, DAYS, 300, seed=42))


@pytest.fixture(scope="session")
def events(visits):
    return traffic.delivered_events(visits, seed=42)


@pytest.fixture(scope="session")
def orders(visits):
    return [(shop, o) for shop, found in traffic.orders_for(visits).items() for o in found]


@pytest.fixture(scope="session", params=ENGINES)
def loaded(request, make_store, shops, events, orders):
    """A store holding all the generated traffic; tests only read it."""
    store = make_store(request.param)
    load(store, shops, events, orders)
    return store


@pytest.fixture(params=ENGINES)
def engine(request):
    return request.param
