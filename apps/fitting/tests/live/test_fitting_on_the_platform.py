"""The fitting room on a live platform: the seller's models (API sizes, plan limit, marking a face
by hand), the buyer's block (ranking, a face photo, switching models, a size), bad photos."""

import io

import httpx
import numpy as np
import pytest
from fitting_photos import astronaut, coffee, grace_hopper, jpeg, scaled
from PIL import Image

pytestmark = pytest.mark.django_db(transaction=True)


def model_photo(rgb: np.ndarray) -> bytes:
    return jpeg(scaled(rgb, 900))


@pytest.fixture
def with_models(fitting):
    """Three models of different builds on Mei's dress (the free plan's limit)."""
    view_pass = fitting.admin_pass()
    builds = [("Mia", 160, 48, "slim", "S", grace_hopper()), ("Lena", 170, 62, "average", "M",
              astronaut()), ("Rosa", 175, 75, "curvy", "M", grace_hopper())]  # fmt: skip
    for name, height, weight, shape, size, rgb in builds:
        answer = fitting.add_model(view_pass, model_photo(rgb), name=name, height_cm=height,
                                   weight_kg=weight, shape=shape, size=size)  # fmt: skip
        assert answer.status_code == 303 and "notice=model_saved" in answer.headers["location"]
    return fitting


def post(fitting, path: str, **kwargs) -> httpx.Response:
    return httpx.post(f"{fitting.server.url}{path}", timeout=60, **kwargs)


def test_the_free_plan_takes_three_models_per_item_and_the_admin_shows_them(with_models):
    fitting = with_models
    view_pass = fitting.admin_pass()
    fourth = fitting.add_model(view_pass, model_photo(astronaut()), name="Ivy")
    assert "notice=limit_reached" in fourth.headers["location"]
    page = httpx.get(f"{fitting.server.url}/app", params={"pass": view_pass}, timeout=30)
    assert page.text.count('data-testid="face-found"') == 3
    assert "Mia" in page.text and "Ivy" not in page.text
    assert fitting.item.title in page.text  # the item, read through the API


def test_a_model_photo_without_a_face_asks_the_seller_to_mark_it(fitting):
    view_pass = fitting.admin_pass()
    fitting.add_model(view_pass, jpeg(coffee()), name="Drawn")
    (model,) = fitting.state.store.models_of_shop(str(fitting.shop.public_id))
    assert model.face is None
    page = httpx.get(f"{fitting.server.url}/app", params={"pass": view_pass}, timeout=30)
    assert "No face found: drag the box" in page.text
    marked = post(fitting, f"/app/models/{model.id}/face", json={
        "pass": view_pass, "box": [200, 100, 160, 160],
        "points": [[240, 150], [320, 150], [280, 190], [250, 225], [310, 225]],
    })  # fmt: skip
    assert marked.status_code == 200, marked.text
    face = fitting.state.store.model(model.id).face
    assert face is not None
    assert np.allclose(face.key_points()[0], [240, 150], atol=3)
    stranger = post(fitting, f"/app/models/{model.id}/face", json={"pass": "forged.x",
                    "box": [0, 0, 10, 10], "points": [[0, 0]] * 5})  # fmt: skip
    assert stranger.status_code == 401


def test_a_buyer_ranks_models_tries_one_on_switches_and_gets_a_size(with_models):
    fitting = with_models
    context = fitting.context()
    ranked = post(fitting, "/block/models", data={"context": context, "height": "171",
                  "weight": "64"}).json()["models"]  # fmt: skip
    assert [m["name"] for m in ranked] == ["Lena", "Rosa", "Mia"]
    lena, rosa = ranked[0], ranked[1]
    assert lena["suggested_size"] == "M"

    photo = jpeg(scaled(astronaut(), 1200))
    made = post(fitting, "/block/photo", content=photo, headers={"content-type": "image/jpeg"},
                params={"context": context, "model": lena["id"], "height": "171",
                        "weight": "64"})  # fmt: skip
    assert made.status_code == 200, made.text
    assert made.headers["access-control-allow-origin"] == "*"
    body = made.json()
    assert body["size"] == "M" and "Lena is 170 cm, 62 kg and wears M" in body["reason"]
    image = httpx.get(fitting.server.url + body["result"], timeout=30)
    assert image.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(image.content)).size == (900, 900)

    # Another model, the same photo: nothing uploaded again.
    again = post(fitting, "/block/try", data={"context": context, "session": body["session"],
                 "model": rosa["id"], "height": "171", "weight": "64"})  # fmt: skip
    assert again.status_code == 200, again.text
    assert again.json()["result"] != body["result"]
    assert "Rosa" in again.json()["reason"]


def test_the_sizes_come_from_the_items_skus_and_a_larger_buyer_goes_up(with_models):
    fitting = with_models
    ranked = post(fitting, "/block/models", data={"context": fitting.context(),
                  "height": "160", "weight": "60"}).json()["models"]  # fmt: skip
    mia = next(m for m in ranked if m["name"] == "Mia")
    # Mia wears S; 12 kg more is two sizes up, but the dress comes in S and M only.
    assert mia["suggested_size"] == "M" and "larger" in mia["reason"]


@pytest.mark.parametrize(
    ("photo", "code"),
    [(jpeg(coffee()), "no_face"), (b"not a picture", "not_a_picture"),
     (jpeg((astronaut() * 0.05).astype(np.uint8)), "too_dark")],
    ids=["no face", "not a picture", "dark"],
)  # fmt: skip
def test_a_bad_photo_gets_a_clear_message_and_no_result(with_models, photo, code):
    fitting = with_models
    model = fitting.state.store.models_of_shop(str(fitting.shop.public_id))[0]
    answer = post(fitting, "/block/photo", content=photo, params={
        "context": fitting.context(), "model": model.id, "height": "165"})  # fmt: skip
    assert answer.status_code == 422 and answer.json()["error"] == code
    assert fitting.state.rooms.counts() == (0, 0)


def test_the_message_is_in_the_buyers_language(with_models):
    fitting = with_models
    model = fitting.state.store.models_of_shop(str(fitting.shop.public_id))[0]
    answer = post(fitting, "/block/photo", content=jpeg(coffee()), params={
        "context": fitting.context("zh-hans"), "model": model.id, "height": "165"})  # fmt: skip
    assert answer.json()["message"].startswith("这张照片里没有找到人脸")


def test_a_forged_or_foreign_context_is_refused(with_models):
    fitting = with_models
    answer = post(fitting, "/block/models", data={"context": "e30.e30.x", "height": "165"})
    assert answer.status_code == 401
    page = httpx.get(f"{fitting.server.url}/block", params={"context": "nope"}, timeout=30)
    assert page.status_code == 401


def test_the_block_page_may_be_framed_only_by_the_platform(with_models):
    fitting = with_models
    page = httpx.get(f"{fitting.server.url}/block", params={"context": fitting.context()},
                     timeout=30)  # fmt: skip
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == f"frame-ancestors {fitting.platform_url}"
    assert 'data-testid="fitting-room"' in page.text


def test_an_uninstall_reaches_the_app_by_webhook_and_closes_its_admin_page(fitting):
    from emporium.events import dispatcher
    from emporium.market import installs

    view_pass = fitting.admin_pass()
    shop_id = str(fitting.shop.public_id)
    assert fitting.state.store.shop(shop_id).installed
    installs.uninstall(fitting.app, fitting.shop)
    dispatcher.run_once()
    assert not fitting.state.store.shop(shop_id).installed
    page = httpx.get(f"{fitting.server.url}/app", params={"pass": view_pass}, timeout=30)
    assert page.status_code == 403 and "has not finished installing" in page.text
