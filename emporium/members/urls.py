"""URLs of the member pages: account, log-in and out, password reset, profile and addresses."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from emporium.members import views

app_name = "members"

# Django's own password views, pointed at our namespaced URLs and our templates (the admin's
# registration/ templates would otherwise win, as django.contrib.admin is listed first).
password_urls = [
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="members/password_change_form.html",
            success_url=reverse_lazy("members:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="members/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="members/password_reset_form.html",
            email_template_name="members/email/password_reset.txt",
            subject_template_name="members/email/password_reset_subject.txt",
            success_url=reverse_lazy("members:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="members/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="members/password_reset_confirm.html",
            success_url=reverse_lazy("members:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="members/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("", views.profile, name="profile"),
    path("edit/", views.profile_edit, name="profile_edit"),
    path("addresses/", views.address_list, name="addresses"),
    path("addresses/new/", views.address_add, name="address_add"),
    path("addresses/<int:pk>/edit/", views.address_edit, name="address_edit"),
    path("addresses/<int:pk>/delete/", views.address_delete, name="address_delete"),
    path("addresses/<int:pk>/default/", views.address_default, name="address_default"),
    *password_urls,
]
