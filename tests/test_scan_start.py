"""The first portals of a scan start a little apart, so that their crawls do not end together."""

from __future__ import annotations

import pytest

from auditor.config import CrawlSettings
from auditor.scan import START_RAMP_S, START_STEP_S, sites_at_once, start_delay


@pytest.mark.parametrize(
    ("concurrency", "per_host"), [(64, 2), (8, 2), (5, 2), (1, 1), (256, 1), (1000, 2)]
)
def test_the_first_portals_in_flight_start_apart(concurrency: int, per_host: int) -> None:
    settings = CrawlSettings(concurrency=concurrency, per_host=per_host)
    at_once = sites_at_once(settings)
    delays = [start_delay(i, settings) for i in range(at_once + 5)]
    assert delays[0] == 0.0  # a single portal, or the first, starts at once
    step = delays[1] if at_once > 1 else START_STEP_S
    assert step <= START_STEP_S
    assert delays[:at_once] == pytest.approx([i * step for i in range(at_once)])
    assert delays[at_once:] == [0.0] * 5  # later ones take a slot a finished portal frees
    assert max(delays) < START_RAMP_S  # a short ramp, whatever the limits
