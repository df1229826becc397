"""Run one benchmark module in several source trees in turn, then print its numbers side by side
with the load average each run started and ended at: "before and after in the same run of the
same machine".

Reproduce issue 10's comparison (the "before" tree is a git worktree of the older commit; the
venv's editable install points at /work/main, so each run puts its tree first on PYTHONPATH):

    git -C /work/main worktree add /tmp/skillhub-before 48d4eb4
    cd /work/main
    .venv/bin/python -m bench.compare_trees --tree before=/tmp/skillhub-before --tree after=/work/main \\
        --copy-bench bench.exam_spike
    .venv/bin/python -m bench.compare_trees --tree before=/tmp/skillhub-before --tree after=/work/main \\
        --copy-bench --repeat 2 bench.append_rate --count 2000
    .venv/bin/python -m bench.compare_trees --tree before=/tmp/skillhub-before --tree after=/work/main \\
        --copy-bench bench.open_loop_exam --students 1000
    git -C /work/main worktree remove /tmp/skillhub-before     # when done

Every argument after the module goes to it. Each run is `cd TREE && PYTHONPATH=TREE python -m
MODULE ARGS` with this interpreter (or --python); before the runs, each tree is checked to import
its own `projections`. `--copy-bench` first copies this tree's bench/*.py into the other trees'
bench/ where they differ (never into the tree this script runs from: give it throw-away
worktrees), so every tree is measured by the same benchmark code; without it, differing bench
files are only listed. `--repeat N`: the trees take turns N times (before, after, before,
after, ...), so a change of the machine's load hits all of them. Each run's output is streamed
with its label and kept in --out (default: a new temporary folder).

What is compared: every `bench.common.Measurement` line (rate, p50, p99), every `name = value
unit` line (bench/machine_load.py), under the `## section` they were printed in; other lines stay
in the kept outputs.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

OWN_TREE = Path(__file__).resolve().parents[1]
MEASUREMENT = re.compile(
    r"^(?P<name>\S.*?) +(?P<count>[\d,]+) in +(?P<seconds>[\d.]+) s +(?P<rate>[\d,.]+) (?P<unit>\S+)"
    r"(?:  p50 +(?P<p50>[\d,.]+) ms  p99 +(?P<p99>[\d,.]+) ms)?(?:  ERRORS (?P<errors>\d+))?"
)
VALUE = re.compile(r"^(?P<name>\S.*?) += (?P<value>-?[\d,.]+) (?P<unit>.*)$")
LOAD = re.compile(r"^load average at (?P<when>\w+): (?P<load>[\d.]+ [\d.]+ [\d.]+)")


@dataclass
class Run:
    label: str
    tree: Path
    output: Path
    seconds: float = 0.0
    returncode: int = 0
    load: dict[str, str] = field(default_factory=dict)
    numbers: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (section, name, metric) -> shown


Key = tuple[str, str, str]  # (section, name, metric)


def parse(run: Run, text: str) -> list[Key]:
    """Fills run.numbers and run.load; returns the keys in the order printed."""
    order, section = [], ""
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        if m := LOAD.match(line):
            run.load[m["when"]] = m["load"]
            continue
        if m := MEASUREMENT.match(line):
            found = [("rate", f"{m['rate']} {m['unit']}")]
            if m["p50"]:
                found += [("p50", f"{m['p50']} ms"), ("p99", f"{m['p99']} ms")]
            if m["errors"]:
                found.append(("errors", m["errors"]))
        elif m := VALUE.match(line):
            found = [("value", f"{m['value']} {m['unit'].split(' over ')[0]}")]
        else:
            continue
        for metric, shown in found:
            key = (section, m["name"].strip(), metric)
            run.numbers[key] = shown
            order.append(key)
    return order


def check_tree(python: str, tree: Path) -> str:
    """The tree's commit; fails unless `projections` imports from the tree itself."""
    probe = subprocess.run([python, "-c", "import projections, bench; print(projections.__file__)"], cwd=tree,
                           env=tree_env(tree), capture_output=True, text=True, check=True)
    where = Path(probe.stdout.strip()).resolve()
    if tree.resolve() not in where.parents:
        raise SystemExit(f"{tree}: `import projections` resolves to {where}, not to the tree")
    commit = subprocess.run(["git", "-C", str(tree), "log", "-1", "--format=%h %s"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(tree), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return f"{commit.stdout.strip()[:70]}{' + uncommitted changes' if dirty else ''}"


def tree_env(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree), "PYTHONUNBUFFERED": "1"}


def bench_differences(tree: Path) -> list[str]:
    return [f.name for f in sorted((OWN_TREE / "bench").glob("*.py"))
            if not (tree / "bench" / f.name).exists() or not filecmp.cmp(f, tree / "bench" / f.name, shallow=False)]


def copy_bench(tree: Path) -> list[str]:
    if tree.resolve() == OWN_TREE:
        return []
    names = bench_differences(tree)
    for name in names:
        shutil.copy2(OWN_TREE / "bench" / name, tree / "bench" / name)
    return names


def run_one(run: Run, python: str, module: str, args: list[str]) -> str:
    print(f"\n===== {run.label}: {run.tree} =====", flush=True)
    t0 = time.perf_counter()
    lines = []
    with open(run.output, "w") as out:
        proc = subprocess.Popen([python, "-m", module, *args], cwd=run.tree, env=tree_env(run.tree),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert proc.stdout is not None
        for line in proc.stdout:
            out.write(line)
            lines.append(line)
            print(f"[{run.label}] {line}", end="", flush=True)
        run.returncode = proc.wait()
    run.seconds = time.perf_counter() - t0
    return "".join(lines)


def table(runs: list[Run], order: list[Key]) -> None:
    width = max([len(n) + len(m) + 5 for _, n, m in order] + [30])
    col = max([len(v) for r in runs for v in r.numbers.values()] + [len(r.label) for r in runs] + [12]) + 2
    ratio = len(runs) == 2
    print(f"\n{'':<{width}}" + "".join(f"{r.label:>{col}}" for r in runs) + ("   last/first" if ratio else ""))
    for what in ("start", "end"):
        print(f"{'load average at ' + what:<{width}}" + "".join(f"{r.load.get(what, '-'):>{col}}" for r in runs))
    print(f"{'wall time of the run':<{width}}" + "".join(f"{r.seconds:>{col - 2}.0f} s" for r in runs))
    section = ""
    for key in order:
        if key[0] != section:
            section = key[0]
            print(f"\n## {section}")
        values = [r.numbers.get(key, "-") for r in runs]
        name = key[1] if key[2] == "value" else f"{key[1]} [{key[2]}]"
        line = f"  {name:<{width - 2}}" + "".join(f"{v:>{col}}" for v in values)
        if ratio and all(v != "-" for v in values):
            first, last = (float(v.split()[0].replace(",", "")) for v in values)
            line += f"   {last / first:10.2f}x" if first else ""
        print(line)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tree", action="append", required=True, metavar="LABEL=PATH", help="a source tree (repeatable)")
    p.add_argument("--repeat", type=int, default=1, help="turns of every tree")
    p.add_argument("--copy-bench", action="store_true", help="copy this tree's bench/*.py into the other trees first")
    p.add_argument("--python", default=sys.executable, help="interpreter (the venv's)")
    p.add_argument("--out", type=Path, help="folder for the outputs (default: a new temporary one)")
    p.add_argument("module", help="benchmark module, e.g. bench.exam_spike")
    p.add_argument("bench_args", nargs=argparse.REMAINDER, help="passed to the module")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    trees = [(label, Path(path).resolve()) for label, _, path in (t.partition("=") for t in args.tree)]
    out = args.out or Path(tempfile.mkdtemp(prefix="skillhub-compare-"))
    out.mkdir(parents=True, exist_ok=True)
    bench_args = args.bench_args[1:] if args.bench_args[:1] == ["--"] else args.bench_args
    print(f"# {args.module} {' '.join(bench_args)} in {len(trees)} trees, {args.repeat} turn(s); outputs in {out}")
    for label, tree in trees:
        copied = copy_bench(tree) if args.copy_bench else []
        differing = [] if args.copy_bench else bench_differences(tree)
        print(f"{label}: {tree}: {check_tree(args.python, tree)}"
              + (f"; copied bench/{', bench/'.join(copied)}" if copied else "")
              + (f"; bench files differ from {OWN_TREE}: {', '.join(differing)}" if differing else ""), flush=True)
    runs: list[Run] = []
    order: list[Key] = []
    for turn in range(args.repeat):
        for label, tree in trees:
            name = f"{label}#{turn + 1}" if args.repeat > 1 else label
            run = Run(name, tree, out / f"{name.replace('#', '-')}.txt")
            text = run_one(run, args.python, args.module, bench_args)
            order += [k for k in parse(run, text) if k not in order]
            runs.append(run)
            if run.returncode:
                print(f"[{name}] exited with {run.returncode}", flush=True)
    table(runs, order)
    return max(r.returncode for r in runs)


if __name__ == "__main__":
    sys.exit(main())
