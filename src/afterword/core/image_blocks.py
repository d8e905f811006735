"""The blocks an image file is made of, named without decoding the picture.

Pillow reads what it needs to draw a picture and passes over the rest: a
PNG chunk it does not know (a ``tIME`` stamp, a provenance manifest), all
but one of a GIF's extensions, RIFF chunks of a WebP it has no use for,
bytes after a JPEG's end. ``camera_data.camera_data_found`` must see those
too, so these functions walk each format's container and name every block.
They are called on files Pillow has already decoded; on anything malformed
they stop and add ``UNREADABLE``, which counts as something to remove.
"""

from __future__ import annotations

UNREADABLE = "unreadable blocks"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_chunks(data: bytes) -> list[str]:
    """The type of every chunk, in order: ``IHDR``, ``IDAT``, ``tEXt`` ..."""
    names: list[str] = []
    at = len(PNG_SIGNATURE)
    while at + 12 <= len(data):
        size = int.from_bytes(data[at : at + 4], "big")
        name = data[at + 4 : at + 8].decode("latin-1")
        names.append(name)
        if name == "IEND":
            return names
        at += 12 + size
    return [*names, UNREADABLE]


def webp_chunks(data: bytes) -> list[str]:
    """Every RIFF chunk's name, those inside animation frames included."""
    names: list[str] = []

    def walk(start: int, end: int) -> bool:
        while start + 8 <= end:
            name = data[start : start + 4].decode("latin-1")
            size = int.from_bytes(data[start + 4 : start + 8], "little")
            names.append(name)
            stop = start + 8 + size
            if stop > end:
                return False
            # An animation frame: 16 bytes of position and timing, then
            # the chunks of its picture.
            if name == "ANMF" and not walk(start + 8 + 16, stop):
                return False
            start = stop + (size & 1)
        return start >= end

    if not walk(12, len(data)):
        names.append(UNREADABLE)
    return names


def gif_blocks(data: bytes) -> list[str]:
    """Every block after the header: ``image``, ``graphic control``,
    ``comment``, ``plain text`` or ``application <name>``."""
    names: list[str] = []

    def after_sub_blocks(at: int) -> int:
        while at < len(data) and data[at]:
            at += 1 + data[at]
        return at + 1

    def colour_table(packed: int) -> int:
        return 3 * 2 ** ((packed & 7) + 1) if packed & 0x80 else 0

    if len(data) < 13:
        return [UNREADABLE]
    at = 13 + colour_table(data[10])
    labels = {0xF9: "graphic control", 0xFE: "comment", 0x01: "plain text"}
    while at < len(data):
        block = data[at]
        if block == 0x3B:  # the trailer
            return names
        if block == 0x2C and at + 10 <= len(data):
            # Descriptor, local colour table, LZW code size, then the data.
            names.append("image")
            at = after_sub_blocks(at + 10 + colour_table(data[at + 9]) + 1)
        elif block == 0x21 and at + 2 <= len(data):
            label = data[at + 1]
            if label == 0xFF:
                application = data[at + 3 : at + 14].decode("latin-1")
                names.append(f"application {application}")
            else:
                names.append(labels.get(label, f"extension {label:#04x}"))
            at = after_sub_blocks(at + 2)
        else:
            break
    return [*names, UNREADABLE]


def jpeg_segments(data: bytes) -> tuple[list[str], bytes]:
    """The markers of a JPEG (``APP1``, ``COM``, ``DQT``, ``SOS`` ...) up to its
    end-of-image, and whatever the file holds after that.

    Some cameras append a second picture or their own records after the end,
    which decoders never show. Zero padding does not count.
    """
    names: list[str] = []
    at = 2  # after the start-of-image marker
    while at + 1 < len(data):
        if data[at] != 0xFF:
            return [*names, UNREADABLE], b""
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xD9:
            return names, data[at + 2 :].rstrip(b"\x00")
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # restart, no length
            at += 2
            continue
        names.append(_JPEG_MARKERS.get(marker, f"marker {marker:#04x}"))
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
        if marker == 0xDA:
            at = _after_entropy_data(data, at)
    return [*names, UNREADABLE], b""


def _after_entropy_data(data: bytes, at: int) -> int:
    """The offset of the first marker after a scan's compressed data."""
    while True:
        at = data.find(b"\xff", at)
        if at < 0 or at + 1 >= len(data):
            return len(data)
        following = data[at + 1]
        # 0xFF00 is an escaped data byte, 0xFFD0-D7 a restart within the scan.
        if following != 0x00 and not 0xD0 <= following <= 0xD7:
            return at
        at += 2


_JPEG_MARKERS = {
    0xDA: "SOS",
    0xDB: "DQT",
    0xDC: "DNL",
    0xDD: "DRI",
    0xFE: "COM",
    **{code: f"SOF{code - 0xC0}" for code in range(0xC0, 0xD0)},
    **{code: f"APP{code - 0xE0}" for code in range(0xE0, 0xF0)},
    0xC4: "DHT",
    0xC8: "JPG",
    0xCC: "DAC",
}
