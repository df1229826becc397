"""Shared fixtures: a fresh PostgreSQL database per run (TEST_DATABASE_URL or embedded),
the infrastructure on it, projection runners, and an API client."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from adapters.infrastructure import Infrastructure, open_infrastructure
from adapters.postgres import (
    embedded_server_url,
    release_embedded_server,
    with_database,
)
from adapters.settings import Settings
from workers.runtime import Workers, start_projection_runners
from workers.startup import prepare

DATASETS = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"


# One embedded server per test run, shared by every xdist worker: the controller picks its folder
# (workers inherit the variable) and removes it at the end; the workers all start it at once, so
# every run exercises the first start under concurrency (.ci/run removes the OS user before).
_SHARED_PG_DIR = "SKILLHUB_TEST_EMBEDDED_PG_DIR"
_embedded_dir_key = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput") or os.environ.get("TEST_DATABASE_URL"):
        return
    # Not under pytest's basetemp: another pytest run on the machine may prune that folder.
    os.environ[_SHARED_PG_DIR] = tempfile.mkdtemp(prefix="skillhub-test-pg-")
    config.stash[_embedded_dir_key] = Path(os.environ[_SHARED_PG_DIR])


def pytest_unconfigure(config: pytest.Config) -> None:
    data_dir = config.stash.get(_embedded_dir_key, None)
    if data_dir is not None:
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    if os.environ.get("TEST_DATABASE_URL"):
        yield os.environ["TEST_DATABASE_URL"]
        return
    data_dir = Path(os.environ[_SHARED_PG_DIR])
    yield embedded_server_url(data_dir)
    release_embedded_server(data_dir)  # the last worker to let go stops the server


@pytest.fixture(scope="session")
def make_database(server_url: str) -> Iterator:
    """Creates fresh databases on the test server; drops them all at the end."""
    created: list[str] = []

    def make() -> str:
        name = f"skillhub_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return with_database(server_url, name)

    yield make
    with psycopg.connect(server_url, autocommit=True) as conn:
        for name in created:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def settings_for(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": tmp_path, "secret_key": "test-secret-key-0123456789", "dev_mode": True,
        "projection_batch_size": 100,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
def infra(make_database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Infrastructure]:
    infra = open_infrastructure(settings_for(tmp_path_factory.mktemp("data")), make_database())
    prepare(infra)
    yield infra
    infra.close()


@pytest.fixture(scope="session")
def workers(infra: Infrastructure) -> Iterator[Workers]:
    workers = start_projection_runners(infra)
    for runner in workers.runners:
        assert runner.active.wait(10), f"runner {runner.projection.name} did not become active"
    yield workers
    workers.shutdown()


@pytest.fixture(scope="session")
def app(infra: Infrastructure, workers: Workers):
    from api.app import create_app

    return create_app(infra)


@pytest.fixture
def kafka_broker(tmp_path: Path) -> Iterator:
    """A Tansu broker (memory storage) of this test's own on a free loopback port."""
    from tests.streaming import Tansu

    broker = Tansu(tmp_path)
    broker.start()
    yield broker
    broker.kill()


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, client=(f"10.0.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}", 5000)) as c:
        yield c
