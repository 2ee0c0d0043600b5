"""Face replacement, measured on real photographs: position, untouched pixels, skin, eyes."""

import cv2
import numpy as np
import pytest
from emporium_fitting.face import FaceFinder, HaarDetector
from emporium_fitting.swap import swap
from fitting_photos import astronaut, grace_hopper

PAIRS = {
    "astronaut on Grace Hopper": (grace_hopper, astronaut),
    "Grace Hopper on the astronaut": (astronaut, grace_hopper),
}
SKIN_DELTA_E = 12.0  # CIE76 between the pasted skin's mean and the model's surrounding skin
EYE_PIXELS = 0.06  # eye landmarks of the result within 6 % of the eye distance (≈ 3–6 px here)


@pytest.fixture(scope="module", params=list(PAIRS))
def swapped(request, finder):
    model_of, photo_of = PAIRS[request.param]
    model, photo = model_of(), photo_of()
    model_face, photo_face = finder.find(model), finder.find(photo)
    return model, model_face, swap(model, model_face, photo, photo_face)


def test_the_result_has_exactly_one_face_where_the_models_face_was(swapped, finder):
    model, model_face, result = swapped
    boxes = finder.boxes(result.image)
    assert len(boxes) == 1
    (mx, my), (rx, ry) = model_face.box.center, boxes[0].center
    assert abs(mx - rx) < 0.15 * model_face.box.w and abs(my - ry) < 0.15 * model_face.box.h
    assert 0.8 < boxes[0].w / model_face.box.w < 1.25


def test_a_second_detector_also_finds_one_face_there(swapped):
    model, model_face, result = swapped
    boxes = HaarDetector().detect(result.image)
    assert len(boxes) == 1
    (mx, my), (rx, ry) = model_face.box.center, boxes[0].center
    assert abs(mx - rx) < 0.2 * model_face.box.w and abs(my - ry) < 0.2 * model_face.box.h


def test_outside_the_blended_region_the_result_is_the_model_photo(swapped):
    model, _, result = swapped
    outside = result.mask == 0
    assert np.array_equal(result.image[outside], model[outside])
    # …and the region is the face, not the hair, neck or background: a fraction of the photo.
    assert 0.02 < (result.mask > 0).mean() < 0.2
    assert not np.array_equal(result.image[~outside], model[~outside])


def test_the_pasted_skin_matches_the_models_surrounding_skin(swapped):
    model, face, result = swapped
    nose_y = float(face.points[1, 1])
    chin_y = float(face.points[152, 1])
    band = np.zeros_like(result.mask)
    # Cheeks and jaw: skin on both sides of the seam, below glasses and hair.
    band[int(nose_y) : int((nose_y + chin_y) / 2)] = 1
    kernel = np.ones((9, 9), np.uint8)
    inner = (result.mask > 0) & (cv2.erode(result.mask, kernel) == 0) & (band > 0)
    outer = (cv2.dilate(result.mask, kernel) > 0) & (result.mask == 0) & (band > 0)
    lab = cv2.cvtColor(result.image, cv2.COLOR_RGB2LAB).astype(np.float64)
    lab[..., 0] *= 100 / 255  # OpenCV's 8-bit Lab: L scaled to 0..255, a and b offset by 128
    delta = np.linalg.norm(lab[inner].mean(axis=0) - lab[outer].mean(axis=0))
    print(f"ΔE {delta:.1f}")
    assert delta < SKIN_DELTA_E, f"ΔE {delta:.1f}"


def test_the_eyes_land_on_the_models_eyes(swapped, finder: FaceFinder):
    _, model_face, result = swapped
    after = finder.find(result.image)
    for want, got in zip(model_face.eyes, after.eyes, strict=True):
        assert np.linalg.norm(want - got) < EYE_PIXELS * model_face.eye_distance


def test_the_model_photo_given_is_left_unchanged(finder):
    model, photo = grace_hopper(), astronaut()
    before = model.copy()
    swap(model, finder.find(model), photo, finder.find(photo))
    assert np.array_equal(model, before)
