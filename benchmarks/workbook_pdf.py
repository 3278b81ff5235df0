"""Proof that a real spreadsheet program opens the block workbook (issue 8).

Generates the demo program, solves one block with the real solver, writes the block
workbook for it, converts the workbook to PDF with LibreOffice (headless) and renders the
first page to PNG with pdftoppm. Needs Debian's `libreoffice-calc-nogui` and
`poppler-utils` (apt-get install -y libreoffice-calc-nogui poppler-utils); the test suite
does not: it reads the workbook back with openpyxl instead.

    .venv/bin/python benchmarks/workbook_pdf.py [--block 2] [--out DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from residency.core.calendar import BlockSpan
from residency.demo.generator import build_demo_program
from residency.exports.workbook import build_workbook
from residency.scheduling import SolveRequest, result_to_snapshot, solve


def workbook_for_block(block: int) -> tuple[bytes, float]:
    program = build_demo_program()
    started = time.perf_counter()
    result = solve(SolveRequest(program=program, scope=block, time_limit_s=60, seed=1))
    if result.status != "succeeded":
        raise SystemExit(f"the solve ended {result.status}: {result.message}")
    snapshot = result_to_snapshot(program, result)
    span = next(b for b in snapshot.blocks if b.number == block)
    colors = {a.code: a.color for a in program.activities}
    content = build_workbook(
        snapshot, [BlockSpan(span.number, span.start, span.end)], program.name, colors
    )
    return content, time.perf_counter() - started


def convert(workbook: Path, folder: Path) -> tuple[Path, float]:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise SystemExit("LibreOffice is missing: apt-get install -y libreoffice-calc-nogui")
    started = time.perf_counter()
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return workbook.with_suffix(".pdf"), time.perf_counter() - started


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    line = next(row for row in info.stdout.splitlines() if row.startswith("Pages:"))
    return int(line.split()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--block", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None, help="keep the files here")
    args = parser.parse_args()
    folder = args.out or Path(tempfile.mkdtemp(prefix="workbook-pdf-"))
    folder.mkdir(parents=True, exist_ok=True)
    content, build_seconds = workbook_for_block(args.block)
    workbook = folder / f"block-{args.block}.xlsx"
    workbook.write_bytes(content)
    pdf, convert_seconds = convert(workbook, folder)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(folder / "page")],
        check=True,
    )
    print(f"workbook: {workbook} ({len(content):,} bytes; solve + build {build_seconds:.1f} s)")
    print(
        f"PDF: {pdf} ({pdf.stat().st_size:,} bytes, {pdf_pages(pdf)} page(s), "
        f"LibreOffice {convert_seconds:.1f} s)"
    )
    print(f"first page as PNG: {sorted(folder.glob('page*.png'))[0]}")


if __name__ == "__main__":
    main()
