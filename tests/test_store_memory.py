"""The DuckDB buffer cap of long-running processes (server, monitor): $REDLINE_MEMORY_LIMIT or a
quarter of the machine's memory, at least 2 GB; a bad value is refused naming the variable."""
from __future__ import annotations

import pytest

from redline.store import MEMORY_ENV, Store, service_memory_limit


def test_default_is_a_quarter_of_memory_at_least_2_gb(monkeypatch):
    monkeypatch.delenv(MEMORY_ENV, raising=False)
    value = service_memory_limit()
    assert value.endswith("MB") and int(value[:-2]) >= 2048


@pytest.mark.parametrize("value", ["512MB", "2GB", "1.5 GiB", "300mb"])
def test_a_size_from_the_environment_is_used_and_duckdb_takes_it(monkeypatch, tmp_path, value):
    monkeypatch.setenv(MEMORY_ENV, value)
    assert service_memory_limit() == value.strip()
    with Store(tmp_path / "s.duckdb") as store:
        store.sql(f"SET memory_limit = '{service_memory_limit()}'").fetchall()


@pytest.mark.parametrize("value", ["lots", "512", "-1GB", "1GB; DROP TABLE events", ""])
def test_a_bad_size_is_refused_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv(MEMORY_ENV, value)
    with pytest.raises(ValueError, match=r"\$REDLINE_MEMORY_LIMIT"):
        service_memory_limit()
