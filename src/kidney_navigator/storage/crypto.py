"""Encryption at rest for health records: AES-256-GCM with a key kept outside the database file.

Why: a copied or backed-up `navigator.db` must not reveal anyone's diagnosis. The key lives in its own file
(`$KIDNEY_NAV_KEY_FILE`, else `key` in the data folder, created owner-read-only) or comes from `$KIDNEY_NAV_KEY`
(base64, 32 bytes), so a user can keep it on another disk or in a password manager.
"""

from __future__ import annotations

import base64
import binascii
import os
import sqlite3
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kidney_navigator.storage.db import data_dir

PREFIX = "enc1:"
NONCE_BYTES = 12
KEY_BYTES = 32


class RecordsKeyError(Exception):
    """The key is missing, malformed or does not open this data (a clear message for the user)."""


def key_path(folder: Path | None = None) -> Path:
    """Where the key file lives: `$KIDNEY_NAV_KEY_FILE`, else `key` in the data folder (or `folder`)."""
    return Path(os.environ.get("KIDNEY_NAV_KEY_FILE") or (folder or data_dir()) / "key")


def database_folder(conn: sqlite3.Connection) -> Path | None:
    """The folder of the connection's main database file; None for an in-memory database."""
    row = conn.execute("PRAGMA database_list").fetchone()
    return Path(row[2]).parent if row and row[2] else None


def _decode_key(text: str, origin: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise RecordsKeyError(f"The encryption key in {origin} is not valid base64.") from exc
    if len(key) != KEY_BYTES:
        raise RecordsKeyError(f"The encryption key in {origin} must be {KEY_BYTES} bytes, not {len(key)}.")
    return key


def load_key(folder: Path | None = None, create: bool = True) -> bytes:
    """The records key: from the environment, else the key file (made on first use, mode 0600)."""
    env = os.environ.get("KIDNEY_NAV_KEY")
    if env:
        return _decode_key(env, "$KIDNEY_NAV_KEY")
    path = key_path(folder)
    if path.exists():
        return _decode_key(path.read_text(), str(path))
    if not create:
        raise RecordsKeyError(f"No encryption key at {path}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
    # O_EXCL: two processes starting at once must not each write a different key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _decode_key(path.read_text(), str(path))
    with os.fdopen(fd, "w") as handle:
        handle.write(base64.urlsafe_b64encode(key).decode("ascii"))
    return key


class Cipher:
    """Seals and opens text values; `name` binds each value to its row so values cannot be swapped."""

    def __init__(self, key: bytes | None = None, folder: Path | None = None) -> None:
        self.folder = folder
        self._aead = AESGCM(key if key is not None else load_key(folder))

    @classmethod
    def for_connection(cls, conn: sqlite3.Connection) -> Cipher:
        """The cipher for a database: its key sits in the same data folder unless the environment says otherwise."""
        return cls(folder=database_folder(conn))

    def seal(self, plaintext: str, context: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
        return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")

    def open(self, stored: str, context: str) -> str:
        """Plain text back; values written before encryption existed are returned as they are."""
        if not stored.startswith(PREFIX):
            return stored
        raw = base64.b64decode(stored[len(PREFIX):])
        try:
            return self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode("utf-8")).decode("utf-8")
        except InvalidTag as exc:
            raise RecordsKeyError(
                "Your saved records could not be opened with this encryption key. "
                f"Check that the key at {key_path(self.folder)} (or $KIDNEY_NAV_KEY) is the one used to save them."
            ) from exc
