"""The preview page behind a signed link: the shop's current draft, rendered as buyers would see it."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from emporium.design.actions import design_of
from emporium.design.preview import shop_for_token
from emporium.design.render import render_document


def preview(request: HttpRequest, token: str) -> HttpResponse:
    shop = shop_for_token(token)
    if shop is None:
        raise Http404
    design = render_document(shop, design_of(shop).draft, request)
    response = render(request, "design/preview.html", {"shop": shop, "design": design})
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    # The app's editor shows the preview in a frame, so framing is allowed (lib/csp.py then
    # leaves out frame-ancestors); the default policy refuses everything else.
    response.xframe_options_exempt = True
    return response
