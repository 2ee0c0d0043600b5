"""The app's own rules: only the SDK of the platform's code, both languages, passes, settings."""

import ast
from pathlib import Path

import emporium_zoom
import pytest
from emporium_zoom import context, i18n

PACKAGE = Path(emporium_zoom.__file__).parent


def test_the_app_imports_nothing_of_the_platform():
    for source in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in {"emporium", "django", "ninja"}, source.name


def test_both_languages_have_every_word_with_the_same_blanks():
    import string

    assert set(i18n.EN) == set(i18n.ZH)
    for key, english in i18n.EN.items():
        blanks = {f for _, f, _, _ in string.Formatter().parse(english) if f}
        assert blanks == {f for _, f, _, _ in string.Formatter().parse(i18n.ZH[key]) if f}, key
    assert i18n.pick("zh-hans") == "zh-hans" and i18n.pick("en") == "en"


def test_an_admin_pass_names_its_shop_and_refuses_forgery_and_age():
    made = context.issue_pass("shop-1", "secret", now=1_000)
    assert context.check_pass(made, "secret", now=1_060) == "shop-1"
    with pytest.raises(context.NotAllowed, match="bad view pass"):
        context.check_pass(made, "another secret", now=1_000)
    with pytest.raises(context.NotAllowed, match="expired"):
        context.check_pass(made, "secret", now=1_000 + context.PASS_SECONDS + 1)


def test_a_session_token_never_opens_the_viewer_and_a_block_context_never_the_admin_page():
    import time

    import jwt

    now = int(time.time())
    session = jwt.encode({"aud": "cid", "dest": "s1", "iat": now, "exp": now + 60,
                          "iss": "http://p"}, "sec", algorithm="HS256")  # fmt: skip
    with pytest.raises(context.NotAllowed):
        context.open_block(session, client_id="cid", client_secret="sec", platform="http://p")
    block = jwt.encode({"aud": "cid/block", "typ": "block", "shop": "s1", "item": "i1",
                        "placement": "gallery",
                        "locale": "en", "iat": now, "exp": now + 300, "iss": "http://p"},
                       "sec", algorithm="HS256")  # fmt: skip
    viewing = context.open_block(block, client_id="cid", client_secret="sec", platform="http://p")
    assert (viewing.shop_id, viewing.item_id, viewing.locale) == ("s1", "i1", "en")
    with pytest.raises(context.NotAllowed):
        context.open_session(block, client_id="cid", client_secret="sec")


def test_the_data_is_under_the_demos_data_directory(tmp_path, monkeypatch):
    from emporium_zoom.config import Config

    monkeypatch.delenv("ZOOM_DATA_DIR", raising=False)
    monkeypatch.setenv("EMPORIUM_VAR_DIR", str(tmp_path / "demo"))
    assert Config().data_dir == tmp_path / "demo" / "zoom"
    assert Config().tiles_dir == tmp_path / "demo" / "zoom" / "tiles"


def test_a_bad_number_in_the_environment_stops_the_app_with_its_name(monkeypatch):
    from emporium_zoom.config import Config

    monkeypatch.setenv("ZOOM_WORKERS", "two")
    with pytest.raises(SystemExit, match="ZOOM_WORKERS"):
        Config()
