"""The embedded server's OS user (created by the first start as root) is created once however many
processes race to create it, and one created by someone else meanwhile is accepted."""

from __future__ import annotations

import os
import pwd
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest

from adapters.postgres import ensure_os_user


@pytest.mark.skipif(os.geteuid() != 0, reason="only root creates OS users")
def test_many_creators_of_one_os_user_all_succeed():
    name = f"skh{uuid.uuid4().hex[:12]}"
    together = Barrier(8)

    def create(_: int) -> None:
        together.wait()
        ensure_os_user(name)

    try:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(create, range(8)))  # raises if any of them failed
        assert pwd.getpwnam(name).pw_name == name
        ensure_os_user(name)  # and again, once it exists
    finally:
        subprocess.run(["userdel", name], capture_output=True)
