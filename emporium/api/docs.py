"""The API docs page: Swagger UI served from our own static files (npm swagger-ui-dist), no CDN."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase


class LocalSwagger(DocsBase):
    """django-ninja's Swagger page loads its scripts from a CDN unless ninja is an installed app;
    this one loads them from /static/vendor/swagger-ui/, which the Content-Security-Policy allows."""

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        settings = {"url": self.get_openapi_url(api, kwargs), "layout": "BaseLayout"}
        return render(request, "api/docs.html", {
            "api": api, "swagger_settings": settings,
        })  # fmt: skip
