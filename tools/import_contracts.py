"""Import contracts of our own for import-linter: the platform's layers by role, no circle between
modules, and reference apps that import only the SDK. `.importlinter` names where each applies."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import grimp
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck
from importlinter.domain.helpers import module_expressions_to_modules
from importlinter.domain.imports import ModuleExpression

Edge = tuple[str, str, int | None]


def _expand(graph: grimp.ImportGraph, expressions: object) -> set[str]:
    if not expressions:
        return set()
    found = module_expressions_to_modules(graph, expressions, as_packages=True)  # type: ignore[arg-type]
    names = {module.name for module in found}
    return {m for m in graph.modules if any(m == n or m.startswith(n + ".") for n in names)}


def _line(graph: grimp.ImportGraph, importer: str, imported: str) -> int | None:
    details = graph.get_import_details(importer=importer, imported=imported)
    return details[0]["line_number"] if details else None


def _render(edges: list[Edge], why: str) -> None:
    output.print_error(why)
    output.new_line()
    for importer, imported, line in sorted(edges)[:40]:
        output.print_error(f"  {importer} -> {imported} (l.{line})", bold=False)
    if len(edges) > 40:
        output.print_error(f"  ... and {len(edges) - 40} more", bold=False)


class RoleLayersContract(Contract):
    """Pages, API, admin and tasks above the domain; the domain above the public resource shapes;
    those above `lib`. A module's role comes from its name, so a new domain app needs no edit.

    - `top`: modules of the page/API/admin/task role (wildcards allowed);
    - `resources`: the public shapes, which may import `resources_may_import` (the models) too;
    - `lib`: plain helpers, which import nothing else of the package;
    - everything else under `package` (less `exclude`) is the domain, which never imports `top`.
    """

    type_name = "role_layers"

    package = fields.StringField()
    top = fields.ListField(subfield=fields.ModuleExpressionField())
    resources = fields.ListField(subfield=fields.ModuleExpressionField())
    resources_may_import = fields.ListField(subfield=fields.ModuleExpressionField())
    lib = fields.ListField(subfield=fields.ModuleExpressionField())
    exclude = fields.ListField(subfield=fields.ModuleExpressionField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        excluded = _expand(graph, self.exclude)
        inside = {m for m in graph.modules if m.startswith(f"{self.package}.") or m == self.package}
        inside -= excluded | {self.package}
        top, lib = _expand(graph, self.top), _expand(graph, self.lib)
        resources = _expand(graph, self.resources)
        models = _expand(graph, self.resources_may_import)
        domain = inside - top - lib - resources
        broken: list[Edge] = []
        for importer in sorted(inside):
            allowed = self._allowed(importer, domain, top, resources, lib, models)
            for imported in graph.find_modules_directly_imported_by(importer):
                if imported in inside and imported not in allowed:
                    broken.append((importer, imported, _line(graph, importer, imported)))
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    @staticmethod
    def _allowed(
        module: str,
        domain: set[str],
        top: set[str],
        resources: set[str],
        lib: set[str],
        models: set[str],
    ) -> set[str]:
        if module in lib:
            return lib
        if module in resources:
            return resources | lib | models
        if module in domain:
            return domain | resources | lib
        return top | domain | resources | lib

    def render_broken_contract(self, check: ContractCheck) -> None:
        _render(check.metadata["broken"], "These imports reach up a layer:")


class AcyclicModulesContract(Contract):
    """No circle of imports between modules of the package, function-local imports included."""

    type_name = "acyclic_modules"

    package = fields.StringField()
    exclude = fields.ListField(subfield=fields.ModuleExpressionField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        excluded = _expand(graph, self.exclude)
        modules = {m for m in graph.modules if m.startswith(f"{self.package}.")} - excluded
        cycles = [sorted(c) for c in _strongly_connected(graph, modules) if len(c) > 1]
        return ContractCheck(kept=not cycles, metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error("These modules import each other in a circle:")
            for module in cycle:
                output.print_error(f"  {module}", bold=False)
            output.new_line()


def _strongly_connected(graph: grimp.ImportGraph, modules: set[str]) -> list[set[str]]:
    """Tarjan's algorithm, iterative (the graph is deep enough to trouble recursion)."""
    edges = {
        m: sorted(i for i in graph.find_modules_directly_imported_by(m) if i in modules)
        for m in modules
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if child < len(edges[node]):
                work.append((node, child + 1))
                nxt = edges[node][child]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


class AppsUseOnlyTheSdkContract(Contract):
    """Every package under `apps_dir/*/src/` imports, of our own code, only `sdk` and itself.

    The apps are found on disk at every run, so a new app is covered without editing a contract.
    """

    type_name = "apps_use_only_the_sdk"

    apps_dir = fields.StringField()
    sdk = fields.StringField()
    platform = fields.StringField()

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        apps = sorted(p.parent.name for p in Path(self.apps_dir).glob("*/src/*/__init__.py"))
        ours = set(apps) | {self.platform, self.sdk}
        broken: list[Edge] = []
        missing = [app for app in apps if importlib.util.find_spec(app) is None]
        for app in set(apps) - set(missing):
            app_graph = grimp.build_graph(app, include_external_packages=True)
            for importer in app_graph.modules:
                for imported in app_graph.find_modules_directly_imported_by(importer):
                    root = imported.split(".")[0]
                    if root in ours and root not in (app, self.sdk):
                        broken.append((importer, imported, _line(app_graph, importer, imported)))
        return ContractCheck(
            kept=not broken and not missing and bool(apps),
            metadata={"broken": broken, "missing": missing, "apps": apps},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        if not check.metadata["apps"]:
            output.print_error(f"No app package found under {self.apps_dir}/*/src/.")
        for app in check.metadata["missing"]:
            output.print_error(f"{app} is not installed in this environment (uv sync).")
        if check.metadata["broken"]:
            _render(check.metadata["broken"], "Apps talk to the platform only through the SDK:")


__all__ = [
    "AcyclicModulesContract",
    "AppsUseOnlyTheSdkContract",
    "ModuleExpression",
    "RoleLayersContract",
]
