"""Member pages: sign-up, log-in (which brings the anonymous cart along), profile and addresses."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporium.lib import clientip, throttle
from emporium.members import addresses
from emporium.members.forms import AddressForm, ProfileForm, SignupForm
from emporium.members.models import Address, Member
from emporium.members.requests import MemberRequest
from emporium.trade.cart import merge_session_cart


def _log_in(request: HttpRequest, member: Member) -> None:
    # login() rotates the session key, so the anonymous cart must be found by the old one.
    old_session_key = request.session.session_key
    login(request, member)
    merge_session_cart(old_session_key, member)


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _too_many(request: HttpRequest, template: str, message: str, window: int) -> HttpResponse:
    response = render(request, template, {"throttled": message}, status=429)
    response["Retry-After"] = str(throttle.retry_after(window))
    return response


class LoginView(auth_views.LoginView):
    """Django's log-in, throttled: after LOGIN_FAILURES_PER_USER failures for one user name, or
    LOGIN_FAILURES_PER_ADDRESS from one address, every attempt is refused until the window ends
    (even with the right password, so guessing learns nothing)."""

    template_name = "members/login.html"
    redirect_authenticated_user = True

    def _keys(self) -> list[tuple[str, str, int]]:
        username = str(self.request.POST.get("username", "")).strip().lower()[:150]
        return [
            ("login-user", username, settings.LOGIN_FAILURES_PER_USER),
            ("login-address", clientip.of(self.request), settings.LOGIN_FAILURES_PER_ADDRESS),
        ]

    def post(self, request, *args, **kwargs):
        window = settings.LOGIN_THROTTLE_SECONDS
        if any(throttle.count(s, k, window) >= n for s, k, n in self._keys()):
            message = _("Too many failed log-ins. Try again in %(minutes)s minutes.") % {
                "minutes": max(1, throttle.retry_after(window) // 60)
            }
            return _too_many(request, "members/login.html", message, window)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        for scope, key, _limit in self._keys():
            throttle.count(scope, key, settings.LOGIN_THROTTLE_SECONDS, add=1)
        return super().form_invalid(form)

    def form_valid(self, form):
        _log_in(self.request, form.get_user())
        return redirect(self.get_success_url())


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("members:profile")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and not throttle.hit(
        "signup-address", clientip.of(request), settings.SIGNUPS_PER_ADDRESS_HOUR, 3600
    ):
        message = _("Too many sign-ups from your network. Try again later.")
        return _too_many(request, "members/signup.html", message, 3600)
    if request.method == "POST" and form.is_valid():
        member = form.save()
        _log_in(request, member)
        messages.success(request, _("Welcome to Emporium, %(name)s!") % {"name": member})
        return redirect(_next_url(request, default=resolve_url(settings.LOGIN_REDIRECT_URL)))
    next_url = _next_url(request, default="")
    return render(request, "members/signup.html", {"form": form, "next": next_url})


def roles(member: Member) -> list[str]:
    """Every member buys; a shop makes a seller; the developer flag opens the developer center."""
    found = [_("buyer")]
    if member.is_seller:
        found.append(_("seller"))
    if member.is_developer:
        found.append(_("developer"))
    return found


@login_required
def profile(request: MemberRequest) -> HttpResponse:
    member = request.user
    context = {
        "member": member,
        "roles": roles(member),
        "shop": getattr(member, "shop", None),
        "default_address": member.addresses.filter(is_default=True).first(),
    }
    return render(request, "members/profile.html", context)


@login_required
def profile_edit(request: MemberRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("members:profile")
    return render(request, "members/profile_edit.html", {"form": form})


@login_required
def address_list(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "members/address_list.html",
        {"addresses": list(request.user.addresses.all()), "limit": addresses.MAX_ADDRESSES},
    )


@login_required
def address_add(request: MemberRequest) -> HttpResponse:
    return _address_form(request, Address(member=request.user))


@login_required
def address_edit(request: MemberRequest, pk: int) -> HttpResponse:
    return _address_form(request, get_object_or_404(Address, pk=pk, member=request.user))


def _address_form(request: MemberRequest, address: Address) -> HttpResponse:
    form = AddressForm(request.POST or None, instance=address)
    if request.method == "POST" and form.is_valid():
        try:
            addresses.save_address(
                request.user, form.save(commit=False), make_default=form.cleaned_data["is_default"]
            )
        except addresses.AddressError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The address is saved."))
            return redirect("members:addresses")
    return render(request, "members/address_form.html", {"form": form, "address": address})


@login_required
def address_delete(request: MemberRequest, pk: int) -> HttpResponse:
    address = get_object_or_404(Address, pk=pk, member=request.user)
    if request.method == "POST":
        addresses.delete_address(address)
        messages.success(request, _("The address is deleted."))
        return redirect("members:addresses")
    return render(request, "members/address_confirm_delete.html", {"address": address})


@login_required
@require_POST
def address_default(request: MemberRequest, pk: int) -> HttpResponse:
    address = get_object_or_404(Address, pk=pk, member=request.user)
    addresses.set_default_address(address)
    messages.success(request, _("This is now your default address."))
    return redirect("members:addresses")
