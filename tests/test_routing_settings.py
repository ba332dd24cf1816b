"""Shipped routes name offerings at the reasoning setting their steps use: no route (offering or
fallback) is a max-reasoning row unless a step of the scenario asks for max, and every route row with
a setting is one the steps it serves accept (the step's ``reasoning_effort`` list, else the offering's
default setting: :func:`workbench.shortlist.constraints.default_settings`). Otherwise the routing
report's p95 would come from a setting nobody chose (issue 11: 100 s for a 6 s step)."""
from pathlib import Path

import pytest

from workbench.catalog.load import load_catalog
from workbench.routing.config import routing_config
from workbench.scenario.load import load_scenario
from workbench.shortlist.constraints import default_settings
from workbench.spec import read_yaml

SHIPPED = sorted(p for p in Path("data/scenarios").glob("*.yaml") if "routing" in (read_yaml(p, "scenario") or {}))


def test_some_scenario_ships_a_routing_block():
    assert SHIPPED  # else the test below checks nothing


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_no_shipped_route_runs_a_setting_its_steps_do_not_use(path):
    catalog = load_catalog("data/catalog")
    scenario = load_scenario(str(path))
    cfg = routing_config(scenario, catalog)
    t = catalog.offerings.reset_index(drop=True)
    effort = dict(zip(t["offering_id"], t["reasoning_effort"]))
    default = dict(zip(t["offering_id"], default_settings(t)))
    steps = [scenario.step(s) for s in sorted(set(cfg.steps.values()))]
    asks_max = any("max" in (s.reasoning_effort or ()) for s in scenario.workflow)
    checked = 0
    for route in cfg.routes.values():
        for oid in route.chain:
            e = effort[oid]
            if not isinstance(e, str) or not e:
                continue
            checked += 1
            assert e != "max" or asks_max, f"route {route.name}: {oid} is the max-reasoning row"
            for st in steps:
                ok = e in st.reasoning_effort if st.reasoning_effort else bool(default[oid])
                assert ok, f"route {route.name}: {oid} runs at '{e}', which step {st.name} does not use"
    assert checked  # the support routes name GPT-5.6 Luna rows with a setting
