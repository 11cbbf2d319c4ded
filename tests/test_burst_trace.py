"""`benchmarks/burst_trace.py`'s report: the last burst's timeline from its per-stream marks."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "burst_trace.py"


@pytest.fixture
def trace():
    spec = importlib.util.spec_from_file_location("burst_trace", PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_last_burst_only_and_its_steps_in_ms(trace, capsys):
    # A warm-up stream long before, then a burst of three: only the burst is reported.
    trace.arrivals.extend(
        [
            {"arrived": 1.0, "run": "warm"},
            {"arrived": 10.000, "run": "a", "token written": 10.300},
            {"arrived": 10.010, "run": "b", "token written": 10.320},
            {"arrived": 10.020, "run": "c"},
        ]
    )
    trace.runs.update(
        {
            "warm": {"fast body sent": 1.001},
            "a": {"fast body sent": 10.100, "first piece": 10.299},
            "b": {"fast body sent": 10.110, "first piece": 10.318},
        }
    )
    trace.lag.extend([(10.001, 0.011), (10.021, 0.001)])
    found = trace.report()
    timeline = found["timeline_ms"]
    assert timeline["arrived"]["n"] == 3
    assert timeline["arrived"]["max"] == pytest.approx(20.0)
    assert timeline["fast body sent"]["n"] == 2
    assert timeline["fast body sent"]["p0"] == pytest.approx(100.0)
    assert timeline["token written"]["max"] == pytest.approx(320.0)
    assert found["loop_busy_ms_per_20ms"][0] == pytest.approx(10.0)
    assert "burst: 3 streams" in capsys.readouterr().err
