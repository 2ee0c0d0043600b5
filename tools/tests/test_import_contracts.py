"""The import contracts catch what they promise to catch, on small graphs made for the purpose."""

import grimp

from tools.import_contracts import AcyclicModulesContract, RoleLayersContract

LAYERS = {
    "package": "shop",
    "top": ["shop.api", "shop.*.views"],
    "resources": ["shop.resources"],
    "resources_may_import": ["shop.*.models"],
    "lib": ["shop.lib"],
    "exclude": ["shop.**.tests"],
}


def graph_of(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for module in (
        "shop", "shop.api", "shop.api.routes", "shop.orders", "shop.orders.models",
        "shop.orders.services", "shop.orders.views", "shop.orders.tests", "shop.resources",
        "shop.resources.orders", "shop.lib", "shop.lib.money",
    ):  # fmt: skip
        graph.add_module(module)
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="")
    return graph


def layers_kept(*imports: tuple[str, str]) -> bool:
    contract = RoleLayersContract("layers", {}, LAYERS)
    return contract.check(graph_of(*imports), verbose=False).kept


def test_imports_that_go_down_are_kept():
    assert layers_kept(
        ("shop.api.routes", "shop.orders.services"),
        ("shop.orders.views", "shop.orders.services"),
        ("shop.orders.services", "shop.resources.orders"),
        ("shop.resources.orders", "shop.orders.models"),
        ("shop.resources.orders", "shop.lib.money"),
        ("shop.orders.tests", "shop.api.routes"),  # tests are outside the layers
    )


def test_the_domain_may_not_import_the_api_or_a_page():
    assert not layers_kept(("shop.orders.services", "shop.api.routes"))
    assert not layers_kept(("shop.orders.services", "shop.orders.views"))


def test_resources_may_import_models_but_no_other_domain_module():
    assert not layers_kept(("shop.resources.orders", "shop.orders.services"))


def test_lib_imports_nothing_above_it():
    assert not layers_kept(("shop.lib.money", "shop.resources.orders"))
    assert not layers_kept(("shop.lib.money", "shop.orders.models"))


def test_a_circle_between_modules_is_found_and_named():
    contract = AcyclicModulesContract("acyclic", {}, {"package": "shop", "exclude": []})
    circle = graph_of(
        ("shop.orders.services", "shop.resources.orders"),
        ("shop.resources.orders", "shop.lib.money"),
        ("shop.lib.money", "shop.orders.services"),
    )
    check = contract.check(circle, verbose=False)
    assert not check.kept
    assert check.metadata["cycles"] == [
        ["shop.lib.money", "shop.orders.services", "shop.resources.orders"]
    ]
    assert contract.check(graph_of(("shop.orders.services", "shop.lib.money")), False).kept


def test_an_app_that_imports_the_platform_is_caught(tmp_path, monkeypatch):
    from tools.import_contracts import AppsUseOnlyTheSdkContract

    for name, source in {
        "goodapp": "import emporium_sdk\nfrom goodapp import web\n",
        "badapp": "import emporium_sdk\nfrom emporium.trade import orders\n",
    }.items():
        package = tmp_path / "apps" / name / "src" / name
        package.mkdir(parents=True)
        (package / "__init__.py").write_text(source)
        (package / "web.py").write_text("")
        monkeypatch.syspath_prepend(str(package.parent))
    options = {"apps_dir": str(tmp_path / "apps"), "sdk": "emporium_sdk", "platform": "emporium"}
    check = AppsUseOnlyTheSdkContract("apps", {}, options).check(grimp.ImportGraph(), False)
    assert not check.kept
    assert check.metadata["apps"] == ["badapp", "goodapp"]
    assert [(importer, imported) for importer, imported, _ in check.metadata["broken"]] == [
        ("badapp", "emporium")  # external packages are seen whole
    ]
