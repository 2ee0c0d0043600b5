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


def test_webhooks_signed_with_either_secret_of_a_rotation_are_taken_and_a_third_refused(tmp_path):
    import base64
    import json
    import secrets
    import time

    from emporium_sdk import WebhookVerificationError
    from emporium_sdk.webhooks import sign
    from emporium_stats.config import Config
    from emporium_stats.web import StatsApp

    old, new, third = ("whsec_" + base64.b64encode(secrets.token_bytes(32)).decode() for _ in "123")
    app = StatsApp(Config(client_id="c", client_secret="s", webhook_secrets=f"{old} {new}",
                          data_dir=tmp_path, store_url="duckdb:///:memory:"))  # fmt: skip
    body = json.dumps({"id": "evt_1", "type": "app.installed", "version": 1, "shop_id": None,
                       "occurred_at": "2026-11-25T10:00:00Z", "data": {}}).encode()  # fmt: skip
    now = int(time.time())

    def headers(secret: str) -> dict[str, str]:
        signature = sign(secret, "evt_1", now, body)
        return {
            "webhook-id": "evt_1",
            "webhook-timestamp": str(now),
            "webhook-signature": signature,
        }

    assert app.receive(headers(old), body).id == "evt_1"
    assert app.receive(headers(new), body).id == "evt_1"
    with pytest.raises(WebhookVerificationError, match="signature"):
        app.receive(headers(third), body)


SHOP_1, SHOP_2 = "7d1f3b2e-0000-4000-8000-000000000001", "7d1f3b2e-0000-4000-8000-000000000002"


@pytest.fixture
def stats_web(tmp_path):
    from emporium_stats.config import Config
    from emporium_stats.shops import Shop
    from emporium_stats.web import build
    from starlette.testclient import TestClient

    app = build(Config(client_id="c", client_secret="s", data_dir=tmp_path,
                       store_url="duckdb:///:memory:"), catch_up=False)  # fmt: skip
    registry = app.state.stats.registry
    for shop_id in (SHOP_1, SHOP_2):
        registry.save_shop(Shop(shop_id=shop_id, name="a shop", plan="mall", installed_at=1.0))
    with TestClient(app) as client:
        yield client, registry


def test_a_brand_code_is_long_random_and_guessing_it_is_throttled(stats_web):
    from emporium_stats.web import JOIN_FAILURES

    client, registry = stats_web
    owner_pass = viewer.issue_pass(SHOP_1, "s")
    code = client.post("/brand", data={"pass": owner_pass, "name": "Mei & Noah"}).json()["code"]
    assert len(code) >= 22  # 128 random bits, not 32
    guesser = viewer.issue_pass(SHOP_2, "s")
    answers = [client.post("/brand", data={"pass": guesser, "code": f"guess{n}"}).status_code
               for n in range(JOIN_FAILURES + 1)]  # fmt: skip
    assert answers == [404] * JOIN_FAILURES + [429]
    # Even the right code waits now: guessing must not be able to tell it found one.
    assert client.post("/brand", data={"pass": guesser, "code": code}).status_code == 429
    assert registry.shop(SHOP_2).brand is None


def test_a_view_pass_ends_when_the_app_is_uninstalled(stats_web):
    from emporium_stats.shops import Shop

    client, registry = stats_web
    old_pass = viewer.issue_pass(SHOP_1, "s")
    assert client.get("/data/overview", headers={"x-view-pass": old_pass}).status_code != 401
    registry.uninstalled(SHOP_1)
    assert client.get("/data/overview", headers={"x-view-pass": old_pass}).status_code == 401
    assert client.get("/app", params={"pass": old_pass}).status_code == 401
    import time

    registry.save_shop(Shop(shop_id=SHOP_1, name="a shop", plan="mall",
                            installed_at=time.time() + 1))  # fmt: skip
    assert client.get("/data/overview", headers={"x-view-pass": old_pass}).status_code == 401


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx"])
def test_an_exported_cell_a_spreadsheet_would_run_is_defused(text):
    from emporium_stats.web import _cell

    assert _cell(text) == "'" + text
    assert _cell("Hangzhou") == "Hangzhou" and _cell(-3) == -3
