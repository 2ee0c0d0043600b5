"""What the books app's browser tests share: the seller opening Books in the seller center."""

from django.urls import reverse

from emporium.conftest import PASSWORD


def open_books(page, seller):
    """The seller logs in through the form, opens Books from her installed apps: its frame."""
    page.goto(reverse("members:login") + "?next=" + reverse("market:installed"))
    page.get_by_label("Username").fill(seller.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Open").first.click()
    return page.frame_locator("[data-testid=embedded-app]")
