"""Deterministic gzip files, compressed in segments that `mkdocs serve` keeps between rebuilds.

The largest downloads of the open data (`events.json`, `events.csv`) are published
gzip-compressed: at 10,000 events they were 49 MB as text, a seventh of the whole site. The same
text always gives the same bytes (the header's modification time is 0 and names no file), so two
builds, a build and `mkdocs serve`, and the golden tests all see identical files.

Compressing all of it takes seconds at that scale, which every edit under `mkdocs serve` would
pay again. The text is compressed in segments of `LINES` lines instead, each with a compressor of
its own, ended by a sync flush (an empty stored block, so that the next segment starts on a byte):
concatenated, the segments are one deflate stream, and the file is one ordinary gzip member that
every reader takes (as pigz writes them). Deflate looks back 32 KB at most, so segments of
hundreds of kilobytes cost next to nothing in size. `Segments` remembers what each segment became,
by a digest of its text: after an edit, only the segment holding the edited record is compressed
again.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterator

LEVEL = 6
"""zlib's level: 9 saved 1% more at 10,000 events, for twice the time."""
LINES = 1000
"""Lines of text per segment (2.7 MB of events.json at 10,000 synthetic events, a thousand
events; a quarter of that of events.csv, whose records span lines)."""
GZIP_HEADER = bytes([0x1F, 0x8B, zlib.DEFLATED, 0, 0, 0, 0, 0, 0, 255])
"""RFC 1952: the magic bytes, deflate, no flags, modification time 0, no extra flags, no OS."""


LAST = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS).flush()
"""An empty final block: the end of the deflate stream."""


class Segments:
    """Compressed segments, by a digest of their text, kept from one build to the next."""

    def __init__(self) -> None:
        self._old: dict[bytes, bytes] = {}
        self._new: dict[bytes, bytes] = {}
        self.compressed = 0
        """Segments compressed so far (the others were remembered)."""

    def get(self, text: memoryview) -> bytes:
        """``text`` compressed, ended by a sync flush (never the final block)."""
        key = hashlib.blake2b(text, digest_size=16).digest()
        found = self._new.get(key) or self._old.get(key)
        if found is None:
            compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
            found = compressor.compress(text) + compressor.flush(zlib.Z_SYNC_FLUSH)
            self.compressed += 1
        self._new[key] = found
        return found

    def forget_unused(self) -> None:
        """Drop the segments not asked for since the last call."""
        self._old, self._new = self._new, {}


def _pieces(data: bytes) -> Iterator[memoryview]:
    """``data`` cut after every `LINES` th newline."""
    view, start = memoryview(data), 0
    while start < len(data):
        end = start
        for _ in range(LINES):
            end = data.find(b"\n", end) + 1
            if end == 0:
                end = len(data)
                break
        yield view[start:end]
        start = end


def compress(text: str, segments: Segments | None = None) -> bytes:
    """``text`` (UTF-8) as a gzip file, the same bytes for the same text."""
    data = text.encode("utf-8")
    segments = segments or Segments()
    body = b"".join(segments.get(piece) for piece in _pieces(data))
    trailer = struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)
    return GZIP_HEADER + body + LAST + trailer
