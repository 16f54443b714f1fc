"""Only valuecompass stores are opened; others are left untouched; damaged and read-only stores are said so."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from valuecompass.errors import StoreError
from valuecompass.store import RunRecord, Store
from valuecompass.store._identify import APPLICATION_ID


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_store_carries_the_application_id(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite"):
        pass
    conn = sqlite3.connect(tmp_path / "s.sqlite")
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_another_programs_database_is_refused_untouched(tmp_path: Path, cli) -> None:
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO invoices VALUES (1, 9.5)")
    conn.commit()
    conn.close()
    before = _digest(other)
    with pytest.raises(StoreError, match="another program.*left untouched"):
        Store(other)
    for args in (["runs", "list"], ["scores", "run-x"], ["run", "--fixed", "-m", "fake/echo", "-d", "power", "-n", "1"]):
        res = cli(*args, "--store", str(other))
        assert res.exit_code != 0 and "not a valuecompass store" in res.stderr and "Traceback" not in res.stderr
    assert _digest(other) == before and not Path(str(other) + "-wal").exists()


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.sqlite"
    text.write_text("just some notes\n" * 10)
    with pytest.raises(StoreError, match="not an SQLite database"):
        Store(text)
    assert text.read_text() == "just some notes\n" * 10


def test_a_store_from_before_the_id_is_recognised_and_marked(tmp_path: Path) -> None:
    path = tmp_path / "legacy.sqlite"
    with Store(path) as store:
        store.open_run(RunRecord(run_id="run-old", model_spec="fake/m"))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 0")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.get_run("run-old").model_spec == "fake/m"
    assert sqlite3.connect(path).execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def _damage(path: Path) -> None:
    with Store(path) as store:
        for n in range(300):
            store.open_run(RunRecord(run_id=f"run-{n:04d}", model_spec="fake/m", config={"pad": "x" * 400}))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(3 * page, min(len(data), 12 * page), page):  # overwrite a few table pages
        data[offset + 8: offset + 200] = os.urandom(192)
    path.write_bytes(bytes(data))


def test_a_damaged_store_is_said_to_be_damaged_and_not_written(tmp_path: Path, cli) -> None:
    path = tmp_path / "broken.sqlite"
    _damage(path)
    before = _digest(path)
    res = cli("run", "--fixed", "--no-judge", "-m", "fake/echo", "-d", "power", "-n", "1", "--store", str(path))
    assert res.exit_code != 0 and "damaged" in res.stderr and "store check" in res.stderr
    assert "Traceback" not in res.stderr and _digest(path) == before
    check = cli("store", "check", "--store", str(path))
    assert check.exit_code != 0 and "damaged" in check.stderr and ".recover" in check.stderr


def test_store_check_on_a_sound_store(tmp_path: Path, cli) -> None:
    with Store(tmp_path / "s.sqlite"):
        pass
    res = cli("store", "check", "--store", str(tmp_path / "s.sqlite"), "--json")
    assert res.exit_code == 0 and res.json()["ok"] is True


@pytest.fixture
def read_only_store(tmp_path: Path):
    """A store in a folder this process cannot write: a read-only bind mount as root, else permissions."""
    import subprocess

    folder, view = tmp_path / "rw", tmp_path / "ro"
    folder.mkdir()
    view.mkdir()
    with Store(folder / "s.sqlite") as store:
        store.open_run(RunRecord(run_id="run-ro", model_spec="fake/m"))
    if os.geteuid() == 0:
        ok = subprocess.run(["mount", "--bind", str(folder), str(view)], capture_output=True).returncode == 0 and \
            subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], capture_output=True).returncode == 0
        if not ok:
            subprocess.run(["umount", "-l", str(view)], capture_output=True)
            pytest.skip("cannot make a read-only mount here")
        try:
            yield view / "s.sqlite"
        finally:
            subprocess.run(["umount", "-l", str(view)], capture_output=True)
    else:
        (folder / "s.sqlite").chmod(stat.S_IRUSR)
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
        try:
            yield folder / "s.sqlite"
        finally:
            folder.chmod(stat.S_IRWXU)


def test_a_read_only_store_can_still_be_read(read_only_store: Path, cli) -> None:
    res = cli("runs", "list", "--store", str(read_only_store), "--json")
    assert res.exit_code == 0, res.stderr
    assert res.json()[0]["run"]["run_id"] == "run-ro"
    write = cli("run", "--fixed", "--no-judge", "-m", "fake/echo", "-d", "power", "-n", "1", "--store",
                str(read_only_store))
    assert write.exit_code != 0 and "read-only" in write.stderr and "another process" not in write.stderr
