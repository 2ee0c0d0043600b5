"""The credit badge draws the seller's level with the marketplace's familiar symbols."""

import pytest
from django.template import Context, Template
from django.test.signals import template_rendered
from django.utils import translation

from emporium.members.templatetags.member_credit import _forget_badges


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


def test_a_badge_is_rendered_once_per_points_and_language():
    _forget_badges()
    rendered: list[str] = []

    def note(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(note)
    try:
        first, again = badge(600), badge(600)
        with translation.override("zh-hans"):
            chinese = badge(600)
    finally:
        template_rendered.disconnect(note)
    assert first == again and "Seller level" in first
    assert "卖家等级" in chinese
    assert rendered.count("members/includes/credit_badge.html") == 2  # en, then zh-hans
