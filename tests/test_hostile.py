"""Nothing crashes or fools the tool: a full disk, an output that cannot be written, a
write killed midway, and every command leaves its inputs byte for byte as they were."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_tool.cli import cli
from sheets_tool.files import atomic_path

from .conftest import SAMPLES, sha256

CHI_LANG = SAMPLES / "chi-lang"
DAILY = sorted((CHI_LANG / "daily").glob("*-2021-08-05.xlsx"))


def run_limited(limit: int, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command in a process that cannot write past ``limit`` bytes in any file, as
    on a disk that fills up (writes fail with EFBIG, as they fail with ENOSPC on a full
    disk: SQLite and xlsxwriter see an OSError either way)."""

    def limit_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    command = [sys.executable, "-c", "from sheets_tool.cli import main; main()", *args]
    return subprocess.run(
        command, preexec_fn=limit_files, capture_output=True, text=True, cwd=cwd, check=False
    )


def consolidate_args(store: Path, output: Path) -> list[str]:
    return [
        "consolidate",
        *map(str, DAILY),
        "--level",
        "district",
        "--date",
        "2021-08-05",
        "--registry",
        str(CHI_LANG / "registry.xlsx"),
        "--store",
        str(store),
        "-o",
        str(output),
    ]


@pytest.mark.parametrize("limit", [20_000, 70_000])
def test_a_full_disk_while_storing_is_a_message_and_leaves_nothing(tmp_path, limit):
    out = tmp_path / "out"
    out.mkdir()
    done = run_limited(limit, *consolidate_args(out / "s.db", out / "h.xlsx"), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "ổ đĩa đầy" in done.stderr
    left = sorted(p.name for p in out.iterdir())
    assert "h.xlsx" not in left and not [n for n in left if n.endswith(".tmp")]
    assert left in ([], ["s.db"])  # a store begun on the full disk is removed, or empty
    if left:
        done = subprocess.run(
            [sys.executable, "-c", "from sheets_tool.cli import main; main()",
             "history", "06505", "--store", str(out / "s.db")],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0 and "chưa có báo cáo nào" in done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["template", "daily", "-o", "t.xlsx"],
        ["registry", "init", "--province", "Lạng Sơn", "-o", "t.xlsx"],
        ["validate", str(SAMPLES / "bad" / "daily-broken-rows.xlsx"), "--annotate", "."],
    ],
    ids=["template", "registry-init", "annotate"],
)
def test_a_full_disk_while_writing_a_workbook_is_one_line(tmp_path, args):
    done = run_limited(4_000, *args, "--lang", "en", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert (
        done.stderr.strip().splitlines()[-1].endswith("(the file is larger than allowed)")
        or "File too large" in done.stderr
    )
    assert list(tmp_path.iterdir()) == []


def test_a_temporary_file_left_by_a_killed_write_is_removed_by_the_next(tmp_path):
    target = tmp_path / "h.xlsx"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    stale = tmp_path / f".h.xlsx.{int(dead.stdout)}.k3j4.tmp"
    stale.write_bytes(b"half a workbook")
    running = tmp_path / f".h.xlsx.{os.getpid()}.zz.tmp"  # a write going on now
    running.write_bytes(b"")
    other = tmp_path / f".other.xlsx.{int(dead.stdout)}.k3j4.tmp"
    other.write_bytes(b"")
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"done")
    assert target.read_bytes() == b"done"
    assert not stale.exists() and running.exists() and other.exists()


def test_sync_with_an_output_folder_it_cannot_make_says_so(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("")  # a file where the output folder should be
    config = tmp_path / "sync.toml"
    config.write_text(
        f'[sync]\nregistry = "{CHI_LANG / "registry.xlsx"}"\nstore = "out/s.db"\n'
        'output = "out"\n[[sources]]\nunit = "Xã Vạn Linh"\n'
        'spreadsheet = "gsheet:1VanLinhKey000000000"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["sync", str(config), "--credentials", str(tmp_path / "k")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.output.startswith("sync: ")
    assert blocker.read_text() == ""


def every_command(tmp_path: Path) -> list[list[str]]:
    store = str(tmp_path / "s.db")
    registry = str(CHI_LANG / "registry.xlsx")
    files = [str(p) for p in DAILY]
    rosters = [str(p) for p in sorted((SAMPLES / "duc-tho" / "rosters").glob("*.xlsx"))]
    return [
        ["validate", *files, str(SAMPLES / "bad" / "daily-broken-rows.xlsx"),
         "--annotate", str(tmp_path / "a")],
        ["validate", *map(str, sorted((SAMPLES / "good").glob("*.xlsx"))),
         "--format", "json"],
        ["ingest", *files, "--registry", registry, "--store", store],
        ["history", "06505", "--store", store],
        ["consolidate", *files, "--level", "district", "--date", "2021-08-05",
         "--registry", registry, "--store", store, "-o", str(tmp_path / "h.xlsx"),
         "--html", str(tmp_path / "h.html")],
        ["consolidate", str(tmp_path / "h.xlsx"), "--level", "province", "--date",
         "2021-08-05", "--store", str(tmp_path / "p.db"), "-o", str(tmp_path / "p.xlsx")],
        ["consolidate", *rosters, "--level", "district",
         "--registry", str(SAMPLES / "duc-tho" / "registry.xlsx"), "-o", str(tmp_path / "r.xlsx")],
    ]  # fmt: skip


def test_every_command_leaves_its_inputs_byte_for_byte(tmp_path):
    inputs = [p for p in SAMPLES.rglob("*") if p.suffix in (".xlsx", ".xls")]
    before = {p: sha256(p) for p in inputs}
    for args in every_command(tmp_path):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code in (0, 1), (args[0], result.output)
    assert {p: sha256(p) for p in inputs} == before
    summary = tmp_path / "h.xlsx"
    assert summary.exists()
    digest = sha256(summary)
    CliRunner().invoke(cli, every_command(tmp_path)[5])  # the summary read as an input
    assert sha256(summary) == digest
