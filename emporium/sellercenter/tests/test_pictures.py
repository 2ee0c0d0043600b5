"""Picture uploads are checked by content: type, size and pixel count; bad ones save nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from emporium.catalog import services as catalog
from emporium.conftest import picture_bytes


def upload_url(item) -> str:
    return reverse("sellercenter:item_pictures", args=[item.public_id])


def picture(name: str = "dress.png", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, picture_bytes() if data is None else data, "image/png")


def refused(response) -> str:
    assert response.status_code == 200
    errors = response.context["pictures_form"].errors
    assert list(errors) == ["pictures"]
    return errors["pictures"][0]


def test_a_seller_uploads_several_pictures_at_once(seller_client, item):
    files = [
        picture("a.png"),
        picture("b.jpg", picture_bytes("JPEG")),
        picture("c.gif", picture_bytes("GIF")),
    ]
    response = seller_client.post(upload_url(item), {"pictures": files})
    assert response.status_code == 302
    assert item.images.count() == 3
    page = seller_client.get(reverse("sellercenter:item_edit", args=[item.public_id]))
    assert item.images.first().thumb_url in page.content.decode()


def test_it_refuses_a_text_file_named_jpg(seller_client, item):
    text = SimpleUploadedFile("dress.jpg", b"I am not a picture at all", "image/jpeg")
    message = refused(seller_client.post(upload_url(item), {"pictures": [text]}))
    assert message == "dress.jpg: The file is not a picture, or it is damaged."
    assert not item.images.exists()


def test_it_refuses_a_picture_format_it_does_not_accept(seller_client, item):
    bmp = SimpleUploadedFile("dress.png", picture_bytes("BMP"), "image/png")
    message = refused(seller_client.post(upload_url(item), {"pictures": [bmp]}))
    assert "Only JPEG, PNG, WebP and GIF" in message


def bilevel_png(width: int, height: int) -> bytes:
    """A one-bit PNG compresses to almost nothing whatever canvas it declares."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG")
    return out.getvalue()


def test_a_decompression_bomb_is_refused(seller_client, item):
    data = bilevel_png(20000, 20000)  # 400 million pixels
    assert len(data) < 1_000_000
    bomb = SimpleUploadedFile("bomb.png", data, "image/png")
    message = refused(seller_client.post(upload_url(item), {"pictures": [bomb]}))
    assert message.startswith("bomb.png: ") and "pixels" in message
    assert not item.images.exists()


def test_a_picture_over_the_pixel_limit_is_refused_before_decoding(seller_client, item, settings):
    settings.ORIGINAL_MAX_PIXELS = 1_000_000  # item pictures keep their original (zoom)
    wide = SimpleUploadedFile("wide.png", bilevel_png(2000, 1000), "image/png")
    message = refused(seller_client.post(upload_url(item), {"pictures": [wide]}))
    assert "2000×1000 pixels" in message
    assert not item.images.exists()


def test_a_file_over_the_size_limit_is_refused(seller_client, item, settings):
    settings.ORIGINAL_MAX_BYTES = 1000
    big = picture("big.png", picture_bytes(size=(400, 400), colour=(1, 2, 3)) + b"\0" * 2000)
    message = refused(seller_client.post(upload_url(item), {"pictures": [big]}))
    assert "the limit is 1,000" in message


def test_one_bad_file_among_good_ones_saves_none(seller_client, item):
    files = [picture("a.png"), SimpleUploadedFile("b.jpg", b"text", "image/jpeg")]
    assert "b.jpg" in refused(seller_client.post(upload_url(item), {"pictures": files}))
    assert not item.images.exists()


def test_an_empty_upload_names_the_field(seller_client, item):
    refused(seller_client.post(upload_url(item), {}))


def test_an_eleventh_picture_is_refused(seller_client, item):
    catalog.add_images(item, [picture(f"{n}.png") for n in range(10)])
    message = refused(seller_client.post(upload_url(item), {"pictures": [picture()]}))
    assert "at most 10 pictures" in message


@pytest.fixture
def three_pictures(item):
    return catalog.add_images(item, [picture(f"{n}.png") for n in range(3)])


def test_a_seller_makes_a_picture_the_main_one(seller_client, item, three_pictures):
    first, second, third = three_pictures
    seller_client.post(reverse("sellercenter:picture_main", args=[item.public_id, third.pk]))
    assert list(item.images.values_list("pk", flat=True)) == [third.pk, first.pk, second.pk]


def test_a_seller_deletes_a_picture(seller_client, item, three_pictures):
    seller_client.post(
        reverse("sellercenter:picture_delete", args=[item.public_id, three_pictures[0].pk])
    )
    assert list(item.images.values_list("position", flat=True)) == [0, 1]


def test_a_picture_of_another_item_is_404_under_my_item(
    seller_client, shop, item, make_item, three_pictures
):
    mine = make_item(shop, title="Other dress")
    response = seller_client.post(
        reverse("sellercenter:picture_delete", args=[mine.public_id, three_pictures[0].pk])
    )
    assert response.status_code == 404
    assert item.images.count() == 3
