"""The SDK's install, callback and webhook routes answer as the platform and the market expect."""

from emporium_sdk.errors import EmporiumError, WebhookVerificationError
from emporium_sdk.starlette import app_routes
from starlette.applications import Starlette
from starlette.testclient import TestClient

PLATFORM = "https://emporium.example"


def client(finish=lambda query: "shop-7", receive=lambda headers, body: None) -> TestClient:
    routes = app_routes(start_install=lambda: f"{PLATFORM}/oauth/authorize/?state=s1",
                        finish_install=finish, receive=receive, platform_url=PLATFORM + "/")  # fmt: skip
    return TestClient(Starlette(routes=routes), follow_redirects=False)


def test_install_sends_the_seller_to_authorize_and_the_callback_back_to_the_platform():
    answer = client().get("/install")
    assert answer.status_code == 302 and answer.headers["location"].endswith("state=s1")
    seen = []
    back = client(finish=lambda query: seen.append(query) or "shop-7").get(
        "/oauth/callback", params={"code": "c", "state": "s1"}
    )
    assert seen == [{"code": "c", "state": "s1"}]
    assert back.headers["location"] == f"{PLATFORM}/seller/market/installed/?installed=shop-7"


def test_a_failed_install_says_why_without_letting_the_reason_write_markup():
    def refuse(query):
        raise EmporiumError("<script>x</script> state expired")

    answer = client(finish=refuse).get("/oauth/callback", params={"state": "old"})
    assert answer.status_code == 400
    assert "&lt;script&gt;" in answer.text and "<script>" not in answer.text


def test_a_delivery_is_204_when_handled_and_400_with_the_reason_when_refused():
    got = []
    ok = client(receive=lambda headers, body: got.append(body)).post("/webhooks", content=b"{}")
    assert ok.status_code == 204 and got == [b"{}"]

    def forged(headers, body):
        raise WebhookVerificationError("bad signature")

    refused = client(receive=forged).post("/webhooks", content=b"{}")
    assert refused.status_code == 400 and "bad signature" in refused.text
    assert client().get("/webhooks").status_code == 405
