"""No drift: the committed models and resources are what the live OpenAPI document generates."""

import ast
import importlib.util
import inspect
import sys
import tomllib
from pathlib import Path

import pytest
from emporium_sdk import AsyncClient, Client, resources

SDK = Path(__file__).resolve().parent.parent
PACKAGE = SDK / "src" / "emporium_sdk"


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("sdk_generate", SDK / "tools" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def document(generator):
    return generator.load_document()


def test_the_committed_files_are_what_the_live_document_generates(generator, document):
    # Syntax trees, not text: the committed files are also run through the formatter.
    for name, source in generator.generate(document).items():
        committed = (PACKAGE / name).read_text()
        assert ast.dump(ast.parse(source)) == ast.dump(ast.parse(committed)), (
            f"{name} is out of date with the API: run `uv run python sdk/tools/generate.py`"
        )


def test_every_resource_method_names_an_operation_of_the_document(document):
    operations = {
        (method.upper(), path) for path, methods in document["paths"].items() for method in methods
    }
    for name, (method, path) in resources.OPERATIONS.items():
        assert (method, path) in operations, f"{name}: {method} {path} is not in the document"
    assert len(set(resources.OPERATIONS.values())) == len(operations)


def public_methods(resource) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(type(resource), inspect.isfunction)
        if not name.startswith("_")
    }


@pytest.mark.parametrize("attribute", resources.RESOURCES)
def test_sync_and_async_resources_offer_the_same_methods(attribute):
    sync = getattr(Client(access_token="t"), attribute)
    asynchronous = getattr(AsyncClient(access_token="t"), attribute)
    methods = public_methods(sync)
    assert {f"{attribute}.{name}" for name in methods} <= set(resources.OPERATIONS)
    assert methods.keys() == public_methods(asynchronous).keys()
    for name, signature in methods.items():
        other = public_methods(asynchronous)[name]
        assert list(signature.parameters) == list(other.parameters), name


def test_every_operation_has_a_method_on_both_clients():
    for name in resources.OPERATIONS:
        attribute, method = name.split(".")
        assert callable(getattr(getattr(Client(access_token="t"), attribute), method))
        assert callable(getattr(getattr(AsyncClient(access_token="t"), attribute), method))


def test_the_sdk_depends_on_httpx_and_pydantic_only():
    """Besides those two, a module named after an optional extra may import that extra's package
    (`emporium_sdk.starlette` and `emporium-sdk[starlette]`): nobody else pays for it."""
    allowed = {"httpx", "pydantic", "emporium_sdk", "__future__"} | set(sys.stdlib_module_names)
    extras = tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text())["project"].get(
        "optional-dependencies", {}
    )
    for source in PACKAGE.rglob("*.py"):
        own = {source.stem} if source.stem in extras else set()
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed | own, f"{source.name} imports {name}"


def test_every_method_says_which_scope_its_token_needs(document):
    """`help(client.orders.ship)` tells a developer the scope to ask for at install."""
    for name, (method, path) in resources.OPERATIONS.items():
        security = document["paths"][path][method.lower()].get("security", [])
        scopes = [scope for rule in security for scope in rule.get("oauth2", [])]
        attribute, function = name.split(".")
        doc = getattr(getattr(Client(access_token="t"), attribute), function).__doc__ or ""
        for scope in scopes:
            assert f"`{scope}`" in doc, f"{name} does not name the scope {scope}"
