"""The buyer's journey in Chromium: on Mei's dress, open the fitting room, enter a build, pick
the suggested model, give a face photo after consenting, see the result and a size; a photo
without a face gets the message and no result."""

import pytest
from django.urls import reverse
from fitting_photos import astronaut, coffee, grace_hopper, jpeg, scaled
from playwright.sync_api import expect

from emporium.fixtures import wait_until_still, wait_until_taller

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dressed(fitting):
    view_pass = fitting.admin_pass()
    for name, height, weight, size, rgb in [("Mia", 160, 48, "S", astronaut()),
                                            ("Lena", 170, 62, "M", grace_hopper())]:  # fmt: skip
        fitting.add_model(view_pass, jpeg(scaled(rgb, 900)), name=name, height_cm=height,
                          weight_kg=weight, size=size)  # fmt: skip
    return fitting


def open_room(page, fitting):

    page.goto(reverse("storefront:item", args=[fitting.item.public_id]))
    room = page.frame_locator("[data-testid=item-block]")
    expect(room.get_by_test_id("fitting-room")).to_be_visible()
    room.get_by_test_id("height").fill("169")
    room.get_by_test_id("weight").fill("61")
    room.get_by_test_id("find-models").click()
    expect(room.get_by_test_id("model")).to_have_count(2)
    return room


def test_a_buyer_puts_her_face_on_the_closest_model_and_gets_a_size(page, dressed):
    room = open_room(page, dressed)
    first = room.get_by_test_id("model").first
    expect(first).to_contain_text("Lena")  # the closest build comes first
    first.get_by_test_id("choose-model").click()
    expect(room.get_by_test_id("face-photo")).to_be_disabled()  # not before consenting
    wait_until_still(page, "[data-testid=item-block]")  # the frame has grown to the new step
    room.get_by_test_id("consent").check()
    room.get_by_test_id("face-photo").set_input_files(
        {"name": "me.jpg", "mimeType": "image/jpeg", "buffer": jpeg(astronaut())}
    )
    room.get_by_test_id("make").click()
    expect(room.get_by_test_id("result")).to_be_visible(timeout=20_000)
    image = room.get_by_test_id("result-image")
    wait_until_taller(page, "[data-testid=item-block]", 500)  # the result shows, unscrolled
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") == 768  # Lena: Grace Hopper, 768×900
    expect(room.get_by_test_id("size")).to_contain_text("Lena is 170 cm, 62 kg and wears M")

    # Another model: the same photo, a new result, no second upload.
    room.get_by_test_id("model").nth(1).get_by_test_id("choose-model").click()
    expect(room.get_by_test_id("size")).to_contain_text("Mia", timeout=20_000)
    assert dressed.state.rooms.counts() == (1, 2)
    room.get_by_test_id("forget").click()
    expect(room.get_by_test_id("fitting-error")).to_contain_text("deleted")
    assert dressed.state.rooms.counts() == (0, 0)


def test_a_photo_without_a_face_gets_the_message(page, dressed):
    room = open_room(page, dressed)
    room.get_by_test_id("model").first.get_by_test_id("choose-model").click()
    expect(room.get_by_test_id("face-photo")).to_be_disabled()  # the chosen model's step is drawn
    wait_until_still(page, "[data-testid=item-block]")
    room.get_by_test_id("consent").check()
    room.get_by_test_id("face-photo").set_input_files(
        {"name": "cup.jpg", "mimeType": "image/jpeg", "buffer": jpeg(coffee())}
    )
    room.get_by_test_id("make").click()
    expect(room.get_by_test_id("fitting-error")).to_contain_text("We found no face in this photo")
    expect(room.get_by_test_id("result")).to_be_hidden()
