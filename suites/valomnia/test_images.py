"""imageFile (11.3, 11.4): jpg, gif, png or bmp up to 2 Mo, stored as the logo with resized copies.

Logos are fetched without the session: the link may point at another host, where the session
cookie has no business going. Sizes keep clear of the limit's ambiguity (2 Mo as 2,000,000 or as
2,097,152 bytes): 1,900,000 bytes must pass, 2,200,000 must not.
"""

from __future__ import annotations

import pytest

from accord.checks import body_of, expect_json, expect_status
from accord.vendors.valomnia.expect import expect_error

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" \
      b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"


def png(size: int = len(PNG)) -> tuple[str, bytes, str]:
    return ("accord-logo.png", PNG + b"\x00" * max(0, size - len(PNG)), "image/png")


@pytest.fixture(scope="module")
def with_logo(client):
    """A customer created with a logo (multipart), and the logo's bytes."""
    upload = png()
    response = client.create({"reference": client.reference("logo"), "name": f"{client.tag} logo", "imageFile": upload},
                             encoding="multipart")
    created = expect_json(response, 201) if response.status_code == 201 else expect_json(response, 200)
    return created, upload[1]


def resized(link: str, prefix: str) -> str:
    head, _, name = link.rpartition("/")
    return f"{head}/{prefix}{name}"


@pytest.mark.clause("valomnia.customers.create.image-upload")
def test_image_stored_as_logo(with_logo, target, client):
    created, data = with_logo
    logo = created.get("logo")
    assert isinstance(logo, str) and logo.startswith(("http://", "https://")), f"logo is {logo!r}, not a link to the image"
    fetched = target.session({}).get(client.resolve(logo))
    expect_status(fetched, 200)
    assert fetched.content == data, f"the logo link answers {len(fetched.content)} bytes, not the {len(data)} uploaded"


@pytest.mark.clause("valomnia.customers.show.resized-images")
def test_resized_copies(with_logo, target, client, verify):
    created, _ = with_logo
    logo = created.get("logo")
    if not isinstance(logo, str) or not logo.startswith(("http://", "https://")):
        pytest.skip("not applicable: the customer has no logo link (valomnia.customers.create.image-upload)")
    session = target.session({})
    for prefix in ("small_", "medium_"):
        with verify.clause("valomnia.customers.show.resized-images"):
            fetched = session.get(client.resolve(resized(logo, prefix)))
            assert fetched.status_code == 200 and fetched.content, f"{prefix} copy of the logo: {fetched.status_code}"


@pytest.mark.clause("valomnia.customers.create.image-size-limit")
def test_image_size_limit(client, with_logo, verify):
    created, _ = with_logo
    with verify.clause("valomnia.customers.create.image-size-limit"):
        response = client.update(created["id"], {"imageFile": png(2_200_000)}, encoding="multipart")
        expect_error(response, 400, "exceeded_file_size")
    with verify.clause("valomnia.customers.create.image-size-limit"):
        response = client.update(created["id"], {"imageFile": png(1_900_000)}, encoding="multipart")
        assert response.status_code in (200, 201), (
            f"an image of 1,900,000 bytes was refused: {response.status_code} {body_of(response)!r}")


@pytest.mark.clause("valomnia.customers.create.image-type")
def test_image_type(client):
    form = {"reference": client.reference(), "name": f"{client.tag} text logo",
            "imageFile": ("accord-logo.txt", b"not an image at all", "text/plain")}
    expect_error(client.create(form, encoding="multipart"), 400, "unsupported_file_type")
