"""The shop design and the picture space through the SDK against the live platform."""

import pytest
from emporium_sdk import UnprocessableEntityError
from emporium_sdk.models import SectionIn

from emporium.conftest import picture_bytes

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_a_picture_is_uploaded_and_a_design_showing_it_published(client, shop, live_server):
    picture = client.pictures.upload(
        picture_bytes(size=(400, 160)), folder="banners", filename="b.png"
    )
    assert picture.folder == "banners"
    assert [p.id for p in client.pictures.list(folder="banners")] == [picture.id]
    banner = SectionIn(type="banner", settings={"picture": picture.key, "heading": "Hello"})
    draft = client.design.save_draft(sections=[banner])
    assert draft.sections[0].settings["picture"] == picture.key
    version = client.design.publish()
    assert (version.number, version.live) == (1, True)
    assert [v.number for v in client.design.list_versions()] == [1]
    usage = client.pictures.usage(picture.id)
    assert {d.where for d in usage.designs} == {"draft", "live"}
    with pytest.raises(UnprocessableEntityError) as caught:
        client.design.save_draft(sections=[SectionIn(type="item_grid", settings={"columns": 99})])
    assert caught.value.field == "sections.0.settings.columns"
