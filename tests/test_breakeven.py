"""The break-even staircase: first crossing, the windows where the API is cheaper again, and the volume
from which self-hosting stays cheaper. Every expected volume is worked out by hand below."""
from __future__ import annotations

import math

from workbench.costs.request import HOURS_PER_MONTH, SECONDS_PER_MONTH
from workbench.costs.selfhost import break_even_requests_per_month, break_even_staircase

# One replica = 1 GPU at 1 tok/s, 100 % utilisation, peak = average, 2628 tokens a request:
# capacity = 1 x 2,628,000 s / 2628 = 1000 requests a month per replica.
TOKENS = SECONDS_PER_MONTH / 1000


def staircase(api_usd, usd_per_replica_month, ops):
    args = (api_usd, TOKENS, 1.0, 1.0, 1, usd_per_replica_month / HOURS_PER_MONTH, 1.0, ops)
    return break_even_staircase(*args), break_even_requests_per_month(*args)


def test_api_cheaper_again_after_the_second_replica():
    # API 0.01 USD/request; a replica 6 USD/month; ops 2 USD/month. k replicas cost 6k + 2 and serve
    # 1000(k-1)+1 .. 1000k requests; self-hosting costs no more from (6k + 2) / 0.01 = 600k + 200 requests.
    # k=1: 800..1000 cheaper; k=2: 1001..1399 API cheaper, 1400..2000 self-hosted; k=3: 2001 >= 2000, whole.
    s, first = staircase(0.01, 6.0, 2.0)
    assert s["first_crossing"] == first == 800
    assert s["stays_cheaper_from"] == 1400
    w = s["windows"]
    assert w["from_requests"].tolist() == [800, 1400]
    assert w["to_requests"].tolist() == [1000, math.inf]
    assert w["replicas"].tolist() == [1, 2]
    assert w["selfhost_usd_per_month"].round(9).tolist() == [8.0, 14.0]


def test_many_windows_before_self_hosting_stays_cheaper():
    # A replica 9 USD/month, ops 5: threshold (9k + 5) / 0.01 = 900k + 500. k=1..4: above 1000k, the API wins
    # the whole segment; k=5: 5000..5000; k=14: 13100..14000; k=15: 1000 x 14 + 1 = 14001 >= 14000, whole.
    s, first = staircase(0.01, 9.0, 5.0)
    assert s["first_crossing"] == first == 5000
    assert s["stays_cheaper_from"] == 13_100
    w = s["windows"]
    assert w["replicas"].tolist() == list(range(5, 15))
    assert w["from_requests"].tolist()[:2] == [5000, 5900]
    assert w["to_requests"].tolist()[:2] == [5000, 6000]


def test_one_window_when_the_first_replica_already_wins_for_good():
    # Replica 6 USD/month, no ops: k=1 from 600; k=2: 1001 >= 1200? no, so 1200..2000; k=3: 2001 >= 1800: whole.
    s, _ = staircase(0.01, 6.0, 0.0)
    assert (s["first_crossing"], s["stays_cheaper_from"]) == (600, 1200)
    # a cheap replica: 1 USD/month, so k=1 cheaper from 100 and every later segment whole (1001 >= 200)
    s, _ = staircase(0.01, 1.0, 0.0)
    assert (s["first_crossing"], s["stays_cheaper_from"]) == (100, 100)
    assert s["windows"]["to_requests"].tolist() == [math.inf]


def test_never_when_a_replica_cannot_earn_its_cost():
    # 0.01 x 1000 requests = 10 USD <= 12 USD a replica: the API is always cheaper
    s, first = staircase(0.01, 12.0, 0.0)
    assert math.isnan(s["first_crossing"]) and math.isnan(first) and math.isnan(s["stays_cheaper_from"])
    assert s["windows"].empty
