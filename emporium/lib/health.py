"""`GET /healthz`: the web process answers, without touching the database.

For load balancers and process supervisors, and for the benchmarks, which load it beside each
page as the floor: what the server and the middleware cost before any view does its work.
"""

from django.http import HttpRequest, HttpResponse


def healthz(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(b"ok\n", content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response
