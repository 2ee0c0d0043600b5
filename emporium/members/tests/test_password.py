"""Password reset by email (Django's own views under our URLs and templates) and password change."""

import re

from django.core import mail
from django.urls import reverse

from emporium.conftest import PASSWORD

NEW_PASSWORD = "a-much-newer-passphrase-42"


def reset_link() -> str:
    return re.search(r"https?://[^/]+(/\S+)", mail.outbox[-1].body).group(1)


def test_the_reset_form_renders(client, db):
    response = client.get(reverse("members:password_reset"))
    assert response.status_code == 200
    assert "Reset your password" in response.content.decode()


def test_a_member_resets_their_password_through_the_emailed_link(client, buyer):
    response = client.post(reverse("members:password_reset"), {"email": "BOB@example.com"})
    assert response["Location"] == reverse("members:password_reset_done")
    assert "Check your email" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bob@example.com"]
    assert "\n" not in mail.outbox[0].subject

    form_page = client.get(reset_link(), follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("members:password_reset_complete")
    assert "Your password is set" in client.get(done["Location"]).content.decode()
    buyer.refresh_from_db()
    assert buyer.check_password(NEW_PASSWORD)


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, buyer):
    response = client.post(reverse("members:password_reset"), {"email": "nobody@example.com"})
    assert response["Location"] == reverse("members:password_reset_done")
    assert mail.outbox == []


def test_a_used_or_forged_link_says_it_no_longer_works(client, buyer):
    url = reverse("members:password_reset_confirm", args=["MQ", "bad-token"])
    response = client.get(url)
    assert response.status_code == 200
    assert "This link no longer works" in response.content.decode()


def test_a_weak_new_password_is_refused(client, buyer):
    client.post(reverse("members:password_reset"), {"email": "bob@example.com"})
    form_page = client.get(reset_link(), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "12345", "new_password2": "12345"}
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    buyer.refresh_from_db()
    assert buyer.check_password(PASSWORD)


def test_a_logged_in_member_changes_their_password(client, buyer):
    client.force_login(buyer)
    assert client.get(reverse("members:password_change")).status_code == 200
    response = client.post(
        reverse("members:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("members:password_change_done")
    assert client.get(response["Location"]).status_code == 200
    buyer.refresh_from_db()
    assert buyer.check_password(NEW_PASSWORD)


def test_changing_the_password_needs_the_old_one(client, buyer):
    client.force_login(buyer)
    response = client.post(
        reverse("members:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "old_password" in response.context["form"].errors
