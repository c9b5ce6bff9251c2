"""Kill rate per module from mutmut's results in mutants/ (``make mutate`` prints it).

mutmut 3 keeps one ``mutants/<path>.meta`` JSON file per mutated module, holding an exit
code per mutant; its own summary is one line for the whole run. This prints a row per
module and a total:

    .venv/bin/python tests/mutation_report.py              # the table
    .venv/bin/python tests/mutation_report.py --survivors  # and every survivor's diff

Kill rate = killed / checked, where checked excludes mutants not run yet. Timeouts and
"suspicious" (a crash other than a test failure, e.g. SIGABRT) are shown apart; "detected"
counts them with the killed. Run from the project root.
"""

from __future__ import annotations

import argparse
import json
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


def table(results: dict[str, dict[str, int | None]]) -> int:
    """Print the table; return the number of survivors."""
    head = f"{'module':<28}{'mutants':>8}" + "".join(f"{c:>12}" for c in COLUMNS)
    print(head + f"{'kill rate':>11}{'detected':>10}")
    total: Counter[str] = Counter()
    for module, codes in results.items():
        c = Counter(status_by_exit_code[v] for v in codes.values())
        total.update(c)
        total["mutants"] += len(codes)
        print(row(module, len(codes), c))
    print("-" * len(head))
    print(row("total", total["mutants"], total))
    return total["survived"]


def row(name: str, n: int, c: Counter[str]) -> str:
    checked = n - c["not checked"]
    detected = sum(c[s] for s in DETECTED)
    others = n - sum(c[s] for s in COLUMNS)
    extra = f"  (+{others} other)" if others else ""
    return (
        f"{name:<28}{n:>8}"
        + "".join(f"{c[s]:>12}" for s in COLUMNS)
        + f"{pct(c['killed'], checked):>11}{pct(detected, checked):>10}{extra}"
    )


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
    args = parser.parse_args()
    results = load(Path.cwd())
    if not results:
        print("no mutants/*.meta: run `make mutate` first", file=sys.stderr)
        return 1
    table(results)
    if args.survivors:
        survivors(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
