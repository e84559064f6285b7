"""A server that accepts the connection and never answers (issue 14, section 4): every command
gives up after ``connect_timeout`` with one line, exit 2; the handshake's reads are bounded too
(a server that stops half-way). Once connected, no read timeout applies unless ``read_timeout``
is set, so a long migration statement is never cut short by default."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.kit.chain import version_rows, write_rev
from tests.kit.cli import run_process

#: the start of a MySQL handshake packet (length 0x4a, sequence 0, protocol 10), then silence
PARTIAL_HANDSHAKE = b"\x4a\x00\x00\x00\x0a5.5.5-"


class StallingServer:
    """A TCP server on 127.0.0.1 that accepts every connection, sends ``greeting`` (maybe
    nothing) and then never answers, holding the sockets open until closed."""

    def __init__(self, greeting: bytes = b"") -> None:
        self.greeting = greeting
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return  # closed
            self.accepted.append(conn)
            if self.greeting:
                conn.sendall(self.greeting)

    def close(self) -> None:
        self.listener.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def silent() -> Iterator[StallingServer]:
    server = StallingServer()
    yield server
    server.close()


@pytest.fixture
def partial() -> Iterator[StallingServer]:
    server = StallingServer(PARTIAL_HANDSHAKE)
    yield server
    server.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "models.py").write_text("import sqlalchemy as sa\nmetadata = sa.MetaData()\n")
    assert run_process(tmp_path, "init", "migrations").code == 0
    return tmp_path


def configure(project: Path, **keys: float) -> None:
    lines = [f"{key} = {value}" for key, value in keys.items()]
    (project / "schemadiff.toml").write_text(
        "\n".join(['script_location = "migrations"', 'metadata = "models:metadata"', *lines]) + "\n"
    )


COMMANDS = {
    "diff": ["diff"],
    "snapshot": ["snapshot", "-o", "out.json"],
    "upgrade": ["upgrade", "head"],
}


def assert_timed_out(result_err: str, url_shown: str, seconds: str) -> None:
    lines = result_err.splitlines()
    assert len(lines) == 1, result_err
    assert lines[0].startswith(f"error: cannot connect to {url_shown}: "), lines[0]
    assert f"no answer from the server within {seconds} s (connect_timeout)" in lines[0]
    assert "raise connect_timeout" in lines[0]
    assert "s3cret" not in result_err


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("driver", ["mysql+pymysql", "postgresql+psycopg"])
def test_server_that_never_answers_fails_after_connect_timeout(
    project: Path, silent: StallingServer, command: str, driver: str
) -> None:
    """The subprocess timeout (run_process's) is the failure condition: without a bound on the
    handshake the command hangs forever."""
    configure(project, connect_timeout=2)
    url = f"{driver}://u:s3cret@127.0.0.1:{silent.port}/x"
    result = run_process(project, *COMMANDS[command], "--db", url)
    assert result.code == 2, (result.stdout, result.stderr)
    assert_timed_out(result.stderr, f"{driver}://u:***@127.0.0.1:{silent.port}/x", "2")


def test_server_that_stops_mid_handshake_fails_after_connect_timeout(
    project: Path, partial: StallingServer
) -> None:
    configure(project, connect_timeout=1)
    url = f"mysql+pymysql://u:s3cret@127.0.0.1:{partial.port}/x"
    result = run_process(project, "diff", "--db", url)
    assert result.code == 2, (result.stdout, result.stderr)
    assert_timed_out(result.stderr, f"mysql+pymysql://u:***@127.0.0.1:{partial.port}/x", "1")


def test_the_urls_connect_timeout_wins_over_the_setting(
    project: Path, partial: StallingServer
) -> None:
    """The setting says an hour; the URL's second is what the command waits."""
    configure(project, connect_timeout=3600)
    url = f"mysql+pymysql://u:s3cret@127.0.0.1:{partial.port}/x?connect_timeout=1"
    result = run_process(project, "snapshot", "-o", "out.json", "--db", url)
    assert result.code == 2, (result.stdout, result.stderr)
    assert "no answer from the server within 1 s (connect_timeout)" in result.stderr


def test_bad_timeout_setting_is_one_line(project: Path) -> None:
    (project / "schemadiff.toml").write_text('connect_timeout = "soon"\n')
    result = run_process(project, "diff", "--db", "sqlite://", "--metadata", "models:metadata")
    assert result.code == 2
    assert result.stderr.splitlines() == [
        "error: schemadiff.toml: 'connect_timeout' must be a number of seconds"
    ]


SLEEP_2 = (
    "op.execute('SELECT SLEEP(2)')\n"
    "op.create_table('after_sleep', sa.Column('id', sa.Integer, primary_key=True))"
)


@pytest.mark.db
def test_connect_timeout_does_not_cut_a_long_statement(
    project: Path, backend_url: Callable[[str], str]
) -> None:
    """The handshake's 1 s bound is gone once connected: a 2 s statement completes."""
    url = backend_url("mysql")
    configure(project, connect_timeout=1)
    write_rev(project / "migrations" / "versions", "s1", upgrade=SLEEP_2)
    result = run_process(project, "upgrade", "head", "--db", url)
    assert result.code == 0, result.stderr
    assert version_rows(url) == ["s1"]


@pytest.mark.db
def test_read_timeout_bounds_each_statement_when_set(
    project: Path, backend_url: Callable[[str], str]
) -> None:
    url = backend_url("mysql")
    configure(project, read_timeout=1)
    write_rev(project / "migrations" / "versions", "s1", upgrade=SLEEP_2)
    result = run_process(project, "upgrade", "head", "--db", url)
    assert result.code == 2, (result.stdout, result.stderr)
    [line] = result.stderr.splitlines()
    assert line.startswith("error: upgrade of revision s1 (s1_rev.py) failed at statement 1 of 2 ")
    assert "timed out" in line
    assert version_rows(url) == []
