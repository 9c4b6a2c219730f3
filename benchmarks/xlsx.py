"""Reading .xlsx uploads: a zip bomb of empty cells and a legitimate 200,000-row sheet.

For each file: its size, the time the streaming reader (cardreg.employers.batchfile.xlsx) takes
to read or refuse it, and with --openpyxl the time of the openpyxl reading the project used
before (load_workbook read-only, reset_dimensions, iter_rows), run in a child process killed
after --timeout seconds.

    .venv/bin/python benchmarks/xlsx.py              # the streaming reader only
    .venv/bin/python benchmarks/xlsx.py --openpyxl   # also the openpyxl reading (slow)
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cardreg.employers.batchfile import UploadRefused, scan_upload
from cardreg.employers.batchfile.bombs import employees_workbook, empty_cell_bomb

NAME = "1200000001050530.xlsx"


def streaming(data: bytes) -> str:
    started = time.perf_counter()
    try:
        upload = scan_upload(data, NAME)
        outcome = f"{upload.total} rows"
    except UploadRefused as refused:
        outcome = f"refused: {refused.problem}"
    return f"{time.perf_counter() - started:6.2f} s  {outcome}"


def _openpyxl_child(data: bytes) -> None:
    import io

    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()
    rows = sum(1 for _ in sheet.iter_rows(values_only=True))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"    (openpyxl child: {rows} rows, peak {peak:.0f} MiB)", flush=True)


def with_openpyxl(data: bytes, timeout: float) -> str:
    child = multiprocessing.Process(target=_openpyxl_child, args=(data,))
    started = time.perf_counter()
    child.start()
    child.join(timeout)
    elapsed = time.perf_counter() - started
    if child.is_alive():
        child.kill()
        child.join()
        return f"{elapsed:6.2f} s  still reading, killed"
    return f"{elapsed:6.2f} s  read"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--openpyxl", action="store_true")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    files = {
        "bomb: 190 MiB of <c/> in one row": empty_cell_bomb(190),
        "bomb: 190 MiB of <c/>, rows of 16": empty_cell_bomb(190, cells_per_row=16),
        f"legitimate: {args.rows} rows": employees_workbook(args.rows),
    }
    for label, data in files.items():
        print(f"{label} ({len(data) / 1024:.0f} KiB)")
        print(f"  streaming: {streaming(data)}", flush=True)
        if args.openpyxl:
            print(f"  openpyxl:  {with_openpyxl(data, args.timeout)}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process (files built in memory): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
