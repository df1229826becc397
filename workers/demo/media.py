"""Small real media for the demo, made in code (there is no encoder on the machine): an MP4
video that players decode and seek, and a WAV sound.

The video is H.264 (constrained baseline) whose macroblocks are all I_PCM, i.e. raw samples
with no compression to compute, every frame a key frame; an orange bar fills the picture as
time passes, so a seek shows where it landed. The container is a plain ISO BMFF file with the
index (moov) before the samples, as players want for HTTP Range seeking.
"""

from __future__ import annotations

import io
import math
import struct
import wave

WIDTH, HEIGHT, FPS, SECONDS = 64, 48, 4, 30
TIMESCALE = 1000
ORANGE, BLUE = (157, 60, 187), (58, 163, 108)  # (Y, Cb, Cr) of the quarter-pie orange and a dark blue


class _Bits:
    def __init__(self) -> None:
        self.bits: list[int] = []

    def u(self, width: int, value: int) -> None:
        self.bits += [(value >> i) & 1 for i in range(width - 1, -1, -1)]

    def ue(self, value: int) -> None:
        code = value + 1
        self.u(code.bit_length() * 2 - 1, code)  # leading zeros, then the code itself

    def se(self, value: int) -> None:
        self.ue(2 * value - 1 if value > 0 else -2 * value)

    def align(self) -> None:
        self.bits += [0] * (-len(self.bits) % 8)

    def raw(self, data: bytes) -> None:
        for byte in data:
            self.u(8, byte)

    def trailing(self) -> bytes:
        self.u(1, 1)
        self.align()
        return bytes(int("".join(map(str, self.bits[i:i + 8])), 2) for i in range(0, len(self.bits), 8))


def _nal(header: int, rbsp: bytes) -> bytes:
    """A NAL unit with emulation prevention (no 00 00 0x in the payload)."""
    out, zeros = bytearray([header]), 0
    for byte in rbsp:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


def _sps() -> bytes:
    b = _Bits()
    b.u(8, 66)
    b.u(8, 0xC0)  # constraint_set0 and set1: constrained baseline
    b.u(8, 30)  # level 3.0
    b.ue(0)  # seq_parameter_set_id
    b.ue(0)  # log2_max_frame_num_minus4
    b.ue(2)  # pic_order_cnt_type 2: output order is decoding order
    b.ue(1)  # max_num_ref_frames
    b.u(1, 0)  # gaps_in_frame_num_value_allowed_flag
    b.ue(WIDTH // 16 - 1)
    b.ue(HEIGHT // 16 - 1)
    b.u(1, 1)  # frame_mbs_only_flag
    b.u(1, 1)  # direct_8x8_inference_flag
    b.u(1, 0)  # frame_cropping_flag
    b.u(1, 0)  # vui_parameters_present_flag
    return _nal(0x67, b.trailing())


def _pps() -> bytes:
    b = _Bits()
    b.ue(0)  # pic_parameter_set_id
    b.ue(0)  # seq_parameter_set_id
    b.u(1, 0)  # CAVLC
    b.u(1, 0)  # bottom_field_pic_order_in_frame_present_flag
    b.ue(0)  # num_slice_groups_minus1
    b.ue(0)
    b.ue(0)  # num_ref_idx_l0/l1_default_active_minus1
    b.u(1, 0)
    b.u(2, 0)  # no weighted prediction
    b.se(0)
    b.se(0)
    b.se(0)  # pic_init_qp/qs_minus26, chroma_qp_index_offset
    b.u(1, 1)  # deblocking_filter_control_present_flag
    b.u(1, 0)  # constrained_intra_pred_flag
    b.u(1, 0)  # redundant_pic_cnt_present_flag
    return _nal(0x68, b.trailing())


def _macroblock(mb_x: int, mb_y: int, filled: int) -> bytes:
    """Raw 4:2:0 samples of one 16x16 macroblock: orange left of column `filled`, blue right."""
    def colour(x: int, part: int) -> int:
        return (ORANGE if x < filled else BLUE)[part]

    luma = bytes(colour(mb_x * 16 + x, 0) for _ in range(16) for x in range(16))
    cb = bytes(colour(mb_x * 16 + 2 * x, 1) for _ in range(8) for x in range(8))
    cr = bytes(colour(mb_x * 16 + 2 * x, 2) for _ in range(8) for x in range(8))
    return luma + cb + cr


def _frame(index: int, frames: int) -> bytes:
    b = _Bits()
    b.ue(0)  # first_mb_in_slice
    b.ue(7)  # slice_type: I (all slices)
    b.ue(0)  # pic_parameter_set_id
    b.u(4, 0)  # frame_num: 0 in an IDR picture
    b.ue(index % 2)  # idr_pic_id: consecutive IDR pictures differ
    b.u(1, 0)
    b.u(1, 0)  # dec_ref_pic_marking: no_output_of_prior_pics, long_term_reference
    b.se(0)  # slice_qp_delta
    b.ue(1)  # disable_deblocking_filter_idc: off (raw samples need none)
    filled = round(WIDTH * index / (frames - 1))
    for mb_y in range(HEIGHT // 16):
        for mb_x in range(WIDTH // 16):
            b.ue(25)  # mb_type I_PCM
            b.align()  # pcm_alignment_zero_bit
            b.raw(_macroblock(mb_x, mb_y, filled))
    return _nal(0x65, b.trailing())


def _box(kind: bytes, *parts: bytes) -> bytes:
    body = b"".join(parts)
    return struct.pack(">I", 8 + len(body)) + kind + body


def _full_box(kind: bytes, version: int, flags: int, *parts: bytes) -> bytes:
    return _box(kind, struct.pack(">I", (version << 24) | flags), *parts)


_MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def _moov(samples: list[bytes], sps: bytes, pps: bytes, chunk_offset: int) -> bytes:
    delta = TIMESCALE // FPS
    duration = delta * len(samples)
    avcc = _box(b"avcC", bytes([1, 66, 0xC0, 30, 0xFF, 0xE1]), struct.pack(">H", len(sps)), sps,
                bytes([1]), struct.pack(">H", len(pps)), pps)
    avc1 = _box(b"avc1", bytes(6), struct.pack(">H", 1), bytes(16), struct.pack(">HH", WIDTH, HEIGHT),
                struct.pack(">II", 0x480000, 0x480000), bytes(4), struct.pack(">H", 1), bytes(32),
                struct.pack(">Hh", 0x18, -1), avcc)
    stbl = _box(
        b"stbl",
        _full_box(b"stsd", 0, 0, struct.pack(">I", 1), avc1),
        _full_box(b"stts", 0, 0, struct.pack(">III", 1, len(samples), delta)),
        _full_box(b"stsc", 0, 0, struct.pack(">IIII", 1, 1, len(samples), 1)),  # one chunk holds every sample
        _full_box(b"stsz", 0, 0, struct.pack(">II", 0, len(samples)), *(struct.pack(">I", len(s)) for s in samples)),
        _full_box(b"stco", 0, 0, struct.pack(">II", 1, chunk_offset)),
    )  # no stss: every sample is a sync sample
    dinf = _box(b"dinf", _full_box(b"dref", 0, 0, struct.pack(">I", 1), _full_box(b"url ", 0, 1)))
    minf = _box(b"minf", _full_box(b"vmhd", 0, 1, bytes(8)), dinf, stbl)
    mdia = _box(
        b"mdia",
        _full_box(b"mdhd", 0, 0, struct.pack(">IIIIHH", 0, 0, TIMESCALE, duration, 0x55C4, 0)),  # language 'und'
        _full_box(b"hdlr", 0, 0, bytes(4), b"vide", bytes(12), b"SkillHub demo video\x00"),
        minf,
    )
    tkhd = _full_box(b"tkhd", 0, 3, struct.pack(">IIIII", 0, 0, 1, 0, duration), bytes(8),
                     struct.pack(">hhhH", 0, 0, 0, 0), _MATRIX, struct.pack(">II", WIDTH << 16, HEIGHT << 16))
    mvhd = _full_box(b"mvhd", 0, 0, struct.pack(">IIIIIH", 0, 0, TIMESCALE, duration, 0x10000, 0x100), bytes(10),
                     _MATRIX, bytes(24), struct.pack(">I", 2))
    return _box(b"moov", mvhd, _box(b"trak", tkhd, mdia))


def demo_video() -> bytes:
    """About 550 KB: 30 seconds of 64x48 pixels at 4 frames a second."""
    frames = FPS * SECONDS
    samples = [struct.pack(">I", len(nal)) + nal for nal in (_frame(i, frames) for i in range(frames))]
    ftyp = _box(b"ftyp", b"isom", struct.pack(">I", 512), b"isomiso2avc1mp41")
    sps, pps = _sps(), _pps()
    moov_size = len(_moov(samples, sps, pps, 0))
    moov = _moov(samples, sps, pps, len(ftyp) + moov_size + 8)
    return ftyp + moov + _box(b"mdat", *samples)


def demo_sound(seconds: int = 20, rate: int = 8000) -> bytes:
    """A WAV file: a rising scale, one note a second, so a seek is heard where it lands."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = bytearray()
        for n in range(seconds * rate):
            note = 220 * 2 ** ((n // rate) % 12 / 12)
            fade = min(1.0, (rate - n % rate) / 800)  # a short fade between notes, no clicks
            frames += struct.pack("<h", int(9000 * fade * math.sin(2 * math.pi * note * n / rate)))
        w.writeframes(bytes(frames))
    return out.getvalue()
