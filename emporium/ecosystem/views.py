"""Developer center pages: parse the form, call a registration or sandbox function, render or redirect."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from oauth2_provider.models import get_access_token_model

from emporium.api import calllog
from emporium.ecosystem import buyer_grants, registration, scopes
from emporium.ecosystem.forms import AppForm
from emporium.ecosystem.models import App, DeveloperSandbox
from emporium.ecosystem.sandbox import ensure_sandbox, ensure_sandbox_buyer
from emporium.lib import clock
from emporium.members.requests import MemberRequest

# Set on the session when a developer acts as their sandbox seller, so they can come back.
ACTING_DEVELOPER = "ecosystem_acting_developer"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def developer_center(view: Callable) -> Callable:
    """Log-in required; a sandbox seller (a developer acting as it) is offered the way back."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if hasattr(request.user, "sandbox_of") or hasattr(request.user, "sandbox_buyer_of"):
            return render(request, "ecosystem/acting_as_sandbox.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _own_app(request: HttpRequest, public_id) -> App:
    # Filtering by owner turns another developer's app into a plain 404: nothing is revealed.
    return get_object_or_404(App, public_id=public_id, user=request.user)


# The plain-text secret waits in the session between the POST that made it and the one GET that
# shows it (POST-redirect-GET): reloading the page shows "already shown" and never registers a
# second app or rotates again. The session row holds it for one request; the page is no-store.
SECRET_SHOWN_ONCE = "ecosystem_secret_shown_once"  # noqa: S105 - a session key, not a secret


def _redirect_to_secret(request: HttpRequest, app: App, secret: str, created: bool) -> HttpResponse:
    request.session[SECRET_SHOWN_ONCE] = {
        "app": str(app.public_id),
        "secret": secret,
        "created": created,
    }
    return redirect("ecosystem:app_secret", app.public_id)


@never_cache
def _secret_page(request: HttpRequest, public_id) -> HttpResponse:
    app = _own_app(request, public_id)
    waiting = request.session.get(SECRET_SHOWN_ONCE)
    if waiting and waiting.get("app") == str(app.public_id):
        del request.session[SECRET_SHOWN_ONCE]
        secret, created = waiting["secret"], waiting["created"]
    else:
        secret, created = "", False
    context = {"app": app, "secret": secret, "created": created, "overlap": _overlap_hours()}
    response = render(request, "ecosystem/secret.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _overlap_hours() -> int:
    return settings.OAUTH_SECRET_OVERLAP_HOURS


app_secret = developer_center(_secret_page)


@developer_center
def home(request: MemberRequest) -> HttpResponse:
    member = request.user
    sandbox = ensure_sandbox(member) if member.is_developer else None
    apps = App.objects.filter(user=member).order_by("-created")
    return render(request, "ecosystem/home.html", {"apps": apps, "sandbox": sandbox})


@never_cache
@developer_center
def app_create(request: MemberRequest) -> HttpResponse:
    form = AppForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            app, secret = registration.register_app(request.user, **form.cleaned_data)
        except registration.AppError as error:
            form.add_service_error(error)
        else:
            ensure_sandbox(request.user)
            return _redirect_to_secret(request, app, secret, created=True)
    return render(request, "ecosystem/app_form.html", {"form": form, "app": None})


@developer_center
def app_detail(request: MemberRequest, public_id) -> HttpResponse:
    app = _own_app(request, public_id)
    authorizations = (
        get_access_token_model()
        .objects.filter(application=app, user__isnull=False, expires__gt=timezone.now())
        .exclude(scope__contains=buyer_grants.BUYER_PREFIX)
        .count()
    )
    previous_valid = bool(
        app.previous_secret_expires_at and app.previous_secret_expires_at > clock.now()
    )
    context = {
        "app": app,
        "authorizations": authorizations,
        # How many buyers authorized it: a count, never who (issue: buyer apps).
        "buyer_authorizations": buyer_grants.authorization_count(app),
        "for_buyers": buyer_grants.is_buyer_grant(app.scope_list),
        "device_url": request.build_absolute_uri(reverse("oauth2_provider:device-authorization")),
        "previous_valid": previous_valid,
        "scope_rows": _scope_rows(app),
        "authorize_url": request.build_absolute_uri(reverse("oauth2_provider:authorize")),
        "token_url": request.build_absolute_uri(reverse("oauth2_provider:token")),
        "metadata_url": request.build_absolute_uri(reverse("oauth-authorization-server")),
    }
    return render(request, "ecosystem/app_detail.html", context)


STATS_DAYS = 30


@developer_center
def app_calls(request: MemberRequest, public_id) -> HttpResponse:
    """The app's API calls over the last 30 days: per day, error rate, latency, endpoints, errors."""
    app = _own_app(request, public_id)
    stats = calllog.app_stats(app.pk, days=STATS_DAYS)
    context = {
        "app": app,
        "stats": stats,
        "days": STATS_DAYS,
        "error_percent": round(stats.error_rate * 100, 1),
        "day_rows": _day_rows(stats.per_day),
        "shop_url": request.build_absolute_uri("/api/v1/shop"),
    }
    return render(request, "ecosystem/app_calls.html", context)


def _day_rows(per_day: list[calllog.DayStats]) -> list[tuple[calllog.DayStats, int]]:
    """Each day with its bar width in percent of the busiest day (a CSS bar, no chart library)."""
    busiest = max((day.calls for day in per_day), default=0)
    return [(day, round(100 * day.calls / busiest) if busiest else 0) for day in per_day]


def _scope_rows(app: App) -> list[tuple[str, str]]:
    return scopes.rows(app.scope_list)


@developer_center
def app_edit(request: MemberRequest, public_id) -> HttpResponse:
    app = _own_app(request, public_id)
    form = AppForm.for_app(app, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration.update_app(app, **form.cleaned_data)
        except registration.AppError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Your app is saved."))
            return redirect("ecosystem:app_detail", app.public_id)
    return render(request, "ecosystem/app_form.html", {"form": form, "app": app})


@developer_center
def app_delete(request: MemberRequest, public_id) -> HttpResponse:
    app = _own_app(request, public_id)
    if request.method == "POST":
        registration.delete_app(app)
        messages.success(
            request, _("%(name)s is deleted; its tokens no longer work.") % {"name": app.name}
        )
        return redirect("ecosystem:home")
    return render(request, "ecosystem/app_delete.html", {"app": app})


@never_cache
@developer_center
def app_rotate_secret(request: MemberRequest, public_id) -> HttpResponse:
    app = _own_app(request, public_id)
    if request.method == "POST":
        secret = registration.rotate_secret(app)
        return _redirect_to_secret(request, app, secret, created=False)
    return render(
        request, "ecosystem/rotate_secret.html", {"app": app, "overlap": _overlap_hours()}
    )


@developer_center
def sandbox(request: MemberRequest) -> HttpResponse:
    if not request.user.is_developer:
        messages.info(request, _("Register an app first; your sandbox shop comes with it."))
        return redirect("ecosystem:home")
    sandbox = ensure_sandbox(request.user)
    ensure_sandbox_buyer(sandbox)  # a sandbox older than sandbox buyers gets one now
    context = {
        "sandbox": sandbox,
        "apps": App.objects.filter(user=request.user).order_by("-created"),
        "metadata_url": request.build_absolute_uri(reverse("oauth-authorization-server")),
    }
    return render(request, "ecosystem/sandbox.html", context)


@require_POST
@developer_center
def sandbox_act_as(request: MemberRequest) -> HttpResponse:
    """Log this browser in as the developer's sandbox seller, e.g. to consent to their own app."""
    developer = request.user
    if not developer.is_developer:
        raise Http404
    sandbox = ensure_sandbox(developer)
    if request.POST.get("as") == "buyer":
        member = ensure_sandbox_buyer(sandbox)
        target = _safe_next(request, default=reverse("connected_apps"))
        note = _("You are acting as your sandbox buyer %(name)s.") % {"name": member}
    else:
        member = sandbox.seller
        target = _safe_next(request, default=reverse("sellercenter:dashboard"))
        note = _("You are acting as your sandbox seller %(name)s.") % {"name": member}
    login(request, member, backend=MODEL_BACKEND)
    # After login(): switching users flushes the session, which would drop this key.
    request.session[ACTING_DEVELOPER] = developer.pk
    messages.info(request, note)
    return redirect(target)


@require_POST
@login_required
def sandbox_return(request: MemberRequest) -> HttpResponse:
    """Back from the sandbox seller to the developer who acted as it, in this session only."""
    developer_id = request.session.get(ACTING_DEVELOPER)
    sandbox = (
        DeveloperSandbox.objects.select_related("developer")
        .filter(Q(seller=request.user) | Q(buyer=request.user), developer_id=developer_id)
        .first()
    )
    if developer_id is None or sandbox is None:
        raise Http404
    login(request, sandbox.developer, backend=MODEL_BACKEND)
    return redirect("ecosystem:sandbox")


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
