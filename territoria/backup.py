"""Backups of the whole instance, and their restoration.

A backup is one `.tar.gz` bundle holding:

- `manifest.json`: format version, database engine, applied Django migrations,
  the stored folders, sha256 and size of every other part, creation date;
- `database.sqlite3` (a copy made with SQLite's online backup API) or
  `database.dump` (`pg_dump --format=custom`);
- `secret_key`: the SECRET_KEY in use, which keys voting codes, census hashes and
  the links sent by e-mail;
- `files/<SETTING>.tar`, one per stored folder (`stored_folders()`): public media,
  private report photos, open-data files and whatever else is kept in VAR_DIR.

With a passphrase the bundle is encrypted as a whole (`encryption.py`). Restoring a
bundle is `restore.py`.
"""

import hashlib
import json
import os
import re
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

import django
from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from territoria import encryption

FORMAT = "territoria-backup"
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
SECRET_KEY_PART = "secret_key"  # noqa: S105 (a part name, not a key)
DATABASE_PARTS = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
FILES_PART = re.compile(r"^files/([A-Z][A-Z0-9_]*)\.tar$")
# Settings that name folders without instance data: code, and static files that
# bin/bootstrap collects again.
NOT_DATA = frozenset({"BASE_DIR", "PROJECT_DIR", "TERRITORIA_DATA_DIR", "STATIC_ROOT"})
# Folders of VAR_DIR that are not data: the backups themselves, bin/bootstrap's tools,
# test screenshots; its hidden entries are left out too.
VAR_NOT_DATA = ("backups", "tools", "screenshots")
# Our own working folders (".territoria-backup-…", ".territoria-restore-…").
WORK_PREFIX = ".territoria-"


class BackupError(Exception):
    """A backup or restore that could not be done; `message` is for people, `code` for machines."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class RestoreError(BackupError):
    """A restore refused or failed; the current database and files are left as they were."""


def stored_folders() -> dict[str, Path]:
    """Every folder of files the instance keeps, by the setting that names it.

    Any setting ending in _ROOT, _DIR or _FILE_PATH is a folder to save unless it is in
    NOT_DATA, so a new storage is saved without being listed here; VAR_DIR stands for
    the rest of what the instance writes there (demo letters, mail files…).
    """
    code = Path(settings.BASE_DIR).resolve()
    folders = {}
    for name in dir(settings):
        if name.isupper() and name.endswith(("_ROOT", "_DIR", "_FILE_PATH")):
            value = getattr(settings, name)
            if name not in NOT_DATA and isinstance(value, str | Path) and str(value):
                path = Path(value).resolve()
                # Files shipped with the code are never restored over it.
                if not path.is_relative_to(code):
                    folders[name] = path
    return dict(sorted(folders.items()))


def _not_data(connection) -> set[Path]:
    """Paths inside the stored folders that are never saved nor replaced."""
    var_dir = Path(settings.VAR_DIR).resolve()
    paths = {Path(settings.STATIC_ROOT).resolve(), var_dir / "secret_key"}
    paths.update(var_dir / name for name in VAR_NOT_DATA)
    if var_dir.is_dir():
        # VAR_DIR is the system user's home in production: .ssh, .cache (uv)…
        paths.update(item for item in var_dir.iterdir() if item.name.startswith("."))
    if connection.vendor == "sqlite":
        database = Path(connection.settings_dict["NAME"]).resolve()
        paths.update(
            database.with_name(database.name + suffix)
            for suffix in ("", "-wal", "-shm", "-journal")
        )
    return paths


def skipped_inside(root: Path, folders: dict[str, Path], connection) -> set[Path]:
    """What `root` holds that is saved elsewhere or not at all: the other folders, caches."""
    others = {path for path in folders.values() if path != root}
    return {
        path
        for path in others | _not_data(connection)
        if path.is_relative_to(root) and path != root
    }


def backup(
    path: Path | None = None, *, passphrase: str | None = None, using: str = "default"
) -> Path:
    """Write a backup bundle and return its path.

    `path` may be a file name or an existing folder; by default the bundle goes
    to `VAR_DIR/backups/territoria-YYYYmmdd-HHMMSS.tar.gz` (`.tar.gz.chiffre` when
    encrypted with `passphrase`).
    """
    connection = connections[using]
    engine = engine_of(connection)
    target = _target_path(Path(path) if path else None, encrypted=bool(passphrase))
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"{WORK_PREFIX}backup-", dir=target.parent) as tmp:
        workdir = Path(tmp)
        database = workdir / DATABASE_PARTS[engine]
        if engine == "sqlite":
            _dump_sqlite(connection, database)
        else:
            _dump_postgresql(connection, database)
        secret = workdir / SECRET_KEY_PART
        secret.write_text(settings.SECRET_KEY)
        (workdir / "files").mkdir()
        folders = stored_folders()
        counts = {}
        parts = [database, secret]
        for name, root in folders.items():
            part = workdir / "files" / f"{name}.tar"
            counts[name] = _pack_folder(root, skipped_inside(root, folders, connection), part)
            parts.append(part)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "engine": engine,
            "created_at": timezone.now().isoformat(),
            "django_version": django.get_version(),
            "migrations": applied_migrations(connection),
            "folders": counts,
            "files": {str(part.relative_to(workdir)): fingerprint(part) for part in parts},
        }
        (workdir / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        partial = workdir / "bundle.tar.gz"
        with tarfile.open(partial, "w:gz", compresslevel=6) as bundle:
            for name in (MANIFEST, *manifest["files"]):
                bundle.add(workdir / name, arcname=name, recursive=False)
        if passphrase:
            encrypted = workdir / "bundle.chiffre"
            encryption.encrypt_file(partial, encrypted, passphrase)
            partial = encrypted
        partial.chmod(0o600)
        os.replace(partial, target)
    return target


# Writing a bundle.


def engine_of(connection, error: type[BackupError] = BackupError) -> str:
    if connection.vendor not in DATABASE_PARTS:
        raise error(
            "unsupported_engine",
            _(
                "Les sauvegardes ne prennent en charge que SQLite et PostgreSQL (base "
                "configurée : %(vendor)s)."
            )
            % {"vendor": connection.vendor},
        )
    return connection.vendor


def _target_path(path: Path | None, *, encrypted: bool) -> Path:
    suffix = ".tar.gz.chiffre" if encrypted else ".tar.gz"
    name = f"territoria-{timezone.localtime():%Y%m%d-%H%M%S}{suffix}"
    if path is None:
        path = Path(settings.VAR_DIR) / "backups" / name
    elif path.is_dir():
        path = path / name
    if path.name == name and path.exists():
        # Two backups within the same second: keep both.
        path = path.with_name(f"territoria-{datetime.now():%Y%m%d-%H%M%S-%f}{suffix}")
    return path


def _dump_sqlite(connection, destination: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(destination)
    try:
        # The online backup API copies a consistent snapshot while others keep writing.
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        result = copy.execute("PRAGMA integrity_check").fetchall()
    finally:
        copy.close()
    if result != [("ok",)]:
        raise BackupError(
            "integrity_check_failed",
            _("La copie de la base SQLite est corrompue (%(detail)s) : sauvegarde abandonnée.")
            % {"detail": "; ".join(row[0] for row in result[:3])},
        )


def postgresql_env(connection) -> dict[str, str]:
    """libpq variables for the connection: the password never appears on a command line."""
    params = connection.settings_dict
    options = params.get("OPTIONS") or {}
    values = {
        "PGHOST": params.get("HOST"),
        "PGPORT": params.get("PORT"),
        "PGUSER": params.get("USER"),
        "PGPASSWORD": params.get("PASSWORD"),
        "PGDATABASE": params.get("NAME"),
        "PGSERVICE": options.get("service"),
        "PGPASSFILE": options.get("passfile"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
    }
    return {**os.environ, **{key: str(value) for key, value in values.items() if value}}


def run_postgresql_tool(
    args: list[str], connection, error: type[BackupError], code: str, message: str
):
    try:
        result = subprocess.run(  # noqa: S603
            args, env=postgresql_env(connection), capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise error(
            "postgresql_client_missing",
            _("La commande %(command)s est introuvable : installez le paquet postgresql-client.")
            % {"command": args[0]},
        ) from None
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()[-1:] or [str(result.returncode)]
        raise error(code, f"{message} ({detail[0]})")
    return result


def _dump_postgresql(connection, destination: Path) -> None:
    run_postgresql_tool(
        ["pg_dump", "--format=custom", f"--file={destination}"],
        connection,
        BackupError,
        "pg_dump_failed",
        _("pg_dump n'a pas pu sauvegarder la base PostgreSQL"),
    )


def _pack_folder(root: Path, skipped: set[Path], destination: Path) -> int:
    """Archive `root` under the name `files/`, leaving out `skipped`; returns the file count."""
    count = 0
    with tarfile.open(destination, "w") as archive:
        for item in _walk(root, skipped):
            archive.add(item, arcname=f"files/{item.relative_to(root)}", recursive=False)
            count += item.is_file()
    return count


def _walk(root: Path, skipped: set[Path]):
    """Folders and files under `root`, parents first, without `skipped` nor our work folders."""
    if not root.is_dir():
        return
    for item in sorted(root.iterdir()):
        if item in skipped or item.name.startswith(WORK_PREFIX):
            continue
        if item.is_symlink() or not (item.is_file() or item.is_dir()):
            continue
        yield item
        if item.is_dir():
            yield from _walk(item, skipped)


def applied_migrations(connection) -> list[str]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def fingerprint(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return {"sha256": digest.hexdigest(), "size": path.stat().st_size}
