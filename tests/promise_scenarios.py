#!/usr/bin/env python
"""Edge-case scenarios for sheets-tool consolidate/ingest/registry, run through the CLI.

Usage (this checkout, or an earlier one checked out with `git worktree add DIR REV`):
    .venv/bin/python tests/promise_scenarios.py
    SHEETS_TOOL_ROOT=DIR PYTHONPATH=DIR .venv/bin/python tests/promise_scenarios.py

The figures before and after "nothing lost, nothing doubled" were measured with it; the
tests that hold the behaviour are in tests/test_promise.py.

Each scenario builds its own files in a fresh temp folder, runs the CLI in a subprocess
(same interpreter, PYTHONPATH = SHEETS_TOOL_ROOT unless PYTHONPATH is set) and prints one
line:  name | rc | households (JSON totals) | missing units | findings | expected | note.
"expected" is computed by this script from the village rows it wrote itself.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(os.environ.get("SHEETS_TOOL_ROOT", Path(__file__).resolve().parent.parent)).resolve()
SAMPLES = ROOT / "samples"
CHI = SAMPLES / "chi-lang"
CHI_REG = CHI / "registry.xlsx"
DAY = "2021-08-05"
DAY_INDEX = 3  # daily_book's day index: 2021-08-02 + 3

sys.path.insert(0, str(SAMPLES))
import openpyxl  # noqa: E402
from build_samples import CHI_LANG_COMMUNES, daily_book, daily_values  # noqa: E402

ENV = dict(os.environ)
ENV["PYTHONPATH"] = os.environ.get("PYTHONPATH") or str(ROOT)
ENV.pop("PYTHONHASHSEED", None)
PY = sys.executable
SLUG = {"Vạn Linh": "van-linh", "Y Tịch": "y-tich", "Quan Sơn": "quan-son"}
TIMEOUT = 240

# a CLI wrapper: import first, then wait for a common start time (for the races)
WRAPPER = (
    "import os, time\n"
    "from sheets_tool.cli import main\n"
    "t = float(os.environ.get('START_AT', '0'))\n"
    "d = t - time.time()\n"
    "if d > 0: time.sleep(d)\n"
    "main()\n"
)

LINES: list[str] = []


# ---------------------------------------------------------------------------
# helpers


def cli(*args: str | Path, start_at: float | None = None) -> subprocess.CompletedProcess:
    env = dict(ENV)
    if start_at is not None:
        env["START_AT"] = repr(start_at)
    cmd = [PY, "-c", WRAPPER, *map(str, args)]
    try:
        return subprocess.run(
            cmd, capture_output=True, text=True, env=env, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as exc:
        return subprocess.CompletedProcess(cmd, -9, exc.stdout or "", f"TIMEOUT {TIMEOUT}s")


def popen(*args: str | Path, start_at: float) -> subprocess.Popen:
    env = dict(ENV)
    env["START_AT"] = repr(start_at)
    return subprocess.Popen(
        [PY, "-c", WRAPPER, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def parse_json(text: str) -> dict | list | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        pass
    i = text.find("{")
    if i >= 0:
        try:
            return json.loads(text[i:])
        except ValueError:
            return None
    return None


def crash_text(p: subprocess.CompletedProcess) -> str:
    err = p.stderr or ""
    if "Traceback" in err:
        last = [line for line in err.strip().splitlines() if line.strip()][-1]
        return "CRASH: " + last[:200]
    if p.returncode == -9:
        return err[:200]
    return ""


def short(text: str, n: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def summary_of(p: subprocess.CompletedProcess) -> dict:
    d = parse_json(p.stdout)
    out = {"rc": p.returncode, "hh": "-", "missing": "-", "findings": "-", "doc": d}
    if isinstance(d, dict):
        totals = d.get("totals") or {}
        out["hh"] = fmt_num(totals.get("households", "-"))
        units = d.get("units") or []
        miss = sum(1 for u in units if isinstance(u, dict) and u.get("status") == "missing")
        out["missing"] = f"{miss}/{len(units)}"
        f = d.get("findings")
        out["findings"] = len(f) if isinstance(f, list) else "-"
    return out


def fmt_num(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def finding_codes(d: object, limit: int = 6) -> str:
    if not isinstance(d, dict):
        return ""
    codes: dict[str, int] = {}
    for f in d.get("findings") or []:
        if isinstance(f, dict):
            c = str(f.get("code"))
            codes[c] = codes.get(c, 0) + 1
    items = sorted(codes.items(), key=lambda kv: -kv[1])[:limit]
    return ",".join(f"{c}×{n}" for c, n in items)


def report(
    name: str,
    p: subprocess.CompletedProcess | None,
    expected: object,
    note: str = "",
    **over: object,
) -> dict:
    s = (
        summary_of(p)
        if p is not None
        else {"rc": "-", "hh": "-", "missing": "-", "findings": "-", "doc": None}
    )
    s.update(over)
    extra = []
    if p is not None:
        c = crash_text(p)
        if c:
            extra.append(c)
        elif p.returncode == 2 and not isinstance(s["doc"], dict):
            extra.append("stderr: " + short(p.stderr or p.stdout, 200))
        codes = finding_codes(s["doc"])
        if codes:
            extra.append("codes: " + codes)
    if note:
        extra.insert(0, note)
    line = (
        f"{name:<34} rc={s['rc']!s:<3} households={s['hh']!s:<7} missing={s['missing']!s:<6} "
        f"findings={s['findings']!s:<4} expected={fmt_num(expected)!s:<7}"
        + (" | " + " | ".join(extra) if extra else "")
    )
    print(line, flush=True)
    LINES.append(line)
    return s


def save(wb: openpyxl.Workbook, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def commune_book(commune: str, villages: list[tuple[str, int]], **kw: object) -> openpyxl.Workbook:
    kw.setdefault("sent_at", "16:30")
    return daily_book(
        DAY_INDEX, date_column=False, text_numbers=False, commune=commune, villages=villages, **kw
    )


def written_households(villages: list[tuple[str, int]]) -> int:
    return sum(h for _n, h in villages)


def good_commune_files(folder: Path) -> tuple[list[Path], int]:
    """The three communes' reports of DAY, built with daily_book like the samples."""
    paths, total = [], 0
    for commune, villages in CHI_LANG_COMMUNES.items():
        wb = commune_book(commune, villages)
        paths.append(save(wb, folder / f"{SLUG[commune]}-{DAY}.xlsx"))
        total += written_households(villages)
    return paths, total


def consolidate(
    inputs: list[Path], level: str, reg: Path, store: Path, out: Path, *extra: str
) -> subprocess.CompletedProcess:
    return cli(
        "consolidate",
        *inputs,
        "--level",
        level,
        "--date",
        DAY,
        "--registry",
        reg,
        "--store",
        store,
        "-o",
        out,
        "--format",
        "json",
        *extra,
    )


def registry_villages(reg: Path) -> dict[str, list[tuple[str, int]]]:
    wb = openpyxl.load_workbook(reg)
    ws = wb["Thôn"]
    out: dict[str, list[tuple[str, int]]] = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row and row[2]:
            out.setdefault(str(row[1]), []).append((str(row[2]), int(row[3] or 0)))
    return out


# ---------------------------------------------------------------------------
# scenarios


def s1_file_per_village(tmp: Path) -> None:
    # small: every village of Vạn Linh in its own copy of the daily template
    villages = registry_villages(CHI_REG)["Xã Vạn Linh"]
    files = []
    for i, (name, hh) in enumerate(villages):
        wb = commune_book("Vạn Linh", [(name, hh)])
        files.append(save(wb, tmp / "vl" / f"van-linh-{i + 1}-{DAY}.xlsx"))
    p = consolidate(files, "commune", CHI_REG, tmp / "vl.db", tmp / "vl-out.xlsx")
    report(f"1a file-per-village VL ({len(files)})", p, written_households(villages))

    # large: 300 village files across Huyện Chi Lăng
    reg = tmp / "reg300.xlsx"
    r = cli("registry", "init", "--province", "Lạng Sơn", "--as-of", "2021-08-01", "-o", reg)
    if r.returncode != 0:
        report("1b file-per-village 300", r, "-", "registry init failed")
        return
    wb = openpyxl.load_workbook(reg)
    units = list(wb["Đơn vị"].iter_rows(min_row=2, values_only=True))
    names = [str(u[1]) for u in units]
    district = next(u for u in units if u[1] == "Huyện Chi Lăng")
    communes = [
        str(u[1])
        for u in units
        if str(u[3] or "") == str(district[0])
        and str(u[1]).startswith("Xã ")
        and names.count(str(u[1])) == 1  # "Xã Chi Lăng" etc. are ambiguous in the province
    ]
    first = ["Nà", "Khuổi", "Pác", "Bó", "Còn", "Lũng", "Khòn", "Phai", "Pò", "Kéo", "Cốc", "Ngàn"]
    second = [
        "Tèo",
        "Mò",
        "Slăm",
        "Hin",
        "Cáy",
        "Mạ",
        "Đeng",
        "Rọ",
        "Lài",
        "Vằn",
        "Nưa",
        "Pàn",
        "Tẩu",
        "Cải",
        "Mười",
        "Chang",
        "Lừa",
        "Sáng",
        "Pheo",
        "Tao",
        "Kham",
        "Cọ",
        "Luông",
        "Rạc",
        "Quyền",
    ]
    ws = wb["Thôn"]
    plan: list[tuple[str, str, int]] = []
    for i in range(300):
        commune = communes[i % len(communes)]
        vname = f"Thôn {first[i % len(first)]} {second[i // len(first)]}"
        hh = 100 + (i * 37) % 250
        plan.append((commune, vname, hh))
        ws.cell(row=i + 2, column=2, value=commune)
        ws.cell(row=i + 2, column=3, value=vname)
        ws.cell(row=i + 2, column=4, value=hh)
    wb.save(reg)
    files = []
    for i, (commune, vname, hh) in enumerate(plan):
        book = commune_book(commune.removeprefix("Xã "), [(vname, hh)])
        files.append(save(book, tmp / "v300" / f"v{i:03d}-{DAY}.xlsx"))
    t0 = time.time()
    p = consolidate(files, "district", reg, tmp / "v300.db", tmp / "v300-out.xlsx")
    report(
        f"1b file-per-village 300 ({len(communes)} xã)",
        p,
        sum(h for *_x, h in plan),
        f"{time.time() - t0:.1f}s",
    )


def bad_vl_book(missing_households_column: bool = False) -> tuple[openpyxl.Workbook, int]:
    villages = CHI_LANG_COMMUNES["Vạn Linh"]
    if missing_households_column:
        wb = commune_book("Vạn Linh", villages, total=False)
        ws = wb.active
        col = next(c.column for c in ws[5] if c.value == "Tổng số hộ")
        ws.delete_cols(col)
        return wb, 0
    overrides = {
        # row 0: "Phố Cũ", correct: the only row that matches the registry
        (1, "village"): "Thôn Lùng Cầm",
        (1, "households"): -265,
        (2, "village"): "Đồng Lum",
        (2, "shops"): 500,
        (3, "village"): "Thôn Hà Quãng",
        (3, "households"): "hai trăm tám mươi bảy",
        (4, "village"): "Na Phầy",
        (4, "payment_accounts"): -3,
        (5, "village"): "Thôn Làng Mơi",
    }
    wb = commune_book("Vạn Linh", villages, overrides=overrides, total=False)
    return wb, villages[0][1]


def s2_bad_resubmission(tmp: Path) -> None:
    for variant in ("mistakes", "no-households-col"):
        d = tmp / variant
        good, total = good_commune_files(d / "good")
        store = d / "store.db"
        p1 = consolidate(good, "district", CHI_REG, store, d / "before.xlsx")
        report(f"2 {variant}: before", p1, total)
        wb, vl_valid = bad_vl_book(variant == "no-households-col")
        resent = save(wb, d / "resent" / f"van-linh-{DAY}.xlsx")
        pi = cli("ingest", resent, "--registry", CHI_REG, "--store", store, "--format", "json")
        ing = parse_json(pi.stdout)
        nf = "-"
        stored = "-"
        if isinstance(ing, dict):
            nf = sum(len(f.get("findings") or []) for f in ing.get("files") or [])
            stored = f"stored={len(ing.get('stored') or [])} superseded={ing.get('superseded')}"
        report(f"2 {variant}: ingest resend", pi, "-", stored, findings=nf, missing="-")
        p2 = consolidate([resent, *good[1:]], "district", CHI_REG, store, d / "after.xlsx")
        vl = written_households(CHI_LANG_COMMUNES["Vạn Linh"])
        report(
            f"2 {variant}: after",
            p2,
            total,
            f"alt={total - vl + vl_valid} if only the resend's valid rows count for Vạn Linh",
        )


def patch_string(path: Path, old: str, new: str) -> None:
    """Replace a cell's text inside the saved xlsx (for characters openpyxl refuses)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith(".xml"):
                data = data.replace(old.encode(), new.encode())
            out.writestr(info, data)
    tmp.replace(path)


def s3_same_village_twice(tmp: Path) -> None:
    base = list(CHI_LANG_COMMUNES["Vạn Linh"])
    dup_overrides = {
        (len(base), "shops"): 2,
        (len(base), "payment_accounts"): 3,
        (len(base), "new_shops"): 1,
        (len(base), "sellers"): 1,
    }
    variants = {
        "plain": "Phố Cũ",
        "zwsp": "Phố C\u200bũ",
        "ctrl-x07": "PLACEHOLDERCTRL",
    }
    for label, second in variants.items():
        villages = [*base, (second, 10)]
        wb = commune_book("Vạn Linh", villages, overrides=dup_overrides, total=False)
        path = save(wb, tmp / label / f"van-linh-{DAY}.xlsx")
        if label == "ctrl-x07":
            patch_string(path, "PLACEHOLDERCTRL", "Phố_x0007_ Cũ")  # Excel's escape of \x07
        p = consolidate([path], "commune", CHI_REG, tmp / label / "s.db", tmp / label / "o.xlsx")
        report(
            f"3 same village twice: {label}",
            p,
            written_households(villages),
            "expected = both rows (312+10); an error for the duplicate is also defensible",
        )


def s4_duplicate_code(tmp: Path) -> None:
    good, total = good_commune_files(tmp / "good")
    for label, victim, donor in (
        ("Y Tịch:=code of Vạn Linh", "Xã Y Tịch", "Xã Vạn Linh"),
        ("Vân An:=code of Quan Sơn", "Xã Vân An", "Xã Quan Sơn"),
    ):
        reg = tmp / f"reg-{victim[3:6]}.xlsx"
        shutil.copy(CHI_REG, reg)
        wb = openpyxl.load_workbook(reg)
        ws = wb["Đơn vị"]
        codes = {ws.cell(r, 2).value: ws.cell(r, 1).value for r in range(2, ws.max_row + 1)}
        for r in range(2, ws.max_row + 1):
            if ws.cell(r, 2).value == victim and ws.cell(r, 4).value == "187":
                ws.cell(r, 1).value = codes[donor]
        wb.save(reg)
        p = consolidate(
            good, "district", reg, tmp / f"{victim[3:6]}.db", tmp / f"o{victim[3:6]}.xlsx"
        )
        reg_codes = ""
        if isinstance(p_doc := parse_json(p.stdout), dict):
            dup = [u["name"] for u in p_doc.get("units", []) if u.get("code") == codes[donor]]
            reg_codes = f"units with code {codes[donor]}: {dup}"
        report(f"4 dup code: {label}", p, total, reg_codes)


def s5_one_store_two_communes(tmp: Path) -> None:
    good, _total = good_commune_files(tmp / "good")
    store = tmp / "S.db"
    for commune in ("Vạn Linh", "Quan Sơn"):
        path = next(p for p in good if p.name.startswith(SLUG[commune]))
        p = consolidate([path], "commune", CHI_REG, store, tmp / f"{SLUG[commune]}.xlsx")
        report(
            f"5 same store: {commune} (commune)", p, written_households(CHI_LANG_COMMUNES[commune])
        )


def roster_line(name: str, p: subprocess.CompletedProcess, expected: object) -> dict:
    s = summary_of(p)
    d = s["doc"]
    t = (d.get("totals") or {}) if isinstance(d, dict) else {}
    note = (
        f"teams={t.get('teams', '-')} members={t.get('members', '-')} "
        f"villages_without_team={t.get('villages_without_team', '-')} "
        f"breaches={t.get('breaches', '-')}"
    )
    return report(name, p, expected, note, hh="n/a")


def s6_rosters(tmp: Path) -> None:
    duc = SAMPLES / "duc-tho"
    reg = duc / "registry.xlsx"
    rosters = sorted((duc / "rosters").glob("*.xlsx"))
    direct = cli(
        "consolidate",
        *rosters,
        "--level",
        "district",
        "--registry",
        reg,
        "--profile",
        "ha-tinh-2022",
        "-o",
        tmp / "direct.xlsx",
        "--format",
        "json",
    )
    dd = parse_json(direct.stdout)
    dt_ = (dd.get("totals") or {}) if isinstance(dd, dict) else {}
    ref = f"direct:m{dt_.get('members', '?')}/b{dt_.get('breaches', '?')}"
    roster_line("6 rosters direct district", direct, ref)
    summaries = []
    for r in rosters:
        out = tmp / f"xa-{r.stem}.xlsx"
        p = cli(
            "consolidate",
            r,
            "--level",
            "commune",
            "--registry",
            reg,
            "--profile",
            "ha-tinh-2022",
            "-o",
            out,
            "--format",
            "json",
        )
        roster_line(f"6 rosters commune {r.stem}", p, "-")
        if out.exists():
            summaries.append(out)
    p = cli(
        "consolidate",
        *summaries,
        "--level",
        "district",
        "--registry",
        reg,
        "--profile",
        "ha-tinh-2022",
        "-o",
        tmp / "two-step.xlsx",
        "--format",
        "json",
    )
    roster_line("6 rosters 2-step district", p, ref)


def store_duplicates(store: Path) -> str:
    if not store.exists():
        return "no store file"
    con = sqlite3.connect(store)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        cols = (
            [r[1] for r in con.execute("PRAGMA table_info(submissions)")]
            if ("submissions" in tables)
            else []
        )
        if not {"kind", "unit_code", "period", "superseded_by"} <= set(cols):
            return f"schema differs; tables={tables} submissions cols={cols}"
        n = con.execute("SELECT count(*) FROM submissions").fetchone()[0]
        cur = con.execute(
            "SELECT count(*) FROM submissions WHERE superseded_by IS NULL"
        ).fetchone()[0]
        dup = con.execute(
            "SELECT count(*) FROM (SELECT kind, unit_code, period FROM submissions"
            " WHERE superseded_by IS NULL GROUP BY kind, unit_code, period HAVING count(*) > 1)"
        ).fetchone()[0]
        return f"submissions={n} current={cur} keys_with_>1_current={dup}"
    except sqlite3.Error as exc:
        return f"sqlite error: {exc}"
    finally:
        con.close()


def run_parallel(argvs: list[list[str | Path]]) -> list[tuple[int, str, str]]:
    start = time.time() + 2.5  # every process imports first, then starts together
    procs = [popen(*a, start_at=start) for a in argvs]
    out = []
    for pr in procs:
        try:
            so, se = pr.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            pr.kill()
            so, se = pr.communicate()
        out.append((pr.returncode, so, se))
    return out


def crash_summary(results: list[tuple[int, str, str]]) -> str:
    rcs = [r for r, _o, _e in results]
    errs = []
    for r, _o, e in results:
        if "Traceback" in e:
            last = [line for line in e.strip().splitlines() if line.strip()][-1]
            errs.append(short(last, 110))
        elif r not in (0, 1) and e.strip():  # e.g. exit 2 with a message, no traceback
            errs.append(f"rc={r}: " + short(re.sub(r"/tmp/\S+/", "…/", e), 110))
    kinds: dict[str, int] = {}
    for e in errs:
        kinds[e] = kinds.get(e, 0) + 1
    return f"rcs={rcs}" + (
        " crashes: " + "; ".join(f"{n}× {k}" for k, n in kinds.items()) if kinds else ""
    )


def s7_parallel(tmp: Path) -> None:
    files = sorted((CHI / "daily").glob("*.xlsx"))
    day5 = [f for f in files if DAY in f.name]
    total = sum(written_households(v) for v in CHI_LANG_COMMUNES.values())
    for rnd in range(3):  # the race is timing-dependent: three rounds, fresh store each
        store = tmp / f"p8-{rnd}.db"
        results = run_parallel(
            [["ingest", *files, "--registry", CHI_REG, "--store", store, "--format", "json"]] * 8
        )
        dups = store_duplicates(store)
        p = consolidate(day5, "district", CHI_REG, store, tmp / f"p8-{rnd}.xlsx")
        report(
            f"7a 8×ingest {len(files)} files #{rnd + 1}",
            p,
            total,
            crash_summary(results) + " | " + dups,
        )

    # two versions of one commune-day ingested at once: several trials
    villages = CHI_LANG_COMMUNES["Vạn Linh"]
    v1 = save(commune_book("Vạn Linh", villages), tmp / "v1" / f"van-linh-{DAY}.xlsx")
    bump = {
        (i, "shops"): daily_values(DAY_INDEX, i, h)["shops"] + 1
        for i, (_n, h) in enumerate(villages)
    }
    v2 = save(
        commune_book("Vạn Linh", villages, overrides=bump, total=False),
        tmp / "v2" / f"van-linh-{DAY}.xlsx",
    )
    trials, doubled, all_res, last_store = 10, 0, [], None
    notes = []
    for t in range(trials):
        store = tmp / f"two-{t}.db"
        res = run_parallel(
            [
                ["ingest", v1, "--registry", CHI_REG, "--store", store, "--format", "json"],
                ["ingest", v2, "--registry", CHI_REG, "--store", store, "--format", "json"],
            ]
        )
        all_res.extend(res)
        d = store_duplicates(store)
        m = re.search(r"keys_with_>1_current=(\d+)", d)
        note = d.replace("keys_with_>1_current", "dup")
        if m and int(m.group(1)) > 0:
            doubled += 1
            last_store = store
            notes.append(note)
    if last_store is None:
        last_store = tmp / f"two-{trials - 1}.db"
        notes.append(store_duplicates(last_store).replace("keys_with_>1_current", "dup"))
    p = consolidate([v1], "commune", CHI_REG, last_store, tmp / "two.xlsx")
    report(
        "7b 2 versions at once",
        p,
        written_households(villages),
        f"{doubled}/{trials} trials left >1 current submission; "
        + crash_summary(all_res)
        + " | store used: "
        + last_store.name
        + " "
        + notes[-1],
    )
    # what a consolidation gives for shops from that store vs either version
    d = parse_json(p.stdout)
    if isinstance(d, dict):
        shops = (d.get("totals") or {}).get("shops")
        s1 = sum(daily_values(DAY_INDEX, i, h)["shops"] for i, (_n, h) in enumerate(villages))
        line = f"    7b shops total={fmt_num(shops)} (v1={s1}, v2={s1 + len(villages)})"
        print(line, flush=True)
        LINES.append(line)

    # two versions of every commune-day of the week (20 each), one process per version:
    # 20 chances per trial for the two processes to meet on one (kind, unit, period)
    v2_files = []
    for commune, vills in CHI_LANG_COMMUNES.items():
        for day in range(7):
            date = dt.date(2021, 8, 2) + dt.timedelta(days=day)
            if not (CHI / "daily" / f"{SLUG[commune]}-{date}.xlsx").exists():
                continue  # the day the samples miss
            bump = {
                (i, "orders"): daily_values(day, i, h)["orders"] + 1
                for i, (_n, h) in enumerate(vills)
            }
            wb = daily_book(
                day,
                date_column=False,
                text_numbers=False,
                commune=commune,
                villages=vills,
                overrides=bump,
                total=False,
                sent_at="16:30",
            )
            v2_files.append(save(wb, tmp / "week-v2" / f"{SLUG[commune]}-{date}.xlsx"))
    trials, doubled, all_res, notes, worst = 3, 0, [], [], None
    for t in range(trials):
        store = tmp / f"week-{t}.db"
        res = run_parallel(
            [
                ["ingest", *files, "--registry", CHI_REG, "--store", store, "--format", "json"],
                ["ingest", *v2_files, "--registry", CHI_REG, "--store", store, "--format", "json"],
            ]
        )
        all_res.extend(res)
        d = store_duplicates(store)
        notes.append(d.replace("keys_with_>1_current", "dup"))
        m = re.search(r"keys_with_>1_current=(\d+)", d)
        if m and int(m.group(1)) > 0:
            doubled += 1
            worst = store
    worst = worst or tmp / f"week-{trials - 1}.db"
    p = consolidate(day5, "district", CHI_REG, worst, tmp / "week.xlsx")
    report(
        "7c 2 versions × 20 files at once",
        p,
        total,
        f"{doubled}/{trials} trials left >1 current; "
        + crash_summary(all_res)
        + " | "
        + " ; ".join(notes),
    )
    d = parse_json(p.stdout)
    if isinstance(d, dict):
        orders = (d.get("totals") or {}).get("orders")
        o1 = sum(
            daily_values(DAY_INDEX, i, h)["orders"]
            for vills in CHI_LANG_COMMUNES.values()
            for i, (_n, h) in enumerate(vills)
        )
        n = sum(len(v) for v in CHI_LANG_COMMUNES.values())
        line = f"    7c orders total={fmt_num(orders)} (v1={o1}, v2={o1 + n}) from {worst.name}"
        print(line, flush=True)
        LINES.append(line)


def s8_no_registry(tmp: Path) -> None:
    good, total = good_commune_files(tmp / "good")
    p = cli(
        "consolidate",
        *good,
        "--level",
        "district",
        "--date",
        DAY,
        "--store",
        tmp / "a.db",
        "-o",
        tmp / "a.xlsx",
        "--format",
        "json",
    )
    report("8a consolidate without --registry", p, total)
    reg = tmp / "empty-reg.xlsx"
    r = cli("registry", "init", "--province", "Lạng Sơn", "--as-of", "2021-08-01", "-o", reg)
    if r.returncode != 0:
        report("8b registry init", r, "-")
        return
    p = consolidate(good, "district", reg, tmp / "b.db", tmp / "b.xlsx")
    report("8b empty 'Thôn' registry", p, total)


def main() -> None:
    chk = subprocess.run(
        [PY, "-c", "import sheets_tool; print(sheets_tool.__file__)"],
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
    )
    print(f"# sheets_tool from {chk.stdout.strip() or chk.stderr.strip()}; samples from {SAMPLES}")
    print(
        f"# date {DAY}; columns: rc, JSON totals.households, units with status missing/units, "
        "len(findings), expected households written by this script"
    )
    t0 = time.time()
    scenarios = [
        s1_file_per_village,
        s2_bad_resubmission,
        s3_same_village_twice,
        s4_duplicate_code,
        s5_one_store_two_communes,
        s6_rosters,
        s7_parallel,
        s8_no_registry,
    ]
    for fn in scenarios:
        tmp = Path(tempfile.mkdtemp(prefix=f"st-{fn.__name__}-"))
        try:
            fn(tmp)
        except Exception as exc:  # the script itself must go on
            import traceback

            line = f"{fn.__name__}: SCRIPT ERROR {type(exc).__name__}: {exc}"
            print(line, flush=True)
            traceback.print_exc(limit=3)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"# done in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
