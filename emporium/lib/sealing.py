"""Seal short secrets at rest with Fernet (AES-128-CBC + HMAC-SHA256), keyed from a master secret."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

# A fixed label keeps this key apart from anything else derived from the same master secret.
_LABEL = b"emporium.sealing.v1"


class Unsealable(ValueError):
    """The box was sealed under another master secret, or it was tampered with."""


def _fernet(master: str) -> Fernet:
    key = hashlib.blake2b(master.encode(), key=_LABEL, digest_size=32).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(plain: str, master: str) -> str:
    return _fernet(master).encrypt(plain.encode()).decode("ascii")


def unseal(box: str, master: str) -> str:
    try:
        return _fernet(master).decrypt(box.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        raise Unsealable("the sealed value cannot be opened with this key") from None
