"""An app's data lives under the demo's data directory, unless the app's own variable says where."""

from pathlib import Path

from emporium_sdk.appconfig import data_dir, var_dir


def test_an_apps_data_is_under_emporium_var_dir(tmp_path):
    env = {"EMPORIUM_VAR_DIR": str(tmp_path / "demo-2")}
    assert data_dir("stats", env) == tmp_path / "demo-2" / "stats"
    assert data_dir("hello", env) == tmp_path / "demo-2" / "hello"


def test_without_emporium_var_dir_it_is_var_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert var_dir({}) == tmp_path.resolve() / "var"
    assert data_dir("stats", {"EMPORIUM_VAR_DIR": ""}) == tmp_path.resolve() / "var" / "stats"


def test_the_apps_own_variable_wins(tmp_path):
    env = {"EMPORIUM_VAR_DIR": str(tmp_path / "demo"), "STATS_DATA_DIR": str(tmp_path / "mine")}
    assert data_dir("stats", env) == tmp_path / "mine"
    assert data_dir("hello", env) == tmp_path / "demo" / "hello"


def test_a_relative_directory_is_made_absolute_at_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = data_dir("stats", {"EMPORIUM_VAR_DIR": "elsewhere"})
    assert found.is_absolute() and found == Path(tmp_path).resolve() / "elsewhere" / "stats"
