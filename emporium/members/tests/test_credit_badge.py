"""The credit badge draws the seller's level with the marketplace's familiar symbols."""

import pytest
from django.template import Context, Template


def badge(points) -> str:
    return Template("{% load member_credit %}{% credit_badge points %}").render(
        Context({"points": points})
    )


@pytest.mark.parametrize(
    ("points", "css", "symbols"),
    [
        (4, "credit-heart", "♥"),
        (120, "credit-heart", "♥♥♥♥"),
        (600, "credit-diamond", "◆◆"),
        (10_001, "credit-crown", "♛"),
        (600_000, "credit-golden-crown", "♛"),
    ],
)
def test_it_draws_the_level_symbols_and_shows_the_points(points, css, symbols):
    html = badge(points)
    assert f'class="credit {css}"' in html
    assert f'aria-hidden="true">{symbols}</span>' in html
    assert f'<span class="credit-points">{points}</span>' in html


@pytest.mark.parametrize("points", [0, 3, -5, None])
def test_a_seller_below_the_first_level_is_a_new_seller(points):
    assert "New seller" in badge(points)
