"""Kill rate per module from mutmut's results in mutants/ (``make mutate`` prints it).

mutmut 3 keeps one ``mutants/<path>.meta`` JSON file per mutated module, holding an exit
code per mutant; its own summary is one line for the whole run. This prints a row per
module and a total:

    .venv/bin/python tests/mutation_report.py              # the table
    .venv/bin/python tests/mutation_report.py --survivors  # and every survivor's diff

Kill rate = killed / checked, where checked excludes mutants not run yet. Timeouts and
"suspicious" (a crash other than a test failure, e.g. SIGABRT) are shown apart; "detected"
counts them with the killed. Run from the project root.

The whole set takes hours on two cores, so ``make mutate-sample`` checks a sample:

    .venv/bin/python tests/mutation_report.py --pick 40 > mutants/sample.txt  # 40 a module
    .venv/bin/python tests/mutation_report.py --only mutants/sample.txt         # their table

The sample is drawn with a fixed seed from each module's mutants (all of them when fewer),
and its table gives the 95% (Wilson) interval of each kill rate.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from mutmut.stats import status_by_exit_code

COLUMNS = ("killed", "survived", "timeout", "suspicious", "no tests", "not checked")
DETECTED = ("killed", "timeout", "suspicious", "segfault", "caught by type check")


def load(root: Path) -> dict[str, dict[str, int | None]]:
    """Module path → {mutant name: exit code} for every .meta file under mutants/."""
    out = {}
    for meta in sorted((root / "mutants").rglob("*.py.meta")):
        module = str(meta.relative_to(root / "mutants"))[: -len(".meta")]
        out[module] = json.loads(meta.read_text())["exit_code_by_key"]
    return out


def pct(n: int, d: int) -> str:
    return f"{100 * n / d:5.1f}%" if d else "   - "


def table(results: dict[str, dict[str, int | None]], interval: bool = False) -> int:
    """Print the table (with each kill rate's 95% interval when ``interval``: the rows
    are a sample); return the number of survivors."""
    head = f"{'module':<28}{'mutants':>8}" + "".join(f"{c:>12}" for c in COLUMNS)
    rates = f"{'kill rate':>11}{'detected':>10}"
    print(head + rates + (f"{'95% interval':>16}" if interval else ""))
    total: Counter[str] = Counter()
    for module, codes in results.items():
        if not codes:
            continue
        c = Counter(status_by_exit_code[v] for v in codes.values())
        total.update(c)
        total["mutants"] += len(codes)
        print(row(module, len(codes), c, interval))
    print("-" * len(head))
    print(row("total", total["mutants"], total, interval))
    return total["survived"]


def row(name: str, n: int, c: Counter[str], interval: bool = False) -> str:
    checked = n - c["not checked"]
    detected = sum(c[s] for s in DETECTED)
    others = n - sum(c[s] for s in COLUMNS)
    extra = f"  (+{others} other)" if others else ""
    low, high = wilson(c["killed"], checked)
    return (
        f"{name:<28}{n:>8}"
        + "".join(f"{c[s]:>12}" for s in COLUMNS)
        + f"{pct(c['killed'], checked):>11}{pct(detected, checked):>10}"
        + (f"{pct(low, 1):>8} -{pct(high, 1)}" if interval and checked else "")
        + extra
    )


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a proportion k/n."""
    if not n:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def pick(results: dict[str, dict[str, int | None]], per_module: int, seed: int) -> list[str]:
    """``per_module`` mutant names from each module (all when fewer), drawn with ``seed``."""
    rng = random.Random(seed)
    names: list[str] = []
    for codes in results.values():
        keys = sorted(codes)
        names += keys if len(keys) <= per_module else sorted(rng.sample(keys, per_module))
    return names


def survivors(results: dict[str, dict[str, int | None]]) -> None:
    """Every surviving mutant's diff, grouped by module and function (needs mutmut)."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.utils.format_utils import orig_function_and_class_names_from_key

    for module, codes in results.items():
        by_function: dict[str, list[str]] = defaultdict(list)
        for name, code in codes.items():
            if status_by_exit_code[code] == "survived":
                func, cls = orig_function_and_class_names_from_key(name)
                by_function[f"{cls}.{func}" if cls else func].append(name)
        for func, names in sorted(by_function.items()):
            print(f"\n## {module} {func} ({len(names)} survived)")
            for name in sorted(names, key=lambda n: int(n.rpartition("_")[2])):
                print(f"\n# {name}")
                print(get_diff_for_mutant(name, path=module).rstrip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--survivors", action="store_true", help="also print survivors' diffs")
    parser.add_argument("--pick", type=int, metavar="N", help="print N mutant names a module")
    parser.add_argument("--seed", type=int, default=2026, help="the sample's seed (--pick)")
    parser.add_argument("--only", type=Path, metavar="FILE", help="only the mutants FILE names")
    args = parser.parse_args()
    results = load(Path.cwd())
    if not results:
        print("no mutants/*.meta: run `make mutate` first", file=sys.stderr)
        return 1
    if args.pick:
        print("\n".join(pick(results, args.pick, args.seed)))
        return 0
    if args.only:
        wanted = set(args.only.read_text().split())
        results = {m: {k: v for k, v in c.items() if k in wanted} for m, c in results.items()}
    table(results, interval=bool(args.only))
    if args.survivors:
        survivors(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
