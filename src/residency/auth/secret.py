"""The JWT signing key: `JWT_SECRET`, or in development one generated and kept on disk.

Never a built-in default. With SQLite and no `JWT_SECRET`, the key is generated once and
kept in `<database file>.jwt-secret` (mode 0600), so tokens survive restarts. Elsewhere
(PostgreSQL, in-memory SQLite) an unset key is generated per process with a warning:
tokens then stop working at restart and are not shared between processes, so production
sets `JWT_SECRET`.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from residency.auth.tokens import new_secret
from residency.config import Settings

log = logging.getLogger(__name__)


def resolve_jwt_secret(settings: Settings) -> str:
    """Blocking (file I/O): call it off the event loop."""
    if settings.jwt_secret is not None:
        return settings.jwt_secret.get_secret_value()
    database = settings.sqlite_path()
    if database is None:
        log.warning("JWT_SECRET is unset: signing with a per-process key (set it in production)")
        return new_secret()
    return _kept_secret(database.with_name(f"{database.name}.jwt-secret"))


def _kept_secret(path: Path) -> str:
    """The key in `path`, created (readable by the owner only) when missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    secret = new_secret()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secret)
    log.info("generated a JWT signing key in %s", path)
    return secret


def _read_secret(path: Path) -> str:
    secret = path.read_text().strip()
    if len(secret) < 32:
        raise RuntimeError(f"{path} holds no usable JWT key; delete it or set JWT_SECRET")
    return secret
