"""Deterministic gzip in remembered segments (generator.publish.gzipped)."""

from __future__ import annotations

import gzip
import subprocess
import zlib
from pathlib import Path

import pytest

from generator.publish import gzipped

LINES = [
    f'{{"id": "event-{n:05d}", "title": "Launch {n} 북한 \u2028 said"}}\n' for n in range(3500)
]


def _one_member(data: bytes) -> bytes:
    reader = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)  # (gzip)
    text = reader.decompress(data)
    assert reader.eof and reader.unused_data == b""
    return text


@pytest.mark.parametrize(
    "text",
    ["".join(LINES), "".join(LINES)[:-1], "", "no newline", "\n" * 2500],
    ids=["lines", "unended", "empty", "one-line", "newlines"],
)
def test_same_text_same_bytes_and_one_gzip_member(text: str) -> None:
    data = gzipped.compress(text)
    assert data == gzipped.compress(text)
    assert _one_member(data) == gzip.decompress(data) == text.encode("utf-8")
    assert data[:10] == gzipped.GZIP_HEADER  # (modification time 0, no file name)


def test_gunzip_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "events.csv.gz"
    path.write_bytes(gzipped.compress("".join(LINES)))
    result = subprocess.run(["gzip", "-dc", str(path)], capture_output=True, check=True)
    assert result.stdout.decode("utf-8") == "".join(LINES)


def test_after_an_edit_only_its_segment_is_compressed_again() -> None:
    segments = gzipped.Segments()
    before = gzipped.compress("".join(LINES), segments)
    assert segments.compressed == 4  # (3,500 lines in segments of 1,000)
    segments.forget_unused()
    edited = list(LINES)
    edited[2100] = edited[2100].replace("Launch", "Test-fire")
    after = gzipped.compress("".join(edited), segments)
    assert segments.compressed == 5
    assert after == gzipped.compress("".join(edited)) != before
    assert gzip.decompress(after) == "".join(edited).encode("utf-8")


def test_segments_cost_little_against_one_stream() -> None:
    text = "".join(LINES * 3).encode("utf-8")
    whole = len(gzip.compress(text, compresslevel=gzipped.LEVEL, mtime=0))
    assert len(gzipped.compress(text.decode("utf-8"))) < whole * 1.03
