"""Secret links without login (calendar feeds, "can't come" pages). Pure rules.

A token is derived from the app secret and a random salt kept in the database; only its SHA-256 is
stored. A stolen database does not give the links, yet a coordinator can print the same feed link
again on a schedule card (the phone keeps its subscription), and revoking means a new salt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets


def new_salt() -> str:
    return secrets.token_hex(16)


def derive_token(secret: str, kind: str, salt: str) -> str:
    digest = hmac.new(secret.encode(), f"{kind}:{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")  # 43 characters, like token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(token: str) -> bool:
    return len(token) == 43 and all(c.isalnum() or c in "-_" for c in token)
