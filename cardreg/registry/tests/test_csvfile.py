"""Choosing a CSV file's encoding from the whole file, and saying where it cannot be read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cardreg.registry.csvfile import ImportFileError, detect_encoding

WriteCsv = Callable[..., Path]


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("a,b\n臺北市,中正區\n", "utf-8", "utf-8-sig"),
        ("a,b\n臺北市,中正區\n", "utf-8-sig", "utf-8-sig"),
        ("a,b\n臺北市,中正區\n", "cp950", "cp950"),
        ("a,b\n林堃喆,1\n", "big5hkscs", "big5hkscs"),
        ("a,b\n1,2\n", "ascii", "utf-8-sig"),
    ],
)
def test_the_encoding_is_the_first_that_reads_the_file(
    write_csv: WriteCsv, text: str, encoding: str, expected: str
) -> None:
    assert detect_encoding(write_csv(text, encoding)) == expected


def test_big5_far_down_an_ascii_file_is_still_found(write_csv: WriteCsv) -> None:
    # More than one read block of plain ASCII before the first Big5 name.
    text = "a,b\n" + "A123456789,1\n" * 200_000 + "許功蓋,2\n"
    assert detect_encoding(write_csv(text, "cp950")) == "cp950"


def test_a_file_in_no_known_encoding_names_the_line(write_csv: WriteCsv) -> None:
    path = write_csv("a,b\n臺北市,1\n中正區,2\n")
    path.write_bytes(path.read_bytes() + b"\xff\xfe\xff,3\n")
    with pytest.raises(ImportFileError) as caught:
        detect_encoding(path)
    assert caught.value.line == 4
    assert "neither UTF-8 nor Big5" in str(caught.value)
