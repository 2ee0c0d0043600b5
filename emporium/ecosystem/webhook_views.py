"""Developer center: an app's webhook endpoints, their deliveries and attempts, replay and re-enable."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporium.ecosystem.views import _own_app, developer_center
from emporium.events import endpoints
from emporium.events.models import Delivery, WebhookEndpoint
from emporium.events.schedule import RETRY_DELAYS
from emporium.events.topics import CATALOGUE
from emporium.members.requests import MemberRequest

DELIVERIES_PER_PAGE = 25


def _own_endpoint(request: HttpRequest, public_id, endpoint_id: int) -> WebhookEndpoint:
    app = _own_app(request, public_id)
    return get_object_or_404(WebhookEndpoint, pk=endpoint_id, app=app)


def _topic_rows(app, chosen: list[str]) -> list[dict]:
    offered = set(endpoints.subscribable_topics(app))
    return [
        {"name": t.name, "description": _(t.description), "checked": t.name in chosen}
        for t in CATALOGUE.values()
        if t.name in offered
    ]


def chosen_topics(request: HttpRequest) -> list[str]:
    """The ticked topics; "every topic" only when none is ticked. The form opens with "every
    topic" checked, so a developer who ticks one topic and leaves that box means the one."""
    ticked = request.POST.getlist("topics")
    return ticked or (["*"] if request.POST.get("all_topics") else [])


@developer_center
def webhooks(request: MemberRequest, public_id) -> HttpResponse:
    """The app's endpoints, and a form to add one."""
    app = _own_app(request, public_id)
    error, url, chosen = None, "", ["*"]
    if request.method == "POST":
        url = request.POST.get("url", "")
        chosen = chosen_topics(request)
        try:
            endpoint = endpoints.subscribe(app, url, chosen)
        except endpoints.EndpointError as refused:
            error = refused
        else:
            messages.success(request, _("Endpoint added. Its signing secret is below."))
            return redirect("ecosystem:webhook_endpoint", app.public_id, endpoint.pk)
    context = {
        "app": app,
        "endpoints": app.webhook_endpoints.order_by("created_at"),
        "topic_rows": _topic_rows(app, chosen),
        "all_topics": chosen == ["*"],
        "url": url,
        "error": error,
    }
    return render(request, "ecosystem/webhooks.html", context)


@developer_center
def webhook_endpoint(request: MemberRequest, public_id, endpoint_id: int) -> HttpResponse:
    """One endpoint: its secret, topics, and its deliveries with every attempt, newest first."""
    endpoint = _own_endpoint(request, public_id, endpoint_id)
    status = request.GET.get("status", "")
    topic = request.GET.get("topic", "")
    batches = request.GET.get("batches") == "1"
    found = endpoints.deliveries(endpoint, status=status, topic=topic, batches=batches)
    page = Paginator(found, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "app": endpoint.app,
        "endpoint": endpoint,
        "page": page,
        "status": status,
        "topic": topic if topic in CATALOGUE else "",
        "batches": batches,
        "topics": endpoints.subscribable_topics(endpoint.app),
        "statuses": Delivery.Status.choices,
        "schedule": ["0 s", *[_delay_text(d) for d in RETRY_DELAYS]],
    }
    return render(request, "ecosystem/webhook_endpoint.html", context)


def _delay_text(delay) -> str:
    seconds = int(delay.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


@require_POST
@developer_center
def webhook_replay(request: MemberRequest, public_id, endpoint_id: int, delivery_id: int):
    endpoint = _own_endpoint(request, public_id, endpoint_id)
    delivery = get_object_or_404(Delivery, pk=delivery_id, endpoint=endpoint)
    outcome = endpoints.replay(delivery)
    if outcome.ok:
        messages.success(
            request, _("Sent again: your endpoint answered %(s)s.") % {"s": outcome.status_code}
        )
    else:
        messages.error(
            request,
            _("Sent again, and it failed: %(why)s") % {"why": outcome.status_code or outcome.error},
        )
    return redirect("ecosystem:webhook_endpoint", endpoint.app.public_id, endpoint.pk)


@require_POST
@developer_center
def webhook_enable(request: MemberRequest, public_id, endpoint_id: int) -> HttpResponse:
    endpoint = _own_endpoint(request, public_id, endpoint_id)
    endpoints.enable(endpoint)
    messages.success(request, _("The endpoint is on again; pending events are being sent."))
    return redirect("ecosystem:webhook_endpoint", endpoint.app.public_id, endpoint.pk)


@require_POST
@developer_center
def webhook_test(request: MemberRequest, public_id, endpoint_id: int) -> HttpResponse:
    endpoint = _own_endpoint(request, public_id, endpoint_id)
    outcome = endpoints.test_message(endpoint)
    if outcome.ok:
        messages.success(
            request,
            _("Test message delivered in %(ms)s ms (status %(s)s).")
            % {"ms": outcome.latency_ms, "s": outcome.status_code},
        )
    else:
        messages.error(
            request,
            _("The test message failed: %(why)s") % {"why": outcome.status_code or outcome.error},
        )
    return redirect("ecosystem:webhook_endpoint", endpoint.app.public_id, endpoint.pk)


@developer_center
def webhook_delete(request: MemberRequest, public_id, endpoint_id: int) -> HttpResponse:
    endpoint = _own_endpoint(request, public_id, endpoint_id)
    if request.method == "POST":
        endpoint.delete()
        messages.success(request, _("Endpoint deleted; nothing more is sent to it."))
        return redirect("ecosystem:webhooks", endpoint.app.public_id)
    return render(
        request, "ecosystem/webhook_delete.html", {"app": endpoint.app, "endpoint": endpoint}
    )
