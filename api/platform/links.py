"""OpenAPI links: a field of one operation's answer is a parameter of the next ("create, then
read, update, delete"), so clients and the stateful fuzz test can follow them."""

from __future__ import annotations

import re
from typing import Any


def follow_ups(status: int, field: str, parameter: str, *operations: str) -> dict[int | str, Any]:
    """`responses=` for a route: the answer's `field` is the `parameter` of each of `operations`
    ("GET /api/v1/users/{user_id}")."""
    links = {}
    for operation in operations:
        method, path = operation.split(" ", 1)
        pointer = path.replace("~", "~0").replace("/", "~1")
        links[re.sub(r"[^A-Za-z0-9]+", "_", operation).strip("_")] = {
            "operationRef": f"#/paths/{pointer}/{method.lower()}",
            "parameters": {parameter: f"$response.body#/{field}"},
        }
    return {status: {"links": links}}
