"""The app's own rules: it speaks to the platform only through the SDK; passes; words; provinces."""

import ast
from pathlib import Path

import emporium_stats
import pytest
from emporium_stats import i18n, viewer
from emporium_stats.provinces import map_name

PACKAGE = Path(emporium_stats.__file__).parent


def test_the_app_imports_nothing_of_the_platform():
    for source in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top not in {"emporium", "django", "ninja"}, f"{source.name} imports {name}"


def test_a_view_pass_names_its_shop_and_refuses_forgery_and_age():
    made = viewer.issue_pass("shop-1", "secret", now=1_000)
    assert viewer.check_pass(made, "secret", now=1_000 + 60) == "shop-1"
    with pytest.raises(viewer.NotAllowed, match="bad view pass"):
        viewer.check_pass(made, "another secret", now=1_000)
    raw, mac = made.split(".")
    with pytest.raises(viewer.NotAllowed):
        viewer.check_pass(raw[:-2] + "xx." + mac, "secret", now=1_000)
    with pytest.raises(viewer.NotAllowed, match="expired"):
        viewer.check_pass(made, "secret", now=1_000 + viewer.PASS_SECONDS + 1)


def test_both_languages_have_every_word():
    assert set(i18n.EN) == set(i18n.ZH)
    assert i18n.pick("zh-CN,zh;q=0.9") == "zh-hans" and i18n.pick("en-GB") == "en"


@pytest.mark.parametrize(
    ("dbip", "map"),
    [("Zhejiang", "浙江"), ("Inner Mongolia", "内蒙古"), ("Guangxi Zhuang Autonomous Region", "广西"),
     ("Hong Kong", "香港"), ("", ""), ("Bavaria", "Bavaria")],
)  # fmt: skip
def test_provinces_find_their_place_on_the_map(dbip, map):
    assert map_name(dbip) == map


def test_the_data_is_under_the_demos_data_directory(tmp_path, monkeypatch):
    from emporium_stats.config import Config

    monkeypatch.delenv("STATS_DATA_DIR", raising=False)
    monkeypatch.setenv("EMPORIUM_VAR_DIR", str(tmp_path / "second-demo"))
    config = Config()
    assert config.data_dir == tmp_path / "second-demo" / "stats"
    assert config.store == f"duckdb:///{tmp_path / 'second-demo' / 'stats' / 'stats.duckdb'}"


def test_without_emporium_var_dir_the_data_is_in_var_stats(tmp_path, monkeypatch):
    from emporium_stats.config import Config

    monkeypatch.delenv("STATS_DATA_DIR", raising=False)
    monkeypatch.delenv("EMPORIUM_VAR_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert Config().data_dir == tmp_path.resolve() / "var" / "stats"


def test_stats_data_dir_overrides_the_demos_directory(tmp_path, monkeypatch):
    from emporium_stats.config import Config

    monkeypatch.setenv("EMPORIUM_VAR_DIR", str(tmp_path / "demo"))
    monkeypatch.setenv("STATS_DATA_DIR", str(tmp_path / "elsewhere"))
    assert Config().data_dir == tmp_path / "elsewhere"
