"""A fast salted hash for client secrets: they are long random strings, not human passwords.

Django's default PBKDF2 (a million rounds, ~0.25 s of CPU) slows down guessing of low-entropy
passwords; a 128-character random secret cannot be guessed, so stretching it only makes every
token, refresh, revocation and introspection request that much slower. django-oauth-toolkit
hashes with OAUTH2_PROVIDER["CLIENT_SECRET_HASHER"], which names this hasher.
"""

import hashlib

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_noop as _


class ClientSecretHasher(BasePasswordHasher):
    algorithm = "client_secret_sha256"

    def encode(self, password: str, salt: str) -> str:
        # Django's own argument check (BasePasswordHasher._check_encode_args, a private method).
        if password is None:
            raise TypeError("password must be provided.")
        if not salt or "$" in salt:
            raise ValueError("salt must be provided and cannot contain $.")
        digest = hashlib.sha256(f"{salt}${password}".encode()).hexdigest()
        return f"{self.algorithm}${salt}${digest}"

    def decode(self, encoded: str) -> dict:
        algorithm, salt, digest = encoded.split("$", 2)
        assert algorithm == self.algorithm
        return {"algorithm": algorithm, "hash": digest, "salt": salt}

    def verify(self, password: str, encoded: str) -> bool:
        decoded = self.decode(encoded)
        return constant_time_compare(encoded, self.encode(password, decoded["salt"]))

    def safe_summary(self, encoded: str) -> dict:
        decoded = self.decode(encoded)
        return {
            _("algorithm"): decoded["algorithm"],
            _("salt"): mask_hash(decoded["salt"], show=2),
            _("hash"): mask_hash(decoded["hash"]),
        }

    def harden_runtime(self, password: str, encoded: str) -> None:
        pass  # one round whatever the stored hash: nothing to even out
