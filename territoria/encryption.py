"""Files encrypted with a passphrase, for backups kept off the server.

The key comes from the passphrase through scrypt (a random salt per file); the
content is cut into 1 MiB chunks, each sealed with AES-256-GCM (the `cryptography`
library) under the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár
(2015), as in age and Tink: the nonce is the chunk's number and a last-chunk flag,
so chunks cannot be reordered, dropped or cut off unnoticed. Memory stays flat
whatever the file's size.

Layout: MAGIC, 16-byte salt, then the sealed chunks (each 16 bytes longer than its
plain text); the header is authenticated with every chunk.
"""

import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"TERRITORIA-CHIFFRE-1\n"
SALT_BYTES = 16
CHUNK = 1 << 20
TAG = 16
# scrypt cost: 2^15 × 8 × 128 bytes = 32 MiB and about 0.1 s per derivation.
SCRYPT = {"n": 1 << 15, "r": 8, "p": 1}


class DecryptionError(Exception):
    """Wrong passphrase, or a file damaged or cut off."""


def is_encrypted(path: Path) -> bool:
    with Path(path).open("rb") as stream:
        return stream.read(len(MAGIC)) == MAGIC


def _cipher(passphrase: str, salt: bytes) -> AESGCM:
    key = Scrypt(salt=salt, length=32, **SCRYPT).derive(passphrase.encode())
    return AESGCM(key)


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def encrypt_file(source: Path, target: Path, passphrase: str) -> None:
    salt = os.urandom(SALT_BYTES)
    header = MAGIC + salt
    cipher = _cipher(passphrase, salt)
    with Path(source).open("rb") as plain, Path(target).open("wb") as sealed:
        sealed.write(header)
        counter = 0
        chunk = plain.read(CHUNK)
        while True:
            following = plain.read(CHUNK)
            last = not following
            sealed.write(cipher.encrypt(_nonce(counter, last), chunk, header))
            if last:
                return
            chunk, counter = following, counter + 1


def decrypt_file(source: Path, target: Path, passphrase: str) -> None:
    """Decrypt `source` into `target`; raises DecryptionError (target then incomplete)."""
    with Path(source).open("rb") as sealed, Path(target).open("wb") as plain:
        header = sealed.read(len(MAGIC) + SALT_BYTES)
        if len(header) != len(MAGIC) + SALT_BYTES or not header.startswith(MAGIC):
            raise DecryptionError
        cipher = _cipher(passphrase, header[len(MAGIC) :])
        counter = 0
        chunk = sealed.read(CHUNK + TAG)
        while True:
            following = sealed.read(CHUNK + TAG)
            last = not following
            try:
                plain.write(cipher.decrypt(_nonce(counter, last), chunk, header))
            except InvalidTag:
                raise DecryptionError from None
            if last:
                return
            chunk, counter = following, counter + 1
