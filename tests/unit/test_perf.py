"""The collector pauses and the console script's exit (``schemadiff/perf.py``)."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from schemadiff.perf import QUICK_SWITCH_INTERVAL, gc_paused, quick_thread_switches, without_gc


def test_pause_nests_and_restores_the_collector() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # only the outermost block re-enables
    assert gc.isenabled()


def test_pause_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_decorator_pauses_during_the_call_only() -> None:
    @without_gc
    def inside() -> bool:
        return gc.isenabled()

    assert inside() is False
    assert gc.isenabled()


def test_quick_thread_switches_are_scoped() -> None:
    before = sys.getswitchinterval()
    with quick_thread_switches():
        assert sys.getswitchinterval() == pytest.approx(min(before, QUICK_SWITCH_INTERVAL))
    assert sys.getswitchinterval() == before
    sys.setswitchinterval(QUICK_SWITCH_INTERVAL / 2)  # already quicker: never made slower
    try:
        with quick_thread_switches():
            assert sys.getswitchinterval() == pytest.approx(QUICK_SWITCH_INTERVAL / 2)
    finally:
        sys.setswitchinterval(before)


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )


def test_console_script_freezes_what_lives_before_exiting() -> None:
    """``main`` spares the shutdown's last full collection: everything alive is frozen, the
    output written before is flushed, and the exit code is the command's."""
    code = (
        "import gc, sys\n"
        "import schemadiff.cli.app as cli\n"
        "cli.run = lambda: (print('out', end=''), 3)[1]\n"
        "try:\n"
        "    cli.main()\n"
        "except SystemExit as exc:\n"
        "    sys.stderr.write(f'exit={exc.code} frozen={gc.get_freeze_count() > 1000}')\n"
    )
    done = _run(code)
    assert done.stdout == "out"
    assert done.stderr == "exit=3 frozen=True"


def test_exit_with_a_closed_stdout_is_quiet() -> None:
    code = (
        "import os, sys\n"
        "from schemadiff.perf import spare_final_collection\n"
        "sys.stdout.close()\n"
        "spare_final_collection()\n"
        "sys.stderr.write('ok')\n"
    )
    done = _run(code)
    assert (done.returncode, done.stderr) == (0, "ok")
