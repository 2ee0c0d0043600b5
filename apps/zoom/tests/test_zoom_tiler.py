"""The tiler: Deep Zoom levels halve exactly, tiles overlap as the format says, the deepest tiles
are the original's pixels, and every bad input of the issue is tiled right or refused with a reason."""

import xml.etree.ElementTree as ET

import numpy as np
import pictures
import pytest
from emporium_zoom import tiler
from PIL import Image

LIMIT = 100_000_000


def tiles_of(base, level):
    return {
        tuple(map(int, p.stem.split("_"))): p
        for p in (base.parent / f"{base.name}_files" / str(level)).glob("*.jpg")
    }


def test_a_real_photograph_tiles_into_halving_levels_of_254_pixel_tiles(tmp_path):
    source = pictures.save(pictures.photo("retina", scale=2.0), tmp_path / "retina.png", "PNG")
    base = tmp_path / "out" / "retina"
    pyramid = tiler.tile(source, base, max_pixels=LIMIT)
    assert (pyramid.width, pyramid.height) == (2822, 2822)
    assert pyramid.levels == 13  # 2822 → 1412 → 706 → … → 2 → 1
    dzi = ET.fromstring(base.with_suffix(".dzi").read_text())  # noqa: S314 - our own file
    assert (dzi.get("TileSize"), dzi.get("Overlap"), dzi.get("Format")) == ("254", "1", "jpg")
    for level in range(pyramid.levels):
        width, height = tiler.level_size(2822, 2822, level)
        tiles = tiles_of(base, level)
        columns, rows = -(-width // 254), -(-height // 254)
        assert set(tiles) == {(x, y) for x in range(columns) for y in range(rows)}, level
        # The tiles of a level cover it exactly: 254 px each plus one pixel of overlap per side
        # that has a neighbour.
        last = Image.open(tiles[(columns - 1, rows - 1)])
        assert last.size == (width - (columns - 1) * 254 + (columns > 1),
                             height - (rows - 1) * 254 + (rows > 1))  # fmt: skip
        if columns > 2:
            assert Image.open(tiles[(1, 0)]).width == 256  # a middle tile: both sides overlap
    assert tiler.level_size(2822, 2822, 12) == (2822, 2822)
    assert tiler.level_size(2822, 2822, 11) == (1411, 1411)
    assert tiler.level_size(2822, 2822, 0) == (1, 1)
    assert pyramid.tiles == sum(len(tiles_of(base, lv)) for lv in range(pyramid.levels))


def deepest_tile_psnr(source_image: Image.Image, base, level: int, x: int, y: int) -> float:
    tile = np.asarray(Image.open(tiles_of(base, level)[(x, y)]).convert("RGB"))
    left, top = x * 254 - (x > 0), y * 254 - (y > 0)
    crop = np.asarray(source_image.convert("RGB"))[
        top : top + tile.shape[0], left : left + tile.shape[1]
    ]
    assert crop.shape == tile.shape
    return pictures.psnr(tile, crop)


@pytest.mark.parametrize("name", ["astronaut", "coffee", "hubble_deep_field", "chelsea"])
def test_at_the_deepest_level_a_tile_is_the_crop_of_the_original(tmp_path, name):
    image = pictures.photo(name)
    source = pictures.save(image, tmp_path / f"{name}.png", "PNG")
    base = tmp_path / name
    pyramid = tiler.tile(source, base, max_pixels=LIMIT)
    deepest = pyramid.levels - 1
    for x, y in tiles_of(base, deepest):
        assert deepest_tile_psnr(image, base, deepest, x, y) >= 40, (x, y)


def test_adjacent_tiles_share_their_overlapping_pixel(tmp_path):
    image = pictures.photo("astronaut")
    source = pictures.save(image, tmp_path / "a.png", "PNG")
    base = tmp_path / "a"
    deepest = tiler.tile(source, base, max_pixels=LIMIT).levels - 1
    tiles = tiles_of(base, deepest)
    left = np.asarray(Image.open(tiles[(0, 0)]), dtype=float)
    right = np.asarray(Image.open(tiles[(1, 0)]), dtype=float)
    # Tile (1, 0) starts one pixel left of x=254: its first column is tile (0, 0)'s column 253,
    # and tile (0, 0)'s last column (254) is tile (1, 0)'s second.
    assert pictures.psnr(left[:, 253], right[:, 0]) >= 40
    assert pictures.psnr(left[:, 254], right[:, 1]) >= 40


def test_the_demo_close_up_keeps_its_wash_label_sharp_at_the_deepest_level(tmp_path):
    from emporium.samples.closeups import CLOSE_UPS, draw_close_up

    image = draw_close_up(CLOSE_UPS[0])
    source = pictures.save(image, tmp_path / "closeup.jpeg", "JPEG", quality=92, subsampling=0)
    base = tmp_path / "closeup"
    pyramid = tiler.tile(source, base, max_pixels=LIMIT)
    assert (pyramid.width, pyramid.height) == (4800, 3600) and pyramid.levels == 14
    decoded = Image.open(source)
    for x, y in [(0, 0), (9, 7), (18, 14)]:
        assert deepest_tile_psnr(decoded, base, 13, x, y) >= 40


# --- bad input ----------------------------------------------------------------------------------


def test_a_progressive_jpeg_is_tiled(tmp_path):
    pyramid = tiler.tile(
        pictures.progressive_jpeg(tmp_path / "p.jpeg"), tmp_path / "p", max_pixels=LIMIT
    )
    assert (pyramid.width, pyramid.height) == (600, 400)


def test_a_cmyk_jpeg_is_tiled_in_rgb_with_its_colours(tmp_path):
    source = pictures.cmyk_jpeg(tmp_path / "c.jpeg")
    tiler.tile(source, tmp_path / "c", max_pixels=LIMIT)
    tile = Image.open(tiles_of(tmp_path / "c", 9)[(0, 0)])
    assert tile.mode == "RGB"
    reference = np.asarray(pictures.photo("chelsea"))[:255, :255].mean(axis=(0, 1))
    assert np.abs(np.asarray(tile).mean(axis=(0, 1)) - reference).max() < 25  # not inverted


def test_a_16_bit_png_is_scaled_to_8_bits_not_clipped_to_white(tmp_path):
    tiler.tile(pictures.png16(tmp_path / "g.png"), tmp_path / "g", max_pixels=LIMIT)
    tile = np.asarray(Image.open(tiles_of(tmp_path / "g", 9)[(0, 0)]).convert("L"), dtype=float)
    original = np.asarray(pictures.photo("camera"), dtype=float)[: tile.shape[0], : tile.shape[1]]
    assert pictures.psnr(tile, original) >= 35


def test_an_alpha_png_is_flattened_onto_white(tmp_path):
    tiler.tile(pictures.alpha_png(tmp_path / "a.png"), tmp_path / "a", max_pixels=LIMIT)
    tile = np.asarray(Image.open(tiles_of(tmp_path / "a", 9)[(0, 0)]))
    assert tile[:120, :120].min() >= 245  # the transparent corner
    assert tile[200:250, 200:250].mean() < 200  # the photograph


def test_exif_orientation_is_applied(tmp_path):
    pyramid = tiler.tile(
        pictures.exif_rotated_jpeg(tmp_path / "r.jpeg"), tmp_path / "r", max_pixels=LIMIT
    )
    assert (pyramid.width, pyramid.height) == (640, 427)  # upright again


def test_an_animated_gif_gives_its_first_frame(tmp_path):
    pyramid = tiler.tile(
        pictures.animated_gif(tmp_path / "a.gif"), tmp_path / "a", max_pixels=LIMIT
    )
    assert (pyramid.width, pyramid.height) == (451, 300)
    tile = np.asarray(Image.open(tiles_of(tmp_path / "a", pyramid.levels - 1)[(0, 0)]))
    assert tile.mean() > 40  # the cat, not the black second frame


@pytest.mark.parametrize(
    ("make", "reason"),
    [(pictures.truncated_jpeg, "damaged"), (pictures.not_a_picture, "not a picture")],
)
def test_a_damaged_file_is_refused_with_a_reason_and_nothing_is_left(tmp_path, make, reason):
    with pytest.raises(tiler.Refused, match=reason):
        tiler.tile(make(tmp_path / "bad"), tmp_path / "out" / "bad", max_pixels=LIMIT)
    assert (
        [p.name for p in (tmp_path / "out").iterdir()] == []
        if (tmp_path / "out").exists()
        else True
    )


def test_a_picture_over_the_pixel_limit_is_refused_before_decoding(tmp_path):
    source = pictures.save(pictures.photo("astronaut"), tmp_path / "big.png", "PNG")
    with pytest.raises(tiler.Refused, match="over the limit of 200,000 pixels"):
        tiler.tile(source, tmp_path / "big", max_pixels=200_000)
