"""The `territoria` command as an operator runs it: a real process, a throwaway folder."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def territoria(var_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "TASK_BACKEND"}
    }
    env["TERRITORIA_VAR_DIR"] = str(var_dir)
    return subprocess.run(
        [sys.executable, "-m", "territoria.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _count(database: Path, table: str) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


@pytest.mark.full_data
def test_demo_prepares_everything_and_a_second_run_keeps_the_data(tmp_path):
    """`territoria demo` imports the territories, creates the demo collectivités and
    logins and prints them; run again, it keeps what people changed in between."""
    first = territoria(tmp_path, "demo", "--no-serve")
    assert first.returncode == 0, first.stderr
    assert "agent.saint-amand-montrond@demo.test" in first.stdout
    assert "mot de passe de tous les comptes : demo-territoria" in first.stdout
    database = tmp_path / "territoria.sqlite3"
    assert _count(database, "territories_commune") == 34_969
    assert _count(database, "territories_epci") == 1_255
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE territories_collectivite SET description = 'Texte des élus' "
            "WHERE slug = 'niort'"
        )
    counts = {t: _count(database, t) for t in ("territories_collectivite", "accounts_user")}

    second = territoria(tmp_path, "demo", "--no-serve")
    assert second.returncode == 0, second.stderr
    assert {t: _count(database, t) for t in counts} == counts
    with sqlite3.connect(database) as connection:
        (description,) = connection.execute(
            "SELECT description FROM territories_collectivite WHERE slug = 'niort'"
        ).fetchone()
    assert description == "Texte des élus"


def test_restore_of_a_damaged_file_says_why_in_french(tmp_path):
    """`territoria restore` on a file that is not a backup exits 1 with a French
    message and no traceback."""
    damaged = tmp_path / "sauvegarde.tar.gz"
    damaged.write_bytes(b"ceci n'est pas une sauvegarde")
    result = territoria(tmp_path, "restore", str(damaged))
    assert result.returncode == 1
    assert result.stderr.startswith("Restauration impossible : ")
    assert "Traceback" not in result.stderr


def test_unknown_subcommand_shows_the_french_usage(tmp_path):
    """An unknown subcommand lists the available ones."""
    result = territoria(tmp_path, "inconnue")
    assert result.returncode == 2
    assert "import-territories" in result.stderr
