"""Secrets never reach the output: passwords in the URL query, %-encoded passwords in alembic.ini,
config values that may be secrets, and a masking that stays linear on huge input (issue 14 §2)."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from schemadiff.backends.connect import mask_url, scrub
from tests.kit.cli import Result, run_process

SECRET = "Qry-S3cret_91z"
SSL_SECRET = "Ssl-S3cret_44k"
META = ("--metadata", "models:Base.metadata")

MODELS = """\
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "models.py").write_text(MODELS)
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'app.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE other (id INTEGER PRIMARY KEY)")
    engine.dispose()
    return tmp_path


def assert_no_secret(result: Result, *, debug: bool = False) -> None:
    text = result.stdout + result.stderr
    for secret in (SECRET, SSL_SECRET):
        assert secret not in text, text
    assert debug or "Traceback" not in result.stderr


def _with_query(url: str, **query: str) -> str:
    return make_url(url).update_query_dict(query).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def query_url(
    request: pytest.FixtureRequest, project: Path, backend_url: Callable[..., str]
) -> str:
    """A working URL whose query carries secrets the driver accepts (or, for SQLite, ignores)."""
    if request.param == "sqlite":
        return f"sqlite:///{project / 'app.db'}?password={SECRET}&sslkey={SSL_SECRET}"
    # the test server trusts local logins: libpq takes both keywords and the login succeeds
    return _with_query(backend_url("postgresql"), password=SECRET, sslpassword=SSL_SECRET)


@pytest.mark.db
@pytest.mark.parametrize("fmt", ["text", "json", "sql", "python"])
def test_diff_masks_query_secrets(project: Path, query_url: str, fmt: str) -> None:
    result = run_process(project, "diff", "--db", query_url, *META, "--format", fmt)
    assert result.code in (0, 1), result
    assert "users" in result.stdout
    assert_no_secret(result)


@pytest.mark.db
@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "github"])
def test_check_masks_query_secrets(project: Path, query_url: str, fmt: str) -> None:
    result = run_process(project, "check", "--db", query_url, *META, "--format", fmt)
    assert result.code == 1, result
    assert "password=***" in result.stdout + result.stderr
    assert_no_secret(result)


@pytest.mark.db
def test_snapshot_wrote_line_masks_query_secrets(project: Path, query_url: str) -> None:
    result = run_process(project, "snapshot", "--db", query_url, "-o", "snap.json")
    assert result.code == 0, result
    assert "wrote snap.json" in result.stdout
    assert "password=***" in result.stdout
    assert_no_secret(result)


@pytest.mark.db
def test_connection_error_postgresql_masks_query_secrets(
    project: Path, backend_url: Callable[..., str]
) -> None:
    url = make_url(backend_url("postgresql")).set(database="sd_no_such_db")
    url_text = _with_query(url.render_as_string(hide_password=False), password=SECRET)
    result = run_process(project, "check", "--db", url_text + f"&sslpassword={SSL_SECRET}", *META)
    assert result.code == 2, result
    assert "the database does not exist" in result.stderr
    assert_no_secret(result)


@pytest.mark.db
@pytest.mark.parametrize("key", ["password", "passwd"])
def test_wrong_query_password_mariadb_is_masked(
    project: Path, backend_url: Callable[..., str], key: str
) -> None:
    url = _with_query(backend_url("mysql"), **{key: SECRET})
    for command in ("diff", "check"):
        result = run_process(project, command, "--db", url, *META)
        assert result.code == 2, result
        assert "login refused" in result.stderr
        assert f"{key}=***:" in result.stderr  # masked, and the message keeps its shape
        assert_no_secret(result)


def test_unreachable_with_query_secrets_is_masked(project: Path) -> None:
    url = f"postgresql+psycopg://app@127.0.0.1:1/app?password={SECRET}&sslkey={SSL_SECRET}"
    result = run_process(project, "--debug", "diff", "--db", url, *META)
    assert result.code == 2, result
    assert "not reachable" in result.stderr
    assert "Traceback" in result.stderr  # --debug: the driver's own exception text is scrubbed too
    assert_no_secret(result, debug=True)


def test_unparsable_url_masks_query_secrets(project: Path) -> None:
    result = run_process(project, "diff", "--db", f"not a url?x=1&password={SECRET}", *META)
    assert result.code == 2
    assert "cannot parse database URL" in result.stderr
    assert_no_secret(result)


def test_mask_url_masks_every_credential_part() -> None:
    url = (
        f"postgresql+psycopg://u:{SECRET}@h/db?sslmode=require&sslkey=/k/{SSL_SECRET}"
        f"&sslcert=/certs/client.crt&access_token=tok{SECRET}&api_key=a{SECRET}"
    )
    masked = mask_url(url)
    assert SECRET not in masked and SSL_SECRET not in masked, masked
    assert "u:***@h/db" in masked
    assert "sslmode=require" in masked  # not a secret: kept for the user to read
    assert "sslcert=/certs/client.crt" in masked  # a public certificate's path: kept
    assert "sslkey=***" in masked and "access_token=***" in masked and "api_key=***" in masked


def test_scrub_masks_free_text_credentials() -> None:
    # values no other test passes through parse_url (scrub also removes remembered secrets)
    pw, other = "Free-Text-Pw_1", "Free-Text-Pw_2"
    text = f"failed: host=h password={pw} dbname=x; see mysql://u:{other}@h/db"
    out = scrub(text)
    assert pw not in out and other not in out, out
    assert "dbname=x" in out and "primary_key=True" in scrub("primary_key=True")


# --- linear masking: a quadratic regex took minutes on this input -------------------------------


@pytest.fixture
def alarm() -> Iterator[None]:
    """Fail (instead of hanging for minutes) if the test body runs longer than a few seconds;
    a generous bound: the linear code takes milliseconds, the quadratic one minutes."""

    def fire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError("masking a 200,000-character URL took more than 5 s (quadratic?)")

    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(5)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:" + "a" * 200_000,  # no '@': every candidate password scans to the end
        "sqlite:///" + "a" * 200_000,  # a long scheme-like run
        "a://:" * 40_000,  # many candidate URLs, none with a password
        "x" * 200_000 + "?password=" + "p" * 1000,
        "password='" * 20_000,  # many unterminated quoted values
    ],
)
def test_masking_a_huge_url_is_linear(alarm: None, url: str) -> None:
    assert len(url) >= 200_000
    scrub(url)
    masked = mask_url(url)
    assert "p" * 1000 not in masked


# --- config values ------------------------------------------------------------------------------


def test_alembic_ini_percent_encoded_password_is_one_secret_free_line(project: Path) -> None:
    (project / "alembic.ini").write_text(
        f"[alembic]\nsqlalchemy.url = postgresql+psycopg://u:p%40{SECRET}@127.0.0.1:1/db\n"
    )
    result = run_process(project, "check", *META)
    assert result.code == 2, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: alembic.ini"), result.stderr
    assert "sqlalchemy.url" in lines[0] and "%%" in lines[0]
    assert_no_secret(result)


@pytest.mark.db
def test_alembic_ini_escaped_percent_works_as_in_alembic(
    project: Path, backend_url: Callable[..., str]
) -> None:
    # Alembic reads alembic.ini with interpolation: '%%40' is the URL's '%40', i.e. '@'
    url = make_url(backend_url("postgresql")).render_as_string(hide_password=False)
    scheme, rest = url.split("://", 1)
    user_host = rest.split("@", 1)[-1]
    text = f"{scheme}://postgres:p%%40{SECRET}@{user_host}"
    (project / "alembic.ini").write_text(f"[alembic]\nsqlalchemy.url = {text}\n")
    result = run_process(project, "check", *META)
    assert result.code == 1, result
    assert "postgres:***@" in result.stdout
    assert_no_secret(result)


@pytest.mark.parametrize(
    ("file", "text"),
    [
        ("schemadiff.toml", f'url = ["{SECRET}"]\n'),
        ("schemadiff.toml", f"scratch_url = {{ host = '{SECRET}' }}\n"),
        ("schemadiff.toml", f'[environments.prod]\nurl = ["{SECRET}"]\n'),
    ],
)
def test_config_errors_never_echo_url_values(project: Path, file: str, text: str) -> None:
    (project / file).write_text(text)
    args = ("-n", "prod", "check") if "environments" in text else ("check",)
    result = run_process(project, *args)
    assert result.code == 2, result
    assert "must be a non-empty string" in result.stderr
    assert_no_secret(result)
