"""Settings that cannot work together are refused when the process starts, with the reason."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from adapters.settings import Settings


def test_a_kafka_source_without_a_broker_is_refused_at_start(monkeypatch, tmp_path):
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    with pytest.raises(ValidationError, match="SKILLHUB_NOTIFY_SOURCE=kafka needs KAFKA_BOOTSTRAP_SERVERS"):
        Settings(data_dir=tmp_path, notify_source="kafka")
    with pytest.raises(ValidationError, match="notify_source"):
        Settings(data_dir=tmp_path, notify_source="rabbit")
