import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _journal_mode_and_busy_timeout(env: dict[str, str]) -> list[str]:
    code = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    print(c.execute('PRAGMA journal_mode').fetchone()[0])\n"
        "    print(c.execute('PRAGMA busy_timeout').fetchone()[0])\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_it_runs_the_embedded_database_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "PILOTTI_VAR_DIR": str(tmp_path), "HTTPS": "off"}
    # The busy timeout is SQLITE_BUSY_TIMEOUT seconds, 5 unless set (docs/deployment.md): a
    # short wait, past which the person gets the 503 page (issue 28).
    assert _journal_mode_and_busy_timeout(env) == ["wal", "5000"]
    assert _journal_mode_and_busy_timeout({**env, "SQLITE_BUSY_TIMEOUT": "12"}) == ["wal", "12000"]
    # The secret key was generated beside the database, readable by its owner only.
    assert (tmp_path / "pilotti.sqlite3").exists()
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
