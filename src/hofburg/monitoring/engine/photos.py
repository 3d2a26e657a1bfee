"""A photo's location metadata taken out, without re-encoding the picture.

A monitor's phone writes where a photo was taken into the file: the Exif block's GPS directory
(latitude, longitude, altitude, time, direction), and sometimes an XMP packet (which can repeat
the GPS figures) or an IPTC block (which can name the city and the place). Stored with an
observation, that would tell every reader of the photo where the patrol stood, to the metre,
beyond what the observation itself records. So a photo is stored without them unless the
monitor asks to keep them (decision 0058):

- the Exif block stays (the orientation, the camera, the time), with its GPS directory gone:
  the pointer to it is taken out of the directory that holds it and the directory's bytes,
  with every value it pointed to, are overwritten with zeros. The block keeps its length, so
  nothing else in the file moves;
- XMP packets and IPTC blocks are dropped whole;
- an Exif block that cannot be read safely is dropped whole, rather than kept with a GPS
  directory nobody could find;
- the picture's own bytes (the compressed image data) are copied as they are: nothing is
  decoded or encoded again, so the quality and the pixels are those the camera wrote.

JPEG, PNG and WebP are read (the formats a phone's browser hands over); the format is told from
the file's first bytes, never from its name or declared type. Standard library only.
"""

from __future__ import annotations

import enum
import struct
import zlib
from dataclasses import dataclass


class PhotoError(ValueError):
    """The file is not a photo this module reads; the message says why."""


class PhotoFormat(enum.StrEnum):
    JPEG = "jpeg"
    PNG = "png"
    WEBP = "webp"


# How each format is stored and served, and the extension its stored name gets.
MEDIA_TYPES = {PhotoFormat.JPEG: "image/jpeg", PhotoFormat.PNG: "image/png",
               PhotoFormat.WEBP: "image/webp"}
EXTENSIONS = {PhotoFormat.JPEG: "jpg", PhotoFormat.PNG: "png", PhotoFormat.WEBP: "webp"}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_EXIF_HEADER = b"Exif\x00\x00"
_XMP_HEADERS = (b"http://ns.adobe.com/xap/1.0/\x00", b"http://ns.adobe.com/xmp/extension/\x00")
_GPS_POINTER = 0x8825
# The bytes of one value of each TIFF field type (TIFF 6.0, section 2; Exif 2.32, 4.6.2).
_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
_MAX_DIRECTORIES = 8  # IFD0, IFD1 and a few more: a longer chain is a malformed (or hostile) file


@dataclass(frozen=True)
class StrippedPhoto:
    """The photo as it is to be stored, its format, and what was taken out of it."""

    content: bytes
    format: PhotoFormat
    removed: tuple[str, ...]  # "GPS", "XMP", "IPTC", "Exif" (a block that could not be read)

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


def photo_format(content: bytes) -> PhotoFormat | None:
    """The photo's format by its first bytes; None for anything else."""
    if content[:3] == b"\xff\xd8\xff":
        return PhotoFormat.JPEG
    if content[:8] == _PNG_SIGNATURE:
        return PhotoFormat.PNG
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return PhotoFormat.WEBP
    return None


def strip_location(content: bytes) -> StrippedPhoto:
    """`content` without its location metadata (see the module's docstring); PhotoError when
    it is not a JPEG, PNG or WebP file, or is cut short."""
    kind = photo_format(content)
    if kind is None:
        raise PhotoError("not a JPEG, PNG or WebP photo")
    strip = {PhotoFormat.JPEG: _strip_jpeg, PhotoFormat.PNG: _strip_png,
             PhotoFormat.WEBP: _strip_webp}[kind]
    stripped, removed = strip(content)
    return StrippedPhoto(stripped, kind, tuple(dict.fromkeys(removed)))


def kept_as_taken(content: bytes) -> StrippedPhoto:
    """`content` unchanged, for a monitor who keeps the location; PhotoError as above."""
    kind = photo_format(content)
    if kind is None:
        raise PhotoError("not a JPEG, PNG or WebP photo")
    return StrippedPhoto(content, kind, ())


# -- Exif (TIFF structure) ---------------------------------------------------------------------


class UnreadableExif(Exception):
    """An Exif block whose structure points outside itself or loops."""


def exif_without_gps(tiff: bytes) -> tuple[bytes, bool]:
    """The TIFF-structured Exif data with every GPS directory removed, the same length; and
    whether there was one. Raises UnreadableExif for a block that cannot be walked safely."""
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        raise UnreadableExif
    data = bytearray(tiff)
    order = "<" if tiff[:2] == b"II" else ">"
    if _unpack(order + "H", data, 2) != 42:
        raise UnreadableExif
    found = False
    offset = _unpack(order + "I", data, 4)
    seen: set[int] = set()
    while offset and len(seen) < _MAX_DIRECTORIES:
        if offset in seen:
            raise UnreadableExif
        seen.add(offset)
        found = _drop_gps_entry(data, order, offset) or found
        count = _unpack(order + "H", data, offset)
        offset = _unpack(order + "I", data, offset + 2 + 12 * count)
    if offset:
        raise UnreadableExif  # a longer chain than any camera writes: not walked to its end
    return bytes(data), found


def _drop_gps_entry(data: bytearray, order: str, directory: int) -> bool:
    """Take the GPS pointer out of the directory at `directory` and blank what it points to."""
    count = _unpack(order + "H", data, directory)
    entries = [bytes(data[directory + 2 + 12 * i: directory + 14 + 12 * i]) for i in range(count)]
    if any(len(entry) != 12 for entry in entries):
        raise UnreadableExif
    kept = [entry for entry in entries if struct.unpack(order + "H", entry[:2])[0] != _GPS_POINTER]
    if len(kept) == len(entries):
        return False
    for entry in entries:
        if struct.unpack(order + "H", entry[:2])[0] == _GPS_POINTER:
            _blank_directory(data, order, struct.unpack(order + "I", entry[8:12])[0])
    end = directory + 2 + 12 * count
    following = bytes(data[end:end + 4])
    if len(following) != 4:
        raise UnreadableExif
    rebuilt = struct.pack(order + "H", len(kept)) + b"".join(kept) + following
    # The directory keeps its place and length: the freed entries' room becomes zeros.
    data[directory:end + 4] = rebuilt + b"\x00" * (end + 4 - directory - len(rebuilt))
    return True


def _blank_directory(data: bytearray, order: str, offset: int) -> None:
    """Overwrite the GPS directory at `offset` and the values it points to with zeros."""
    count = _unpack(order + "H", data, offset)
    end = offset + 2 + 12 * count + 4
    if end > len(data):
        raise UnreadableExif
    for i in range(count):
        at = offset + 2 + 12 * i
        kind, number = struct.unpack(order + "HI", data[at + 2:at + 8])
        size = _TYPE_SIZES.get(kind, 1) * number
        if size > 4:
            value_at = struct.unpack(order + "I", data[at + 8:at + 12])[0]
            if value_at + size <= len(data):
                data[value_at:value_at + size] = b"\x00" * size
    data[offset:end] = b"\x00" * (end - offset)


def _unpack(fmt: str, data: bytes | bytearray, offset: int) -> int:
    size = struct.calcsize(fmt)
    if offset < 0 or offset + size > len(data):
        raise UnreadableExif
    value: int = struct.unpack(fmt, data[offset:offset + size])[0]
    return value


# -- JPEG ----------------------------------------------------------------------------------------

_APP1, _APP13, _SOS, _EOI = 0xE1, 0xED, 0xDA, 0xD9
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RST0-7 carry no length


def _strip_jpeg(content: bytes) -> tuple[bytes, list[str]]:
    """Walk the segments up to the first scan; everything from the scan on is the picture."""
    out = bytearray(content[:2])
    removed: list[str] = []
    at = 2
    while at < len(content):
        if content[at] != 0xFF:
            raise PhotoError("the JPEG file is damaged (a segment does not start where expected)")
        while at < len(content) and content[at] == 0xFF:
            at += 1  # fill bytes before a marker
        if at >= len(content):
            break
        marker = content[at]
        at += 1
        if marker in _STANDALONE:
            out += bytes((0xFF, marker))
            continue
        if marker in (_SOS, _EOI):
            out += bytes((0xFF, marker)) + content[at:]
            return bytes(out), removed
        if at + 2 > len(content):
            raise PhotoError("the JPEG file is cut short")
        length = struct.unpack(">H", content[at:at + 2])[0]
        if length < 2 or at + length > len(content):
            raise PhotoError("the JPEG file is cut short")
        payload = content[at + 2:at + length]
        segment = _jpeg_segment(marker, payload, removed)
        if segment is not None:
            out += bytes((0xFF, marker)) + content[at:at + 2] + segment
        at += length
    raise PhotoError("the JPEG file has no picture (no scan)")


def _jpeg_segment(marker: int, payload: bytes, removed: list[str]) -> bytes | None:
    """The segment's payload as it is to be kept, or None to drop the segment."""
    if marker == _APP1 and payload.startswith(_EXIF_HEADER):
        try:
            tiff, had_gps = exif_without_gps(payload[len(_EXIF_HEADER):])
        except UnreadableExif:
            removed.append("Exif")
            return None
        if had_gps:
            removed.append("GPS")
        return _EXIF_HEADER + tiff
    if marker == _APP1 and payload.startswith(_XMP_HEADERS):
        removed.append("XMP")
        return None
    if marker == _APP13:  # Photoshop's IPTC block: city, sub-location, country
        removed.append("IPTC")
        return None
    return payload


# -- PNG -----------------------------------------------------------------------------------------

_PNG_TEXT = (b"tEXt", b"zTXt", b"iTXt")


def _strip_png(content: bytes) -> tuple[bytes, list[str]]:
    out = bytearray(_PNG_SIGNATURE)
    removed: list[str] = []
    at = len(_PNG_SIGNATURE)
    while at < len(content):
        if at + 12 > len(content):
            raise PhotoError("the PNG file is cut short")
        length = struct.unpack(">I", content[at:at + 4])[0]
        kind = content[at + 4:at + 8]
        end = at + 12 + length
        if end > len(content):
            raise PhotoError("the PNG file is cut short")
        data = content[at + 8:at + 8 + length]
        if kind == b"eXIf":
            try:
                tiff, had_gps = exif_without_gps(data)
            except UnreadableExif:
                removed.append("Exif")
            else:
                if had_gps:
                    removed.append("GPS")
                out += _png_chunk(kind, tiff)
        elif kind in _PNG_TEXT and data.startswith(b"XML:com.adobe.xmp\x00"):
            removed.append("XMP")
        else:
            out += content[at:end]
        at = end
        if kind == b"IEND":
            break
    return bytes(out), removed


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


# -- WebP ----------------------------------------------------------------------------------------

_VP8X_EXIF, _VP8X_XMP = 0x08, 0x04


def _strip_webp(content: bytes) -> tuple[bytes, list[str]]:
    chunks: list[tuple[bytes, bytes]] = []
    removed: list[str] = []
    at = 12
    while at + 8 <= len(content):
        kind = content[at:at + 4]
        size = struct.unpack("<I", content[at + 4:at + 8])[0]
        if at + 8 + size > len(content):
            raise PhotoError("the WebP file is cut short")
        data = content[at + 8:at + 8 + size]
        at += 8 + size + (size & 1)
        if kind == b"EXIF":
            kept = _webp_exif(data, removed)
            if kept is not None:
                chunks.append((kind, kept))
        elif kind == b"XMP ":
            removed.append("XMP")
        else:
            chunks.append((kind, data))
    names = {kind for kind, _ in chunks}
    body = b"WEBP" + b"".join(_webp_chunk(kind, _vp8x_flags(data, names) if kind == b"VP8X"
                                                else data) for kind, data in chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body, removed


def _webp_exif(data: bytes, removed: list[str]) -> bytes | None:
    # Some writers put the JPEG "Exif\0\0" header before the TIFF data; it is kept if there.
    header = _EXIF_HEADER if data.startswith(_EXIF_HEADER) else b""
    try:
        tiff, had_gps = exif_without_gps(data[len(header):])
    except UnreadableExif:
        removed.append("Exif")
        return None
    if had_gps:
        removed.append("GPS")
    return header + tiff


def _vp8x_flags(data: bytes, names: set[bytes]) -> bytes:
    """The extended header's flags saying only what the file still holds."""
    if not data:
        return data
    flags = data[0]
    if b"EXIF" not in names:
        flags &= ~_VP8X_EXIF
    if b"XMP " not in names:
        flags &= ~_VP8X_XMP
    return bytes((flags,)) + data[1:]


def _webp_chunk(kind: bytes, data: bytes) -> bytes:
    return kind + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) & 1 else b"")
