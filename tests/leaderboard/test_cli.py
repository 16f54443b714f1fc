"""``valuecompass leaderboard export|serve`` through the real entry point."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import psutil

from valuecompass.cli.leaderboard import _is_loopback


def test_export_command(cli, scripted_store: Path, tmp_path: Path) -> None:
    result = cli("leaderboard", "export", "--store", str(scripted_store), "--out", str(tmp_path / "site"))
    assert result.exit_code == 0, result.stderr
    assert "119 pages" in result.stdout and (tmp_path / "site" / "index.html").is_file()


def test_export_errors_are_printed_without_traceback(cli, tmp_path: Path) -> None:
    result = cli("leaderboard", "export", "--store", str(tmp_path / "none.sqlite"), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1 and "error: no store at" in result.stderr and "Traceback" not in result.stderr
    assert "fix:" in result.stderr


def test_loopback_detection() -> None:
    assert _is_loopback("127.0.0.1") and _is_loopback("localhost") and _is_loopback("::1")
    assert not _is_loopback("0.0.0.0") and not _is_loopback("192.168.1.4") and not _is_loopback("example.org")


def test_serve_binds_to_loopback_and_serves(scripted_store: Path) -> None:
    exe = Path(sys.executable).with_name("valuecompass")
    proc = subprocess.Popen([str(exe), "leaderboard", "serve", "--store", str(scripted_store), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "COLUMNS": "300"})
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # printed once the socket listens
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line
        body = urllib.request.urlopen(url.group(0), timeout=30).read().decode()
        assert "fake/kind" in body
        listening = [c for c in psutil.Process(proc.pid).net_connections() if c.status == "LISTEN"]
        assert listening and all(c.laddr.ip == "127.0.0.1" for c in listening)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_reports_a_taken_port(cli, scripted_store: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        result = cli("leaderboard", "serve", "--store", str(scripted_store), "--port", str(taken.getsockname()[1]))
    assert result.exit_code == 1 and "cannot listen on 127.0.0.1" in result.stderr


def test_export_with_a_custom_profile_file(cli, scripted_store: Path, tmp_path: Path) -> None:
    profile = tmp_path / "team.yaml"
    profile.write_text("id: team\nname: Team\nsystem: mft\nweights: {care: 1, loyalty: 2}\n", encoding="utf-8")
    result = cli("leaderboard", "export", "--store", str(scripted_store), "--out", str(tmp_path / "s"),
                 "--profile", str(profile))
    assert result.exit_code == 0, result.stderr
    assert '"id":"team"' in (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    bad = cli("leaderboard", "export", "--store", str(scripted_store), "--out", str(tmp_path / "t"),
              "--profile", "no-such-profile")
    assert bad.exit_code != 0 and "unknown profile 'no-such-profile'" in bad.stderr
