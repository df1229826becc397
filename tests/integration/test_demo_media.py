"""The demo's video and sound are real files: the upload path types them from their bytes, and
the MP4 has the structure players need (index first, one H.264 key frame per sample)."""

from __future__ import annotations

import io
import struct
import wave

from domain.media import SNIFF_BYTES, MediaKind, sniff
from workers.demo.media import FPS, SECONDS, demo_sound, demo_video


def boxes(data: bytes, start: int = 0, end: int | None = None) -> dict[bytes, tuple[int, int]]:
    """Top-level boxes of an ISO BMFF byte range: kind -> (body start, body end)."""
    found, at, end = {}, start, len(data) if end is None else end
    while at < end:
        size, kind = struct.unpack(">I4s", data[at:at + 8])
        found[kind] = (at + 8, at + size)
        at += size
    return found


def test_the_demo_video_is_an_mp4_players_can_seek():
    data = demo_video()
    assert sniff(data[:SNIFF_BYTES]).kind == MediaKind.VIDEO and sniff(data[:SNIFF_BYTES]).mime == "video/mp4"
    top = boxes(data)
    assert list(top) == [b"ftyp", b"moov", b"mdat"]  # the index before the samples
    trak = boxes(data, *boxes(data, *top[b"moov"])[b"trak"])
    stbl = boxes(data, *boxes(data, *boxes(data, *trak[b"mdia"])[b"minf"])[b"stbl"])
    start, _ = stbl[b"stsz"]
    _, _, count = struct.unpack(">III", data[start:start + 12])
    sizes = struct.unpack(f">{count}I", data[start + 12:start + 12 + 4 * count])
    assert count == FPS * SECONDS
    chunk = struct.unpack(">I", data[stbl[b"stco"][0] + 8:stbl[b"stco"][0] + 12])[0]
    assert chunk == top[b"mdat"][0] and sum(sizes) == top[b"mdat"][1] - top[b"mdat"][0]
    at = chunk
    for size in sizes:  # each sample: one length-prefixed IDR slice NAL unit
        assert struct.unpack(">I", data[at:at + 4])[0] == size - 4 and data[at + 4] & 0x1F == 5
        at += size
    assert b"avcC" in data[stbl[b"stsd"][0]:stbl[b"stsd"][1]]


def test_the_demo_sound_is_a_wav():
    data = demo_sound(seconds=3)
    assert sniff(data[:SNIFF_BYTES]).kind == MediaKind.AUDIO
    with wave.open(io.BytesIO(data)) as w:
        assert (w.getnchannels(), w.getframerate(), w.getnframes()) == (1, 8000, 24000)
