"""Serving stored bytes over HTTP: ETag (the sha256), If-None-Match -> 304, a single Range ->
206, an unsatisfiable or multi-part Range -> 416, If-Range, HEAD. Bodies are streamed."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable, Iterator

from fastapi import Request
from fastapi.responses import Response, StreamingResponse

_RANGE = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$")
# The browser may keep a copy but asks again each time (304 when unchanged), so access that
# was taken away is enforced on the next request.
CACHE_CONTROL = "private, no-cache"


class Unsatisfiable(Exception):
    pass


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(start, end exclusive) of a single byte range; None means the whole file.

    Syntactically invalid ranges are ignored (RFC 9110 allows it); ranges past the end and
    several ranges at once are refused with Unsatisfiable.
    """
    if not header or not header.strip().lower().startswith("bytes="):
        return None
    spec = header.strip()[6:]
    if "," in spec:
        raise Unsatisfiable("only a single range is supported")
    match = _RANGE.match(spec)
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        if int(last) == 0:
            raise Unsatisfiable("empty suffix range")
        return max(0, size - int(last)), size
    start = int(first)
    if last != "" and int(last) < start:
        return None
    if start >= size:
        raise Unsatisfiable("range starts past the end")
    return start, size if last == "" else min(int(last) + 1, size)


def _etag_matches(header: str, etag: str) -> bool:
    """Weak comparison, as If-None-Match asks for."""
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


def serve_bytes(
    request: Request, sha256: str, size: int, content_type: str, filename_stem: str,
    read: Callable[[int, int], Iterator[bytes]],
) -> Response:
    etag = f'"{sha256}"'
    extension = mimetypes.guess_extension(content_type) or ""
    headers = {
        "ETag": etag, "Accept-Ranges": "bytes", "Cache-Control": CACHE_CONTROL,
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'inline; filename="{filename_stem}{extension}"',
    }
    if_none_match = request.headers.get("if-none-match")
    if if_none_match and _etag_matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    range_header = request.headers.get("range")
    if_range = request.headers.get("if-range")
    if if_range is not None and if_range.strip() != etag:
        range_header = None  # the client's partial copy is of other bytes: send them all
    try:
        byte_range = parse_range(range_header, size)
    except Unsatisfiable:
        return Response(status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"})
    status, (start, end) = (200, (0, size)) if byte_range is None else (206, byte_range)
    if status == 206:
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    headers["Content-Length"] = str(end - start)
    if request.method == "HEAD":
        return Response(status_code=status, headers=headers, media_type=content_type)
    return StreamingResponse(read(start, end), status_code=status, headers=headers, media_type=content_type)
