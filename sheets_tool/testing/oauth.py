"""Google's OAuth 2.0 token endpoint for service accounts (the JWT bearer grant,
RFC 7523), with the signature of every assertion checked against the key it issued.

Error answers are Google's: the token endpoint's ``{"error": "invalid_grant",
"error_description": "Invalid JWT Signature."}`` (400), which google-auth raises as
``RefreshError``; the APIs' 401 UNAUTHENTICATED for a missing, unknown or expired
token, and 403 PERMISSION_DENIED "Request had insufficient authentication scopes."
(reason ACCESS_TOKEN_SCOPE_INSUFFICIENT) when the token's scopes do not cover the call.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
AUTH = "https://www.googleapis.com/auth/"
# which scopes grant what (Google's "OAuth 2.0 Scopes for Google APIs")
_READ = {
    "sheets": ("spreadsheets", "spreadsheets.readonly", "drive", "drive.readonly", "drive.file"),
    "drive": ("drive", "drive.readonly", "drive.metadata.readonly", "drive.metadata", "drive.file"),
}
_WRITE = {
    "sheets": ("spreadsheets", "drive", "drive.file"),
    "drive": ("drive", "drive.file"),
}
UNAUTHENTICATED = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project."
)
SHORT_LIVED = (
    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
    "timeframe. Check your iat and exp values in the JWT claim."
)


def scopes_for(api: str, *, write: bool) -> tuple[str, ...]:
    """The scopes any one of which lets a token make such a call."""
    return tuple(AUTH + s for s in (_WRITE if write else _READ)[api])


@dataclass
class _Key:
    email: str
    public: Any
    revoked: bool = False


@dataclass
class _Token:
    email: str
    scopes: frozenset[str]
    expires: float


def _b64(data: str) -> bytes:
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def _refusal(code: int, message: str, **extra: Any) -> tuple[int, dict[str, Any]]:
    status = {401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED"}[code]
    return code, {"error": {"code": code, "message": message, "status": status, **extra}}


class Accounts:
    """Service-account keys issued here, and the access tokens exchanged for them."""

    def __init__(
        self, token_uri: str, *, lifetime: int = 3600, clock: Callable[[], float] = time.time
    ) -> None:
        self.token_uri = token_uri
        self.lifetime = lifetime
        self.clock = clock
        self._keys: dict[str, _Key] = {}
        self._tokens: dict[str, _Token] = {}
        self._lock = threading.Lock()

    def issue(self, name: str = "sheets-tool", project: str = "so-tt-test") -> dict[str, str]:
        """A service-account key as the Cloud console downloads it (a fresh RSA key)."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        kid = secrets.token_hex(20)
        email = f"{name}@{project}.iam.gserviceaccount.com"
        with self._lock:
            self._keys[kid] = _Key(email, private.public_key())
        return {
            "type": "service_account",
            "project_id": project,
            "private_key_id": kid,
            "private_key": pem,
            "client_email": email,
            "client_id": str(secrets.randbelow(10**21)),
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": self.token_uri,
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/"
            + email.replace("@", "%40"),
            "universe_domain": "googleapis.com",
        }

    def write_key(self, path: Path, **kw: str) -> Path:
        path = Path(path)
        path.write_text(json.dumps(self.issue(**kw), indent=2), encoding="utf-8")
        return path

    def revoke(self, email: str) -> None:
        with self._lock:
            for key in self._keys.values():
                if key.email == email:
                    key.revoked = True

    def expire_tokens(self) -> None:
        with self._lock:
            for token in self._tokens.values():
                token.expires = 0

    def scopes_of(self, token: str) -> frozenset[str]:
        with self._lock:
            found = self._tokens.get(token)
            return found.scopes if found else frozenset()

    # -- the token endpoint ------------------------------------------------------

    def token(self, form: Mapping[str, str]) -> tuple[int, dict[str, Any]]:
        if form.get("grant_type") != GRANT:
            return 400, {
                "error": "unsupported_grant_type",
                "error_description": "Invalid grant_type: " + str(form.get("grant_type", "")),
            }
        try:
            head_b64, claims_b64, sig_b64 = str(form.get("assertion", "")).split(".")
            head = json.loads(_b64(head_b64))
            claims = json.loads(_b64(claims_b64))
            signature = _b64(sig_b64)
        except (ValueError, TypeError):
            return 400, {"error": "invalid_grant", "error_description": "Invalid JWT."}
        with self._lock:
            key = self._keys.get(str(head.get("kid", "")))
        if key is None or key.revoked or claims.get("iss") != key.email:
            return 400, {
                "error": "invalid_grant",
                "error_description": "Invalid grant: account not found",
            }
        if head.get("alg") != "RS256" or not _verified(key.public, head_b64, claims_b64, signature):
            return 400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
        now = self.clock()
        iat, exp = float(claims.get("iat", 0)), float(claims.get("exp", 0))
        if exp - iat > 3600 or exp < now - 300 or iat > now + 300:
            return 400, {"error": "invalid_grant", "error_description": SHORT_LIVED}
        # google-auth signs for Google's own endpoint whatever the key's token_uri
        if claims.get("aud") not in (self.token_uri, GOOGLE_TOKEN_URI):
            return 400, {
                "error": "invalid_grant",
                "error_description": "Invalid JWT: Failed audience check. The right audience is "
                + GOOGLE_TOKEN_URI,
            }
        scopes = frozenset(str(claims.get("scope", "")).split())
        if not scopes:
            return 400, {
                "error": "invalid_scope",
                "error_description": "Empty or missing scope not allowed.",
            }
        token = "ya29." + secrets.token_urlsafe(48)
        with self._lock:
            self._tokens[token] = _Token(key.email, scopes, now + self.lifetime)
        return 200, {"access_token": token, "expires_in": self.lifetime, "token_type": "Bearer"}

    # -- the APIs' check -----------------------------------------------------------

    def caller(
        self, authorization: str | None, scope_needed: str | Iterable[str]
    ) -> tuple[str, None] | tuple[None, tuple[int, dict[str, Any]]]:
        """Who a request's ``Authorization`` header authenticates, or Google's refusal."""
        needed = {scope_needed} if isinstance(scope_needed, str) else set(scope_needed)
        kind, _, value = (authorization or "").partition(" ")
        with self._lock:
            token = self._tokens.get(value) if kind.lower() == "bearer" else None
        if token is None or token.expires <= self.clock():
            return None, _refusal(401, UNAUTHENTICATED)
        if not token.scopes & needed:
            return None, _refusal(
                403,
                "Request had insufficient authentication scopes.",
                details=[
                    {
                        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                        "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                        "domain": "googleapis.com",
                    }
                ],
            )
        return token.email, None


def _verified(public: Any, head_b64: str, claims_b64: str, signature: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    try:
        public.verify(
            signature, f"{head_b64}.{claims_b64}".encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except InvalidSignature:
        return False
    return True
