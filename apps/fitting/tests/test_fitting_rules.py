"""The fitting room's own rules: ranking by build, the size suggestion, memory that forgets."""

import numpy as np
import pytest
from emporium_fitting import fit
from emporium_fitting.face import Box, Face
from emporium_fitting.rooms import Rooms
from emporium_fitting.store import Model


def model(name: str, height: int, weight: float, shape: str = "average", size: str = "M") -> Model:
    return Model(id=name, shop_id="s", item_id="i", category=None, name=name, height_cm=height,
                 weight_kg=weight, shape=shape, size=size, face=None, width=1, height=1)  # fmt: skip


MODELS = [
    model("Mia", 160, 48, "slim", "S"),
    model("Lena", 170, 62),
    model("Rosa", 175, 75, "curvy"),
]


def test_models_are_ranked_by_how_close_their_build_is():
    assert [m.name for m in fit.rank(MODELS, fit.Build(171, 64))] == ["Lena", "Rosa", "Mia"]
    assert [m.name for m in fit.rank(MODELS, fit.Build(158, 47))][0] == "Mia"
    assert [m.name for m in fit.rank(MODELS, fit.Build(shape="curvy"))][0] == "Rosa"


def test_a_build_outside_human_ranges_is_refused():
    for build in (fit.Build(80, 60), fit.Build(170, 400), fit.Build()):
        with pytest.raises(ValueError):
            build.check()


def test_sizes_are_ordered_letters_then_numbers():
    assert fit.order_sizes(["L", "S", "XL", "M", "S"]) == ["S", "M", "L", "XL"]
    assert fit.order_sizes(["40", "36", "38"]) == ["36", "38", "40"]


def test_the_size_moves_from_the_models_with_the_difference_in_build():
    lena = MODELS[1]
    sizes = ["S", "M", "L", "XL"]
    assert fit.suggest(lena, fit.Build(170, 62), sizes).size == "M"
    assert fit.suggest(lena, fit.Build(170, 69), sizes).size == "L"
    assert fit.suggest(lena, fit.Build(170, 90), sizes).size == "XL"  # at most two steps
    assert fit.suggest(lena, fit.Build(165, 55), sizes).size == "S"
    assert fit.suggest(lena, fit.Build(170, 90), ["S", "M"]).size == "M"  # none larger exists


def test_the_size_option_is_found_in_english_or_chinese():
    assert fit.size_option(["Colour", "Size"]) == "Size"
    assert fit.size_option(["颜色", "尺码"]) == "尺码"
    assert fit.size_option(["Colour"]) is None


def test_rooms_forget_everything_after_their_time():
    now = [1000.0]
    rooms = Rooms(ttl=600, clock=lambda: now[0])
    face = Face(Box(0, 0, 1, 1), np.zeros((468, 2), dtype=np.float32))
    session = rooms.open(np.zeros((4, 4, 3), dtype=np.uint8), face, "shop")
    result = rooms.keep(session, b"jpeg")
    assert rooms.result(result) == b"jpeg" and len(result) >= 32  # unguessable: 192 random bits
    now[0] += 601
    assert rooms.result(result) is None and rooms.session(session) is None
    assert rooms.sweep() == 2 and rooms.counts() == (0, 0)


def test_every_word_has_its_chinese_and_every_refusal_its_message():
    from emporium_fitting import i18n

    assert set(i18n.EN) == set(i18n.ZH)
    assert all(i18n.ZH[key].strip() for key in i18n.ZH)
    refusals = {"no_face", "face_too_small", "face_too_turned", "too_dark", "too_large",
                "not_a_picture", "expired", "bad_build", "bad_context", "unknown_model",
                "limit_reached", "bad_model"}  # fmt: skip
    assert refusals <= set(i18n.EN)
