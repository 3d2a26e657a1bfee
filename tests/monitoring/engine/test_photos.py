"""A photo's location metadata comes out, and nothing else changes: the Exif block keeps its
orientation and camera, the picture's bytes are the camera's, XMP and IPTC blocks go, and a
photo whose monitor keeps the location is stored as taken."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from hofburg.monitoring.engine.photos import (
    PhotoError,
    PhotoFormat,
    UnreadableExif,
    exif_without_gps,
    kept_as_taken,
    photo_format,
    strip_location,
)

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F
LATITUDE = (48.0, 12.0, 34.5)


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = "EXERCISE camera"
    exif[GPS_IFD] = {1: "N", 2: LATITUDE, 3: "W", 4: (30.0, 5.0, 6.5), 6: 123.0}
    return exif


def _picture() -> Image.Image:
    image = Image.new("RGB", (48, 32), (180, 40, 40))
    for x in range(48):
        image.putpixel((x, x % 32), (20, 120, 200))
    return image


def jpeg_with_gps(xmp: bytes = b"") -> bytes:
    out = io.BytesIO()
    _picture().save(out, "JPEG", exif=_exif().tobytes(), quality=90)
    data = out.getvalue()
    if xmp:  # an XMP packet after the Exif block, as phones write one
        packet = b"http://ns.adobe.com/xap/1.0/\x00" + xmp
        segment = b"\xff\xe1" + struct.pack(">H", len(packet) + 2) + packet
        data = data[:2] + segment + data[2:]
    return data


def _gps_of(content: bytes) -> dict[int, object]:
    return dict(Image.open(io.BytesIO(content)).getexif().get_ifd(GPS_IFD))


def _rational_bytes(value: float) -> bytes:
    """The latitude's seconds as the Exif writer stored them (a rational, little-endian)."""
    numerator, denominator = value.as_integer_ratio()
    return struct.pack("<II", numerator, denominator)


def test_a_jpeg_with_gps_comes_out_without_it() -> None:
    taken = jpeg_with_gps()
    assert _gps_of(taken)[2] == LATITUDE  # the test photo does carry a position

    stripped = strip_location(taken)

    assert stripped.format is PhotoFormat.JPEG and stripped.media_type == "image/jpeg"
    assert stripped.removed == ("GPS",)
    assert _gps_of(stripped.content) == {}
    # Not only unlinked: the figures themselves are gone from the bytes.
    assert _rational_bytes(LATITUDE[2]) in taken
    assert _rational_bytes(LATITUDE[2]) not in stripped.content


def test_stripping_keeps_the_rest_of_the_exif_block_and_the_picture_as_the_camera_wrote_it(
        ) -> None:
    taken = jpeg_with_gps()
    stripped = strip_location(taken).content

    exif = Image.open(io.BytesIO(stripped)).getexif()
    assert exif[ORIENTATION] == 6 and exif[MAKE] == "EXERCISE camera"
    # Same length, same scan: the block was edited in place, the image not encoded again.
    assert len(stripped) == len(taken)
    scan = taken.index(b"\xff\xda")
    assert stripped[scan:] == taken[scan:]
    assert Image.open(io.BytesIO(stripped)).tobytes() == Image.open(io.BytesIO(taken)).tobytes()


def test_an_xmp_packet_which_can_repeat_the_position_is_dropped() -> None:
    xmp = b'<x:xmpmeta><rdf:Description exif:GPSLatitude="48,12.576N"/></x:xmpmeta>'
    stripped = strip_location(jpeg_with_gps(xmp=xmp))
    assert set(stripped.removed) == {"GPS", "XMP"}
    assert b"GPSLatitude" not in stripped.content


def test_a_photo_whose_monitor_keeps_the_location_is_stored_as_taken() -> None:
    taken = jpeg_with_gps()
    kept = kept_as_taken(taken)
    assert kept.content == taken and kept.removed == ()
    assert _gps_of(kept.content)[2] == LATITUDE


def test_a_photo_without_location_is_unchanged() -> None:
    out = io.BytesIO()
    _picture().save(out, "JPEG")
    stripped = strip_location(out.getvalue())
    assert stripped.content == out.getvalue() and stripped.removed == ()


def test_a_png_loses_the_gps_of_its_exif_chunk_and_stays_a_valid_png() -> None:
    out = io.BytesIO()
    _picture().save(out, "PNG", exif=_exif().tobytes())
    taken = out.getvalue()
    assert _gps_of(taken)[2] == LATITUDE

    stripped = strip_location(taken)

    assert stripped.format is PhotoFormat.PNG and stripped.removed == ("GPS",)
    assert _gps_of(stripped.content) == {}
    image = Image.open(io.BytesIO(stripped.content))
    image.load()  # every chunk's checksum is checked on the way
    assert image.getexif()[ORIENTATION] == 6
    assert image.tobytes() == Image.open(io.BytesIO(taken)).tobytes()


def test_a_webp_loses_the_gps_of_its_exif_chunk() -> None:
    out = io.BytesIO()
    _picture().save(out, "WEBP", exif=_exif().tobytes(), lossless=True)
    taken = out.getvalue()
    assert _gps_of(taken)[2] == LATITUDE

    stripped = strip_location(taken)

    assert stripped.format is PhotoFormat.WEBP and stripped.removed == ("GPS",)
    assert _gps_of(stripped.content) == {}
    image = Image.open(io.BytesIO(stripped.content))
    assert image.tobytes() == Image.open(io.BytesIO(taken)).tobytes()
    assert struct.unpack("<I", stripped.content[4:8])[0] == len(stripped.content) - 8


def test_an_exif_block_that_points_outside_itself_is_dropped_whole() -> None:
    taken = jpeg_with_gps()
    start = taken.index(b"Exif\x00\x00") + 6
    broken = bytearray(taken)
    broken[start + 4:start + 8] = struct.pack("<I" if taken[start:start + 2] == b"II" else ">I",
                                              10**6)  # IFD0 far beyond the block
    stripped = strip_location(bytes(broken))
    assert stripped.removed == ("Exif",)
    assert b"Exif\x00\x00" not in stripped.content
    Image.open(io.BytesIO(stripped.content)).load()


def test_a_loop_of_directories_drops_the_exif_block_rather_than_walking_it() -> None:
    # IFD0 at 8 with no entry, whose "next directory" is itself.
    tiff = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 0) + struct.pack("<I", 8)
    with pytest.raises(UnreadableExif):
        exif_without_gps(tiff)
    out = io.BytesIO()
    _picture().save(out, "JPEG")
    plain = out.getvalue()
    payload = b"Exif\x00\x00" + tiff
    looping = plain[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + plain[2:]
    stripped = strip_location(looping)
    assert stripped.removed == ("Exif",) and stripped.content == plain


def test_the_format_is_told_by_the_bytes_not_the_name() -> None:
    assert photo_format(jpeg_with_gps()) is PhotoFormat.JPEG
    assert photo_format(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None
    with pytest.raises(PhotoError, match="not a JPEG, PNG or WebP"):
        strip_location(b"GIF89a" + b"\x00" * 40)
    with pytest.raises(PhotoError, match="not a JPEG, PNG or WebP"):
        kept_as_taken(b"%PDF-1.7")


def test_a_jpeg_cut_short_is_refused() -> None:
    taken = jpeg_with_gps()
    with pytest.raises(PhotoError, match=r"cut short|no picture"):
        strip_location(taken[:40])


def test_a_png_text_chunk_holding_xmp_is_dropped() -> None:
    out = io.BytesIO()
    _picture().save(out, "PNG")
    plain = out.getvalue()
    data = b"XML:com.adobe.xmp\x00\x00\x00\x00\x00<x:xmpmeta exif:GPSLatitude='48'/>"
    chunk = (struct.pack(">I", len(data)) + b"iTXt" + data
             + struct.pack(">I", zlib.crc32(b"iTXt" + data) & 0xFFFFFFFF))
    with_xmp = plain[:33] + chunk + plain[33:]  # after the 8-byte signature and IHDR
    stripped = strip_location(with_xmp)
    assert stripped.removed == ("XMP",) and stripped.content == plain
