"""The batch-file layer as a whole: pure Python, usable without Django."""

import subprocess
import sys


def test_the_batch_file_layer_imports_neither_django_nor_openpyxl_for_a_csv() -> None:
    code = (
        "import sys, cardreg.employers.batchfile as b\n"
        "b.validate_rows(b.read_upload(b'h\\nA123456789,a@b.tw,0912345678\\n', 'x.CSV'))\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'django', 'openpyxl'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
