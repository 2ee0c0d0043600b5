"""The quickstart's Python examples stay true: they parse, and every name they import exists."""

import ast
import importlib
import re
from pathlib import Path

import pytest

QUICKSTART = Path(__file__).resolve().parents[2] / "docs" / "isv-quickstart.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", QUICKSTART.read_text(), re.S)


def test_the_quickstart_has_examples():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("source", EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
def test_every_example_parses_and_imports_only_what_the_sdk_has(source):
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            module = importlib.import_module(node.module)
            for alias in node.names:
                assert hasattr(module, alias.name), f"{node.module} has no {alias.name}"
