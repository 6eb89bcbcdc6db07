"""Draws the web app icons (public/icons/*.png): a blue tile holding a glass box with three bars,
the probabilities glassbox shows. Run with the Python that has numpy: scripts/python.sh, or
/usr/bin/python3 scripts/make-icons.py. Writes PNGs with zlib; no image library needed."""

import struct
import zlib
from pathlib import Path

import numpy as np

BLUE = (0x23, 0x57, 0xC6)
WHITE = (0xFF, 0xFF, 0xFF)
SUPERSAMPLE = 4
OUT = Path(__file__).resolve().parent.parent / "public" / "icons"


def rounded_rect(xs, ys, left, top, right, bottom, radius):
    """Mask of a rounded rectangle over pixel centres (coordinates in 0..1 of the icon)."""
    cx = np.clip(xs, left + radius, right - radius)
    cy = np.clip(ys, top + radius, bottom - radius)
    return (xs - cx) ** 2 + (ys - cy) ** 2 <= radius**2


def draw(size, full_bleed):
    n = size * SUPERSAMPLE
    coords = (np.arange(n) + 0.5) / n
    xs, ys = np.meshgrid(coords, coords)
    # Maskable icons are cropped to a circle of 80% of their width: keep the drawing inside it.
    scale, offset = (0.62, 0.19) if full_bleed else (1.0, 0.0)
    x = (xs - offset) / scale
    y = (ys - offset) / scale

    tile = np.ones_like(xs, dtype=bool) if full_bleed else rounded_rect(xs, ys, 0.02, 0.02, 0.98, 0.98, 0.2)
    outer = rounded_rect(x, y, 0.18, 0.2, 0.82, 0.8, 0.08)
    inner = rounded_rect(x, y, 0.225, 0.245, 0.775, 0.755, 0.045)
    bars = np.zeros_like(xs, dtype=bool)
    for top, length in ((0.32, 0.42), (0.46, 0.27), (0.6, 0.15)):
        bars |= rounded_rect(x, y, 0.3, top, 0.3 + length, top + 0.08, 0.03)
    white = outer & ~inner | bars

    rgba = np.zeros((n, n, 4), dtype=np.float64)
    rgba[tile, :3] = BLUE
    rgba[tile & white, :3] = WHITE
    rgba[tile, 3] = 255
    # Average each SUPERSAMPLE x SUPERSAMPLE block (premultiplied) for smooth edges.
    blocks = rgba.reshape(size, SUPERSAMPLE, size, SUPERSAMPLE, 4)
    alpha = blocks[..., 3].mean(axis=(1, 3))
    colour = (blocks[..., :3] * blocks[..., 3:] / 255).mean(axis=(1, 3))
    out = np.zeros((size, size, 4), dtype=np.uint8)
    visible = alpha > 0
    out[visible, :3] = np.round(colour[visible] * 255 / alpha[visible, None]).astype(np.uint8)
    out[..., 3] = np.round(alpha).astype(np.uint8)
    return out


def png(pixels):
    height, width, _ = pixels.shape
    raw = b"".join(b"\x00" + pixels[row].tobytes() for row in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, full_bleed in (("icon-192.png", 192, False), ("icon-512.png", 512, False), ("icon-maskable-512.png", 512, True)):
        (OUT / name).write_bytes(png(draw(size, full_bleed)))
        print(f"wrote {OUT / name}")


if __name__ == "__main__":
    main()
