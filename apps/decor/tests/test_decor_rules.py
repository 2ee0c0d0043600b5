"""The app's own rules: the SDK boundary, pictures checked on real photographs, auto-fill,
description templates, words in both languages, where the data lives."""

import ast
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import emporium_decor
import pytest
from decor_photos import PHOTOS, as_jpeg, photo, recompressed
from emporium_decor import album, descriptions, gallery, i18n
from emporium_decor.store import Picture, Store
from emporium_sdk.models import ItemOut
from PIL import Image

PACKAGE = Path(emporium_decor.__file__).parent


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


# --- pictures -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", PHOTOS)
def test_real_photographs_are_taken_and_get_a_colour_and_a_hash(name):
    image = album.check_picture(photo(name), max_bytes=10_000_000)
    found = album.analyse(image)
    assert found.colour in album.PALETTE and len(found.dhash) == 16


def test_the_same_photograph_saved_smaller_is_a_duplicate_and_another_one_is_not():
    def hash_of(data: bytes) -> str:
        return album.analyse(album.check_picture(data, 10_000_000)).dhash

    original = hash_of(photo("astronaut.png"))
    assert (
        album.distance(original, hash_of(recompressed("astronaut.png", 200)))
        <= album.DUPLICATE_BITS
    )
    for other in ["chelsea.png", "coffee.png", "rocket.jpg"]:
        assert album.distance(original, hash_of(photo(other))) > album.DUPLICATE_BITS


def test_colours_are_found_by_name():
    assert album.analyse(album.check_picture(photo("coffee.png"), 10_000_000)).colour in {
        "brown", "black", "white", "grey", "red", "orange"
    }  # fmt: skip
    red = io.BytesIO()
    Image.new("RGB", (50, 50), (210, 30, 40)).save(red, "PNG")
    assert album.analyse(album.check_picture(red.getvalue(), 10_000_000)).colour == "red"


def _bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A small PNG whose header claims width × height pixels: refused before any decoding."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 1024)) + chunk(b"IEND", b""))  # fmt: skip


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 not a picture", "not a picture"),
        (photo("rocket.jpg")[:4000], "damaged"),
        (_bomb(), "too many"),
        (_bomb(8_000, 8_000), "too many"),
    ],
    ids=["empty", "not-a-picture", "truncated", "bomb", "bomb-under-pillows-limit"],
)
def test_bad_pictures_are_refused_with_the_reason(data, reason):
    with pytest.raises(album.PictureRefused, match=reason):
        album.check_picture(data, max_bytes=10_000_000)


def test_an_oversized_picture_is_refused_with_the_numbers():
    with pytest.raises(album.PictureRefused, match=r"at most 0 MB|at most"):
        album.check_picture(photo("astronaut.png"), max_bytes=100_000)


def test_tags_are_cleaned_and_unique():
    assert album.clean_tags([" Summer", "summer", "", "Banner "]) == ["summer", "banner"]


def test_the_album_finds_by_name_tag_item_colour_and_folder(tmp_path):
    store = Store(tmp_path / "decor.sqlite3")
    store.put_pictures("s1", [
        _picture("a", "Astronaut", folder="banners", tags=["space"], colour="white"),
        _picture("b", "Cat", item_id="item-1", item_title="Silk scarf", colour="brown"),
        _picture("c", "Coffee", colour="brown"),
    ])  # fmt: skip
    store.put_pictures("s2", [_picture("z", "Other shop's astronaut")])

    def names(**query):
        return [p.name for p in album.find(store, "s1", album.Query(**query))]

    assert names(text="astro") == ["Astronaut"]
    assert names(tag="space") == ["Astronaut"]
    assert names(item="scarf") == ["Cat"] and names(item="item-1") == ["Cat"]
    assert sorted(names(colour="brown")) == ["Cat", "Coffee"]
    assert names(folder="banners") == ["Astronaut"]


def _picture(album_id, name, **kw) -> Picture:
    return Picture(album_id=album_id, source=kw.pop("source", "space"), key=kw.pop("key", album_id * 64)[:64],
                   name=name, url=f"/media/pictures/{album_id}.webp",
                   thumbnail_url=f"/media/pictures/{album_id}-240.webp", width=100, height=100, **kw)  # fmt: skip


# --- auto-fill ------------------------------------------------------------------------------


def _item(
    n: int, *, sales: int, category: str = "dresses", pictures: int = 1, price: str = "99.00"
) -> ItemOut:
    now = datetime(2026, 11, 1, tzinfo=UTC)
    images = [{"id": n * 10 + p, "key": f"{n:02d}{p}".ljust(64, "a"), "position": p, "width": 800,
               "height": 800, "urls": {w: f"/media/pictures/{n}-{p}-{w}.webp" for w in ("240", "600", "1200")}}
              for p in range(pictures)]  # fmt: skip
    return ItemOut.model_validate({
        "id": f"00000000-0000-0000-0000-{n:012d}", "title": f"Item {n}", "category": category,
        "description_html": f"<p>About item {n}</p>", "option_names": [],
        "price": {"amount": price, "currency": "CNY"}, "stock": 5, "sales_count": sales,
        "status": "on_sale", "skus": [], "images": images, "url": f"/items/{n}/",
        "created_at": now + timedelta(days=n), "updated_at": now,
    })  # fmt: skip


def _walk(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)
    else:
        yield value


def test_there_are_at_least_eight_templates_and_the_free_plan_opens_three():
    assert len(gallery.TEMPLATES) >= 8
    assert len(gallery.available("free")) == 3 and gallery.available("pro") == gallery.TEMPLATES


@pytest.mark.parametrize("template", gallery.TEMPLATES, ids=lambda t: t.id)
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_every_template_fills_every_placeholder_from_the_shop(template, lang):
    items = [_item(n, sales=n * 3 % 7, category="dresses" if n % 2 else "shoes", price=f"{n}0.00")
             for n in range(1, 9)]  # fmt: skip
    facts = gallery.ShopFacts("Mei's", items, category_names={"dresses": "Dresses"})
    sections = gallery.fill(template, facts, lang)
    assert len(sections) == len(template.sections)
    values = list(_walk(sections))
    assert not [v for v in values if isinstance(v, str) and (v.startswith("@") or "{shop}" in v)]
    keys = {i.images[0].key for i in items}
    pictures = [
        s["settings"].get("picture") for s in sections if s["type"] in ("banner", "picture_text")
    ]
    assert pictures and all(p in keys for p in pictures)


def test_auto_fill_takes_best_sellers_newest_and_the_chosen_category():
    items = [_item(1, sales=50, category="shoes"), _item(2, sales=5), _item(3, sales=9),
             _item(4, sales=1)]  # fmt: skip
    facts = gallery.ShopFacts(
        "Mei's", items, category="dresses", category_names={"dresses": "Dresses"}
    )
    best = gallery.fill(gallery.BY_ID["best_sellers"], facts, "en")
    assert best[0]["blocks"][0]["settings"]["picture"] == items[0].images[0].key  # 50 sales
    new = gallery.fill(gallery.BY_ID["new_arrivals"], facts, "en")
    assert new[0]["settings"]["picture"] == items[3].images[0].key  # the newest
    assert new[0]["settings"]["heading"] == "Just in at Mei's"
    showcase = gallery.fill(gallery.BY_ID["category_showcase"], facts, "zh-hans")
    grid = showcase[2]["settings"]
    assert grid["rule"] == "hand_picked" and grid["heading"] == "Dresses"
    assert grid["items"] == [items[2].id, items[1].id, items[3].id]  # dresses, best first


def test_an_album_banner_is_the_hero_and_a_shop_without_pictures_leaves_placeholders():
    items = [_item(1, sales=5, pictures=0), _item(2, sales=3, pictures=0)]
    banner = _picture("b", "Sale banner", folder="banners")
    sale = gallery.fill(gallery.BY_ID["big_sale"], gallery.ShopFacts("S", items, [banner]), "en")
    assert sale[0]["settings"]["picture"] == banner.key
    bare = gallery.fill(gallery.BY_ID["big_sale"], gallery.ShopFacts("S", items), "en")
    assert "picture" not in bare[0]["settings"]  # the platform renders the placeholder
    assert all("picture" not in b["settings"] for b in bare[3]["blocks"])


def test_clearance_picks_a_low_price_band_from_the_shop():
    items = [
        _item(n, sales=1, price=p)
        for n, p in enumerate(["10.00", "20.00", "30.00", "90.00", "300.00", "500.00"], 1)
    ]
    sections = gallery.fill(gallery.BY_ID["clearance"], gallery.ShopFacts("S", items), "en")
    assert sections[1]["settings"]["max_price"] == "30.00"


# --- descriptions ---------------------------------------------------------------------------


def test_a_description_template_puts_blocks_around_the_items_own_text():
    item, other = _item(1, sales=1, pictures=2), _item(2, sales=9)
    options = descriptions.Options.parse(
        {"size_chart": "Size, Chest\nS, 84\nM, 88", "wash_care": "Hand wash\n\nDry flat",
         "header_url": "/media/pictures/banner.webp", "related": 2},
        ("/media/pictures/",),
    )  # fmt: skip
    html = descriptions.render(
        descriptions.BY_ID["full"], item, item.description_html, options, [other]
    )
    assert html.startswith('<p><img src="/media/pictures/banner.webp"')
    assert "<p>About item 1</p>" in html
    assert "<th>Size</th><th>Chest</th>" in html and "<td>M</td><td>88</td>" in html
    assert "<li>Hand wash</li><li>Dry flat</li>" in html
    assert html.index("/media/pictures/1-0-1200.webp") < html.index("/media/pictures/1-1-1200.webp")
    assert '<a href="/items/2/">Item 2</a>' in html


def test_seller_text_in_a_template_is_escaped_never_markup():
    item = _item(1, sales=1)
    options = descriptions.Options.parse(
        {"size_chart": "Size\n<script>alert(1)</script>"}, ("/m/",)
    )
    html = descriptions.render(descriptions.BY_ID["size_chart"], item, "", options, [])
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("raw", "field"),
    [({"size_chart": "Size, Chest\nS"}, "size_chart"), ({"header_url": "https://evil.example/x.png"}, "header_url"),
     ({"related": "lots"}, "related"), ({"related": 40}, "related")],
)  # fmt: skip
def test_bad_template_options_name_their_field(raw, field):
    with pytest.raises(descriptions.BadOptions, match=field):
        descriptions.Options.parse(raw, ("/media/pictures/",))


def test_a_dry_run_diff_shows_what_changes():
    lines = descriptions.diff("<p>Old</p>", "<p>Old</p><h3>Size chart</h3>")
    assert "+<h3>Size chart</h3>" in lines and not [ln for ln in lines if ln.startswith("-<p>")]


# --- words and data ---------------------------------------------------------------------------


def test_both_languages_have_every_word():
    assert set(i18n.EN) == set(i18n.ZH)
    assert i18n.pick("zh-CN,zh;q=0.9") == "zh-hans" and i18n.pick("en-GB") == "en"
    for template in gallery.TEMPLATES:
        assert template.name["zh-hans"] and template.moment["zh-hans"]


def test_the_data_is_under_the_demos_data_directory(tmp_path, monkeypatch):
    from emporium_decor.config import Config

    monkeypatch.delenv("DECOR_DATA_DIR", raising=False)
    monkeypatch.setenv("EMPORIUM_VAR_DIR", str(tmp_path / "demo"))
    assert Config().data_dir == tmp_path / "demo" / "decor"
    monkeypatch.setenv("DECOR_DATA_DIR", str(tmp_path / "elsewhere"))
    assert Config().database == tmp_path / "elsewhere" / "decor.sqlite3"


def test_a_jpeg_of_a_photograph_is_taken_as_well():
    assert album.check_picture(as_jpeg("chelsea.png"), 10_000_000).format == "JPEG"
