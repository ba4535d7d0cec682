"""Record every user-visible output of `review` on fixed inputs, or compare against a record.

    python scripts/output_identity.py record OUT_DIR [--qe DATA_DIR]
    python scripts/output_identity.py compare OUT_DIR [--qe DATA_DIR]

A refactoring that must not change behaviour records on the commit before it and compares on
every commit after. The inputs: every row of the QE train and dev files (MT and post-edit
sides), scored as one TSV; every corpus sample, scored, aligned and reported in each format; a
project built from each sample, exported as TMX and reported. Prints one line per differing
file and exits 1 if any differs.
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SOURCES = (
    "sample.tsv",
    "sample.tmx",
    "mlqe-enzh-sample.tsv",
    "science-and-technology-catalyst.txt",
)
DOC_PAIR = ("--en", str(CORPUS / "sample-doc.en.txt"), "--zh", str(CORPUS / "sample-doc.zh.txt"))
# Projects are built here, so the paths reports print are the same on every run.
SCRATCH = Path(tempfile.gettempdir()) / "review-output-identity"
# What differs between two runs of the same code: the clock.
CLOCK = re.compile(
    rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:\+00:00|Z)?"
    rb"|\d{8}T\d{6}Z|\d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d)? UTC"
)


def review(*args: str, stdout: Path | None = None, cwd: Path | None = None) -> None:
    """Run `python -m review ARGS`, failing loudly; stdout to a file when given."""
    env = {**os.environ, "REVIEW_REVIEWER": "identity", "TZ": "UTC"}
    with open(stdout, "wb") if stdout else open(os.devnull, "wb") as out:
        done = subprocess.run([sys.executable, "-m", "review", *args], stdout=out,
                              stderr=subprocess.PIPE, cwd=cwd, env=env, check=False)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"review {' '.join(args)}: exit {done.returncode}\n"
                         f"{done.stderr.decode(errors='replace')}")  # fmt: skip


def qe_tsv(data: Path, out: Path) -> Path:
    """Every QE train/dev row as `en<TAB>zh`: MT, then post-edit where there is one."""
    rows: list[tuple[str, str]] = []
    for name in ("mlqe-enzh-train", "mlqe-enzh-dev", "ced-enzh-train", "ced-enzh-dev"):
        with open(data / f"{name}.tsv", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                rows.append((row["src_en"], row["mt_zh"]))
                if row.get("pe_zh"):
                    rows.append((row["src_en"], row["pe_zh"]))
    path = out / "qe-input.tsv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("en\tzh\n")
        handle.writelines(f"{en}\t{zh}\n" for en, zh in rows)
    return path


def build_project(project: Path, source: list[str], cwd: Path) -> None:
    """A project from `source`, through `review build` when the tool has it."""
    probe = subprocess.run([sys.executable, "-m", "review", "build", "--help"],
                           capture_output=True, check=False)  # fmt: skip
    if probe.returncode == 0:
        review("build", *source, "--project", str(project), cwd=cwd)
        return
    from review.tui.launch import build_project as legacy_build

    paths = [Path(s) for s in source if not s.startswith("--")]
    en = Path(source[source.index("--en") + 1]) if "--en" in source else None
    zh = Path(source[source.index("--zh") + 1]) if "--zh" in source else None
    if en is not None:
        paths = []
    legacy_build(project, paths, en=en, zh=zh, progress=lambda line: None).close()


def record(out: Path, qe: Path | None) -> None:
    """Write every output into `out` (which must be empty or missing)."""
    out.mkdir(parents=True, exist_ok=True)
    if qe is not None:
        with tempfile.TemporaryDirectory() as scratch:
            tsv = qe_tsv(qe, Path(scratch))
            review("score", str(tsv), "-o", str(out / "qe.jsonl"), "--jobs", "2")
            review("score", str(tsv), "--format", "tsv", "-o", str(out / "qe.tsv"), "--jobs", "2")
    inputs: dict[str, list[str]] = {name: [str(CORPUS / name)] for name in SOURCES}
    inputs["sample-doc"] = list(DOC_PAIR)
    for name, source in inputs.items():
        for fmt in ("jsonl", "tsv", "text"):
            review("score", *source, "--format", fmt, "--jobs", "1",
                   stdout=out / f"{name}.score.{fmt}")  # fmt: skip
        review("report", *source, "--json", str(out / f"{name}.report.json"),
               "--csv", str(out / f"{name}.report.csv"), "--html", str(out / f"{name}.report.html"),
               stdout=out / f"{name}.report.txt")  # fmt: skip
        shutil.rmtree(SCRATCH, ignore_errors=True)
        SCRATCH.mkdir()
        project = SCRATCH / f"{name}.review.sqlite"
        build_project(project, source, SCRATCH)
        review("export", str(project), "--tmx", str(out / f"{name}.project.tmx"))
        review("report", str(project), "--json", str(out / f"{name}.project.json"),
               "--csv", str(out / f"{name}.project.csv"),
               stdout=out / f"{name}.project.txt")  # fmt: skip
    shutil.rmtree(SCRATCH, ignore_errors=True)
    for fmt in ("beads", "tsv", "jsonl"):
        review("align", *DOC_PAIR, "--format", fmt, stdout=out / f"sample-doc.align.{fmt}")
    for path in out.iterdir():
        path.write_bytes(CLOCK.sub(b"<clock>", path.read_bytes()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["record", "compare"])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--qe", type=Path, help="the QE data folder (train and dev TSVs)")
    args = parser.parse_args()
    if args.action == "record":
        record(args.directory, args.qe)
        print(f"recorded {len(list(args.directory.iterdir()))} files in {args.directory}")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        now = Path(scratch)
        record(now, args.qe)
        names = sorted({p.name for p in args.directory.iterdir()} | {p.name for p in now.iterdir()})
        differing = [n for n in names if not (args.directory / n).is_file()
                     or not (now / n).is_file()
                     or not filecmp.cmp(args.directory / n, now / n, shallow=False)]  # fmt: skip
        for name in differing:
            print(f"differs: {name}")
        print(f"compared {len(names)} files: {len(differing)} differ")
        return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
