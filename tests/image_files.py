"""Real image files, friendly and hostile, made in the tests themselves."""

import io
import struct
import zlib

from PIL import Image

GPS_LATITUDE = (46.0, 43.0, 21.0)


def photo(fmt="JPEG", size=(800, 600), *, gps=False, orientation=None, mode="RGB") -> bytes:
    """A noisy photo (so it compresses like a real one), optionally with EXIF GPS."""
    image = Image.effect_noise(size, 60).convert(mode)
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: GPS_LATITUDE}  # GPS IFD
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, fmt, **({"exif": exif} if len(exif) else {}))
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def huge_png(side=13_000) -> bytes:
    """A valid black-and-white PNG of side × side pixels that weighs a few kilobytes."""
    row = b"\x00" * (1 + (side + 7) // 8)  # filter byte, then 1 bit per pixel
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", body)
        + _chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    """A real JPEG cut in the middle of its pixels, as a broken upload leaves it."""
    data = photo()
    return data[: len(data) // 2]


NOT_AN_IMAGE = b"MZ\x90\x00" + b"\x00" * 2000  # an executable named photo.jpg
