"""Settings helpers fail loudly on values they cannot parse."""

import pytest

from emporium.lib.env import env_bool, env_int, env_list, env_rate_limits, env_str


def test_booleans_accept_only_clear_words(monkeypatch):
    for raw, expected in [("1", True), ("true", True), ("ON", True), ("0", False), ("off", False)]:
        monkeypatch.setenv("FLAG", raw)
        assert env_bool("FLAG") is expected
    monkeypatch.setenv("FLAG", "yes-ish")
    with pytest.raises(ValueError, match="FLAG"):
        env_bool("FLAG")


def test_integers_refuse_words(monkeypatch):
    monkeypatch.setenv("N", "12")
    assert env_int("N", 1) == 12
    monkeypatch.setenv("N", "twelve")
    with pytest.raises(ValueError, match="N="):
        env_int("N", 1)


def test_a_file_variant_wins_for_secrets(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("KEY", "plain")
    monkeypatch.setenv("KEY_FILE", str(secret))
    assert env_str("KEY") == "s3cret"


def test_lists_split_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    assert env_list("UNSET_LIST", ["x"]) == ["x"]


def test_rate_limits_override_named_tiers_and_refuse_nonsense(monkeypatch):
    default = {"free": (60, 60), "premium": (3000, 60)}
    monkeypatch.setenv("LIMITS", "free=10/1")
    assert env_rate_limits("LIMITS", default) == {"free": (10, 1), "premium": (3000, 60)}
    for bad in ("free=10", "free=ten/60", "free=0/60"):
        monkeypatch.setenv("LIMITS", bad)
        with pytest.raises(ValueError):
            env_rate_limits("LIMITS", default)
