#!/usr/bin/env python3
"""Writes a solid-colour RGB PNG with the standard library only (zlib + struct).

Usage: make_png.py OUT.png SIZE RRGGBB
Distinct sizes and colours let tests tell which density's icon the reader picked.
"""
import struct
import sys
import zlib


def png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def solid_png(size: int, rgb: bytes) -> bytes:
    # Each scanline starts with filter byte 0 (none).
    row = b"\x00" + rgb * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) +
            png_chunk(b"IDAT", zlib.compress(row * size, 9)) + png_chunk(b"IEND", b""))


def main() -> None:
    out, size, colour = sys.argv[1], int(sys.argv[2]), bytes.fromhex(sys.argv[3])
    with open(out, "wb") as f:
        f.write(solid_png(size, colour))


if __name__ == "__main__":
    main()
