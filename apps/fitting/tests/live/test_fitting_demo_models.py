"""The demo's composed models work like photographs: a face is found on each, and a buyer's face
lands where hers was, with everything else of the picture untouched."""

import numpy as np
import pytest
from emporium_fitting import photos
from emporium_fitting.swap import swap
from fitting_photos import astronaut

from emporium.demo.fitting_models import HEIGHT, MODELS, WIDTH, compose


@pytest.mark.parametrize("model", MODELS, ids=[m.name for m in MODELS])
def test_a_face_is_found_on_every_demo_model_and_swapped_in_place(finder, model):
    picture = photos.decode(compose(model, (196, 58, 92)))
    assert picture.shape == (HEIGHT, WIDTH, 3)
    face = finder.find(picture)
    assert face.box.y < HEIGHT * 0.3  # the head, at the top of the body
    buyer = astronaut()
    result = swap(picture, face, buyer, finder.find(buyer))
    outside = result.mask == 0
    assert np.array_equal(result.image[outside], picture[outside])
    (box,) = finder.boxes(result.image)
    assert abs(box.center[0] - face.box.center[0]) < 0.15 * face.box.w
    assert abs(box.center[1] - face.box.center[1]) < 0.15 * face.box.h
