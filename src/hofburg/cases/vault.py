"""The identity vault's keys and its sealing: AES-GCM from the `cryptography` package.

Keys are kept per classification (`restricted` seals names; `strictly_confidential` seals
contacts, identity numbers, medical details and evidence originals) plus one `digest` key for
the keyed HMAC of identifiers. They come from `HOFBURG_CASES_KEYS` (the key lines themselves,
for deployments that inject secrets as environment variables) or from the key file
`HOFBURG_CASES_KEY_FILE` (default `var/cases.keys`, created with mode 0600 on first use). A key
line is `<purpose> <key id> <base64 of 32 bytes>`; the last line of a purpose is its active key,
earlier ones stay to open what they sealed (and the backups taken before a rotation).

Every ciphertext is bound to its place by the associated data (record, field, key id): a
sealed name copied onto another person's row does not open. The same keys seal the desk's
classified free text (`cases.sealed`) and the evidence files.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PURPOSES = ("restricted", "strictly_confidential", "digest")
NONCE_BYTES = 12


class VaultKeyError(RuntimeError):
    """The keys are missing, malformed or cannot open a sealed value."""


@dataclass
class Keyring:
    keys: dict[str, bytes] = field(default_factory=dict)  # key id → key
    active: dict[str, str] = field(default_factory=dict)  # purpose → key id
    source: str = "file"

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError as exc:
            raise VaultKeyError(f"the key {key_id} is not in the keyring") from exc

    def active_id(self, purpose: str) -> str:
        try:
            return self.active[purpose]
        except KeyError as exc:
            raise VaultKeyError(f"no {purpose} key in the keyring") from exc

    def seal(self, purpose: str, plaintext: bytes, context: str) -> tuple[str, bytes, bytes]:
        """(key id, nonce, ciphertext) of `plaintext` under the active key of `purpose`."""
        key_id = self.active_id(purpose)
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = AESGCM(self.keys[key_id]).encrypt(nonce, plaintext, _aad(context, key_id))
        return key_id, nonce, sealed

    def open(self, key_id: str, nonce: bytes | memoryview, ciphertext: bytes | memoryview,
             context: str) -> bytes:
        try:
            return AESGCM(self.key(key_id)).decrypt(bytes(nonce), bytes(ciphertext),
                                                     _aad(context, key_id))
        except InvalidTag as exc:
            raise VaultKeyError("a sealed value does not open: altered, moved or wrong key") \
                from exc

    def digest_key(self) -> bytes:
        return self.keys[self.active_id("digest")]


def _aad(context: str, key_id: str) -> bytes:
    return f"hofburg.cases|{context}|{key_id}".encode()


def parse_keys(text: str, source: str) -> Keyring:
    ring = Keyring(source=source)
    for number, raw in enumerate(text.replace(";", "\n").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 3 or parts[0] not in PURPOSES:
            raise VaultKeyError(f"{source} line {number}: expected '<purpose> <key id> <key>' "
                                f"with a purpose among {', '.join(PURPOSES)}")
        purpose, key_id, encoded = parts
        try:
            key = base64.b64decode(encoded, validate=True)
        except ValueError as exc:
            raise VaultKeyError(f"{source} line {number}: the key is not base64") from exc
        if len(key) != 32:
            raise VaultKeyError(f"{source} line {number}: a key is 32 bytes (AES-256)")
        if key_id in ring.keys and ring.keys[key_id] != key:
            raise VaultKeyError(f"{source} line {number}: key id {key_id} is used twice")
        ring.keys[key_id] = key
        ring.active[purpose] = key_id
    return ring


def new_key_line(purpose: str) -> str:
    key_id = f"{purpose[:3]}-{secrets.token_hex(6)}"
    return f"{purpose} {key_id} {base64.b64encode(secrets.token_bytes(32)).decode()}"


def key_file() -> Path:
    return Path(settings.CASES_KEY_FILE)


def load_keyring() -> Keyring:
    """The keys from the environment, else from the key file (made on first use)."""
    if settings.CASES_KEYS:
        ring = parse_keys(settings.CASES_KEYS, "HOFBURG_CASES_KEYS")
    else:
        path = key_file()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_private(path, "\n".join(new_key_line(p) for p in PURPOSES) + "\n")
        ring = parse_keys(path.read_text(), str(path))
    missing = [p for p in PURPOSES if p not in ring.active]
    if missing:
        raise VaultKeyError(f"{ring.source} holds no key for {', '.join(missing)}")
    return ring


def add_keys(purposes: tuple[str, ...]) -> Keyring:
    """Append a new active key for each purpose to the key file; refuse keys from the
    environment (the deployment's secret store owns them)."""
    if settings.CASES_KEYS:
        raise VaultKeyError("the keys come from HOFBURG_CASES_KEYS: add the new key lines "
                            "there (`hofburg cases rotate-keys --print`) and restart")
    load_keyring()  # makes the file if needed, checks it
    path = key_file()
    text = path.read_text()
    if not text.endswith("\n"):
        text += "\n"
    _write_private(path, text + "\n".join(new_key_line(p) for p in purposes) + "\n")
    return load_keyring()


def drop_keys(key_ids: set[str]) -> Keyring:
    """Remove these keys from the key file; an active key or a key from the environment is
    never removed. The caller checks first that nothing it holds is sealed under them."""
    if settings.CASES_KEYS:
        raise VaultKeyError("the keys come from HOFBURG_CASES_KEYS: remove the lines there")
    ring = load_keyring()
    if key_ids & set(ring.active.values()):
        raise VaultKeyError("an active key is not dropped")
    path = key_file()
    kept = [line for line in path.read_text().splitlines()
            if len(line.split()) != 3 or line.split()[1] not in key_ids]
    _write_private(path, "\n".join(kept) + "\n")
    return load_keyring()


def _write_private(path: Path, text: str) -> None:
    temporary = path.with_suffix(".new")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as stream:
        stream.write(text)
    temporary.replace(path)
