"""Log-in and sign-up are throttled, so passwords cannot be guessed at speed nor accounts made in bulk."""

from django.urls import reverse

from emporium.conftest import PASSWORD

LOGIN = reverse("members:login")
SIGNUP = reverse("members:signup")


def log_in(client, username: str, password: str, address: str = "203.0.113.7"):
    data = {"username": username, "password": password}
    return client.post(LOGIN, data, REMOTE_ADDR=address)


def test_repeated_failed_logins_lock_the_name_even_with_the_right_password(client, buyer, settings):
    settings.LOGIN_FAILURES_PER_USER = 3
    for _ in range(3):
        assert log_in(client, "bob", "wrong").status_code == 200
    refused = log_in(client, "bob", PASSWORD, address="198.51.100.9")  # another address too
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Too many failed log-ins" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert log_in(client, "someone-else", "wrong").status_code == 200  # other names unaffected


def test_failed_logins_from_one_address_are_throttled_across_names(client, buyer, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 4
    for n in range(4):
        log_in(client, f"guess{n}", "wrong")
    assert log_in(client, "bob", PASSWORD).status_code == 429
    assert log_in(client, "bob", PASSWORD, address="198.51.100.9").status_code == 302


def test_a_forwarded_header_from_a_stranger_does_not_escape_the_address_limit(
    client, buyer, settings
):
    settings.LOGIN_FAILURES_PER_ADDRESS = 2
    for n in range(3):
        client.post(
            LOGIN, {"username": f"g{n}", "password": "x"}, REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}",
        )  # fmt: skip
    assert log_in(client, "bob", PASSWORD).status_code == 429


def test_sign_ups_from_one_address_are_throttled(client, settings, db):
    settings.SIGNUPS_PER_ADDRESS_HOUR = 2
    for n in range(2):
        client.post(SIGNUP, {"username": f"new{n}"}, REMOTE_ADDR="203.0.113.8")
    refused = client.post(
        SIGNUP,
        {
            "username": "new9",
            "email": "n@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        REMOTE_ADDR="203.0.113.8",
    )
    assert refused.status_code == 429 and "Too many sign-ups" in refused.content.decode()
    from emporium.members.models import Member

    assert not Member.objects.filter(username="new9").exists()
