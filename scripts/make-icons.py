#!/usr/bin/env python3
"""Draws the app icons (a location pin on the brand colour) as PNGs with only the standard
library. Run once when the design changes; the PNGs are committed as source assets."""
import math
import struct
import sys
import zlib
from pathlib import Path

BG = (15, 23, 42)
PIN = (37, 99, 235)
DOT = (255, 255, 255)


def pixel(x: float, y: float, size: int, maskable: bool):
    # Normalised coordinates; maskable icons keep the drawing inside the central 80 % safe zone.
    scale = 0.8 if maskable else 1.0
    u = (x / size - 0.5) / scale + 0.5
    v = (y / size - 0.5) / scale + 0.5
    cx, cy, r = 0.5, 0.42, 0.24
    d = math.hypot(u - cx, v - cy)
    # The pin: a circle with a point below it.
    in_head = d <= r
    in_tail = cy <= v <= 0.82 and abs(u - cx) <= r * (0.82 - v) / (0.82 - cy) * 0.95
    if d <= r * 0.42:
        return DOT
    if in_head or in_tail:
        return PIN
    return BG


def png(size: int, maskable: bool) -> bytes:
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            row.extend(pixel(x + 0.5, y + 0.5, size, maskable))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


out = Path(sys.argv[1] if len(sys.argv) > 1 else "public/icons")
out.mkdir(parents=True, exist_ok=True)
for size in (192, 512):
    (out / f"icon-{size}.png").write_bytes(png(size, False))
    (out / f"icon-maskable-{size}.png").write_bytes(png(size, True))
(out / "apple-touch-icon.png").write_bytes(png(180, False))
print("icons written to", out)
