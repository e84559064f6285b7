"""``bench/RESULTS.md``: the machine, the tables of timings, and the targets of issue 6 checked."""

from __future__ import annotations

import os
import platform
import sqlite3
import time
from collections import defaultdict
from importlib.metadata import version
from typing import Any

import sqlalchemy as sa

Row = dict[str, Any]


def machine() -> list[str]:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = "?"
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            kb = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    packages = ", ".join(
        f"{name} {_version(name)}"
        for name in ("SQLAlchemy", "alembic", "psycopg", "PyMySQL", "sqlglot", "black")
    )
    return [
        f"- CPU: {cpu}, {os.cpu_count()} logical cores; memory {memory}; load average at the "
        f"end {load} (the machine is shared with other test runs: expect some noise)",
        f"- {platform.platform()}, Python {platform.python_version()}",
        f"- {packages}",
    ]


def _version(name: str) -> str:
    try:
        return version(name)
    except Exception:  # noqa: BLE001 - not installed
        return "-"


def server_versions(urls: dict[str, str]) -> dict[str, str]:
    out = {"sqlite": sqlite3.sqlite_version}
    for backend, url in urls.items():
        if backend == "sqlite":
            continue
        try:
            engine = sa.create_engine(url)
            with engine.connect() as conn:
                out[backend] = str(conn.execute(sa.text("select version()")).scalar())
            engine.dispose()
        except Exception as exc:  # noqa: BLE001
            out[backend] = f"unknown ({exc.__class__.__name__})"
    return out


def markdown(raw: dict[str, Any]) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python -m bench.run {' '.join(raw['argv'])}` on "
        f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(raw['started']))} "
        f"(took {raw['seconds'] / 60:.0f} min). See `bench/README.md` for what is measured.",
        "",
        "## Machine",
        "",
        *machine(),
        *(f"- {name}: {text}" for name, text in sorted(raw["servers"].items())),
        "",
    ]
    for name, why in raw["skipped"].items():
        lines += [f"**{name} skipped**: {why}", ""]
    by_layout: dict[tuple[str, str], dict[tuple[str, str], Row]] = defaultdict(dict)
    for m in raw["measurements"]:
        by_layout[(m["backend"], m["layout"])][(m["tool"], m["variant"])] = m
    lines += _diff_tables(by_layout)
    lines += _alembic_note(by_layout)
    lines += _targets(by_layout, raw.get("extras") or {})
    lines += _extras(raw.get("extras") or {})
    return "\n".join(lines) + "\n"


_NAMES = {"postgresql": "PostgreSQL", "mysql": "MariaDB / MySQL", "sqlite": "SQLite"}


def _diff_tables(by_layout: dict[tuple[str, str], dict[tuple[str, str], Row]]) -> list[str]:
    lines = [
        "## Diff: schemadiff vs Alembic vs the catalog floor",
        "",
        'Seconds are medians of fresh interpreters, from "models imported" to "diff computed" '
        "(the tool's imports, engine and connection included). `stmts`: statements sent. "
        "`MB`: growth of peak RSS during the run. `first run`: schemadiff's first of the runs, "
        "with an empty canonical-SQL memo (sqlglot imported, every expression parsed), as on a "
        "machine that never ran it; the later runs read the memo. `changes`: what each tool "
        "reported (unchanged / changed schema).",
        "",
    ]
    for backend in ("postgresql", "mysql", "sqlite"):
        layouts = [k for k in by_layout if k[0] == backend]
        if not layouts:
            continue
        lines += [
            f"### {_NAMES[backend]}",
            "",
            "| tables | floor s (stmts) | schemadiff s (stmts, MB) | changed s | Alembic s "
            "(stmts, MB) | changed s | schemadiff / floor | Alembic / schemadiff | changes "
            "(schemadiff; Alembic) |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for key in sorted(layouts, key=lambda k: (" x " in k[1], _total(k[1]))):
            lines.append(_diff_row(key[1], by_layout[key]))
        lines.append("")
    return lines


def _total(layout: str) -> int:
    parts = [int(p) for p in layout.split(" x ")]
    return parts[0] * (parts[1] if len(parts) > 1 else 1)


def _diff_row(layout: str, row: dict[tuple[str, str], Row]) -> str:
    def cell(tool: str, variant: str, detail: bool = True) -> str:
        m = row.get((tool, variant))
        if m is None:
            return "-"
        if not detail:
            return f"{m['seconds']:.2f}"
        mb = "" if tool == "floor" else f", {m['delta_mb']:.0f}"
        first = m.get("first_seconds")
        cold = f"; first run {first:.2f}" if tool == "schemadiff" and first else ""
        return f"{m['seconds']:.2f} ({m['statements']}{mb}{cold})"

    sd = row.get(("schemadiff", "unchanged"))
    floor = row.get(("floor", "-"))
    alembic = row.get(("alembic", "unchanged"))
    vs_floor = f"{sd['seconds'] / floor['seconds']:.2f}x" if sd and floor else "-"
    vs_alembic = f"{alembic['seconds'] / sd['seconds']:.1f}x" if sd and alembic else "-"
    found = "; ".join(
        "/".join(
            str(row[(tool, v)]["changes"]) if (tool, v) in row else "-"
            for v in ("unchanged", "changed")
        )
        for tool in ("schemadiff", "alembic")
    )
    return (
        f"| {layout} | {cell('floor', '-')} | {cell('schemadiff', 'unchanged')} | "
        f"{cell('schemadiff', 'changed', False)} | {cell('alembic', 'unchanged')} | "
        f"{cell('alembic', 'changed', False)} | {vs_floor} | {vs_alembic} | {found} |"
    )


def _targets(
    by_layout: dict[tuple[str, str], dict[tuple[str, str], Row]], extras: dict[str, Any]
) -> list[str]:
    checks: list[tuple[str, str, bool | None]] = []

    def ratio(backend: str, layout: str, a: tuple[str, str], b: tuple[str, str]) -> float | None:
        row = by_layout.get((backend, layout), {})
        if a in row and b in row:
            return float(row[a]["seconds"] / row[b]["seconds"])
        return None

    sd, fl, al = ("schemadiff", "unchanged"), ("floor", "-"), ("alembic", "unchanged")
    for backend, floor_max, alembic_min in (("postgresql", 1.5, 6), ("mysql", 2.0, 8)):
        r_floor = ratio(backend, "1000", sd, fl)
        r_alembic = ratio(backend, "1000", al, sd)
        checks.append(
            (
                f"{_NAMES[backend]} 1,000 tables within {floor_max}x of the floor",
                f"{r_floor:.2f}x" if r_floor else "not measured",
                None if r_floor is None else r_floor <= floor_max,
            )
        )
        checks.append(
            (
                f"{_NAMES[backend]} 1,000 tables at least {alembic_min}x faster than Alembic",
                f"{r_alembic:.1f}x" if r_alembic else "not measured",
                None if r_alembic is None else r_alembic >= alembic_min,
            )
        )
    counts = {
        m["statements"]
        for (backend, _), row in by_layout.items()
        if backend == "mysql"
        for (tool, _), m in row.items()
        if tool == "schemadiff"
    }
    checks.append(
        (
            "MariaDB statement count independent of N",
            ", ".join(map(str, sorted(counts))) or "not measured",
            None if not counts else len(counts) == 1,
        )
    )
    r_sqlite = ratio("sqlite", "1000", al, sd)
    checks.append(
        (
            "SQLite 1,000 tables at least 2x faster than Alembic",
            f"{r_sqlite:.1f}x" if r_sqlite else "not measured",
            None if r_sqlite is None else r_sqlite >= 2,
        )
    )
    for backend, layout in (("postgresql", "5000"), ("postgresql", "200 x 20")):
        done = sd in by_layout.get((backend, layout), {})
        name = f"{layout} tables complete (PostgreSQL)"
        checks.append((name, "yes" if done else "-", done or None))
    checks += _memory_check(by_layout)
    checks += _extra_checks(extras)
    lines = ["## Targets (issue 6)", "", "| target | measured | met |", "|---|---|---|"]
    for name, value, ok in checks:
        mark = "-" if ok is None else ("yes" if ok else "**no**")
        lines.append(f"| {name} | {value} | {mark} |")
    return [*lines, ""]


def _memory_check(
    by_layout: dict[tuple[str, str], dict[tuple[str, str], Row]],
) -> list[tuple[str, str, bool | None]]:
    """Linear growth: the memory each further 1,000 tables add stays about the same (a fixed
    part, the imports, does not grow at all)."""
    out: list[tuple[str, str, bool | None]] = []
    for backend in ("postgresql", "mysql", "sqlite"):
        points = sorted(
            (_total(layout), row[("schemadiff", "unchanged")]["delta_mb"])
            for (b, layout), row in by_layout.items()
            if b == backend and " x " not in layout and ("schemadiff", "unchanged") in row
        )
        points = [p for p in points if p[0] >= 500]
        slopes = [
            (n2, (mb2 - mb1) * 1000 / (n2 - n1))
            for (n1, mb1), (n2, mb2) in zip(points, points[1:], strict=False)
        ]
        if len(slopes) >= 2:
            text = ", ".join(f"up to {n}: {v:.0f}" for n, v in slopes)
            values = [v for _, v in slopes]
            ok = max(values) <= 1.5 * max(min(values), 1e-9)
            name = f"{_NAMES[backend]} memory linear (MB per 1,000 more tables)"
            out.append((name, text, ok))
    return out


def _extra_checks(extras: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    out: list[tuple[str, str, bool | None]] = []
    start = extras.get("startup", {})
    if "seconds" in start:
        heavy = ", ".join(start["heavy_imports"]) or "none"
        out.append(
            (
                "`schemadiff --help` under 0.3 s, no drivers/dialects/black imported",
                f"{start['seconds']:.3f} s; heavy imports: {heavy}",
                start["seconds"] < 0.3 and not start["heavy_imports"],
            )
        )
    for backend, r in extras.get("render", {}).items():
        if "seconds" in r:
            out.append(
                (
                    f"initial 1,000-table revision rendered under 3 s ({_NAMES[backend]})",
                    f"{r['seconds']:.2f} s for {r['tables']} tables",
                    r["seconds"] < 3 if r["tables"] == 1000 else None,
                )
            )
    chain = extras.get("chain", {})
    heads = chain.get("heads", {})
    if "seconds" in heads:
        out.append(
            (
                "`heads` on 2,000 revisions under 0.5 s",
                f"{heads['seconds']:.2f} s for {chain['revisions']} revisions",
                heads["seconds"] < 0.5 if chain["revisions"] == 2000 else None,
            )
        )
    return out


def _extras(extras: dict[str, Any]) -> list[str]:
    if not extras:
        return []
    lines = ["## Start-up, rendering, chain", ""]
    start = extras.get("startup", {})
    if "seconds" in start:
        runs = ", ".join(f"{t:.3f}" for t in start["runs"])
        lines.append(f"- `schemadiff --help`: {start['seconds']:.3f} s (runs: {runs})")
    for backend, r in extras.get("render", {}).items():
        if "seconds" in r:
            lines.append(
                f"- initial revision, {_NAMES[backend]}: {r['ops']} ops, {r['lines']} lines; "
                f"render_bodies {r['bodies_seconds']:.2f} s + render_script (template, layout, "
                f"black) {r['script_seconds']:.2f} s = {r['seconds']:.2f} s"
            )
        else:
            lines.append(f"- initial revision, {_NAMES[backend]}: failed: {r.get('error')}")
    chain = extras.get("chain", {})
    if chain:
        lines.append(
            f"- chain of {chain['revisions']} revisions: in-process load + heads "
            f"{chain['api_seconds']:.2f} s"
        )
        for command in ("heads", "history"):
            c = chain.get(command, {})
            text = f"{c['seconds']:.2f} s" if "seconds" in c else c.get("error", "-")
            lines.append(f"- `schemadiff {command}` (whole command, interpreter included): {text}")
    return [*lines, ""]


def _alembic_note(by_layout: dict[tuple[str, str], dict[tuple[str, str], Row]]) -> list[str]:
    """Say so when Alembic reports differences on a schema made by ``create_all`` of the models."""
    noisy = sorted(
        {
            _NAMES[backend]
            for (backend, _), row in by_layout.items()
            if row.get(("alembic", "unchanged"), {}).get("changes")
        }
    )
    if not noisy:
        return []
    return [
        f"Alembic reports differences on the unchanged schema ({', '.join(noisy)}): false "
        "positives (types and server defaults it reads back differently), counted as its "
        "changes above; schemadiff reports none.",
        "",
    ]


def main() -> None:
    """Re-render ``RESULTS.md`` from its JSON: ``python -m bench.report bench/RESULTS.json``."""
    import json
    import sys
    from pathlib import Path

    source = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "RESULTS.json")
    raw = json.loads(source.read_text(encoding="utf-8"))
    source.with_suffix(".md").write_text(markdown(raw), encoding="utf-8")


if __name__ == "__main__":
    main()
