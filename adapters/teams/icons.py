"""The two Teams app icons, drawn with the standard library: two chain links (a 'keten').

Teams wants a 192x192 full-colour icon and a 32x32 outline icon that is white on transparent.
The PNGs in manifest/ were written with `draw_icons(folder)`; run it again after changing the design.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

ACCENT = (0x1F, 0x6F, 0x8B)
WHITE = (0xFF, 0xFF, 0xFF)
COLOR_SIZE = 192
OUTLINE_SIZE = 32
SUBSAMPLES = 4


def encode_png(width: int, height: int, rgba_rows: list[bytes]) -> bytes:
    """An 8-bit RGBA PNG from rows of width*4 bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rgba_rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def link_coverage(size: int, x: int, y: int) -> float:
    """How much of pixel (x, y) the two interlocking rings cover, 0 to 1 (supersampled)."""
    outer, inner = 0.25 * size, 0.17 * size
    centres = ((0.37 * size, 0.5 * size), (0.63 * size, 0.5 * size))
    hits = 0
    for sx in range(SUBSAMPLES):
        for sy in range(SUBSAMPLES):
            px, py = x + (sx + 0.5) / SUBSAMPLES, y + (sy + 0.5) / SUBSAMPLES
            if any(inner <= math.hypot(px - cx, py - cy) <= outer for cx, cy in centres):
                hits += 1
    return hits / SUBSAMPLES**2


def draw_icon(size: int, *, background: tuple[int, int, int] | None) -> bytes:
    """White chain links on the background colour, or on transparent when background is None."""
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            cover = link_coverage(size, x, y)
            if background is None:
                row += bytes((*WHITE, round(255 * cover)))
            else:
                row += bytes((*(round(b + (w - b) * cover) for b, w in zip(background, WHITE, strict=True)), 255))
        rows.append(bytes(row))
    return encode_png(size, size, rows)


def draw_icons(folder: Path) -> tuple[Path, Path]:
    """Write color.png (192x192) and outline.png (32x32) into folder."""
    color, outline = folder / "color.png", folder / "outline.png"
    color.write_bytes(draw_icon(COLOR_SIZE, background=ACCENT))
    outline.write_bytes(draw_icon(OUTLINE_SIZE, background=None))
    return color, outline
