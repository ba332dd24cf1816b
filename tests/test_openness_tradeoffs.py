"""The closed / open-weight / open-source trade-off table on a hand-made catalog (synthetic rows)."""
import math

import pandas as pd

from workbench.shortlist.openness import openness_tradeoffs


def test_tradeoff_table_by_hand():
    models = pd.DataFrame({
        "model_id": ["c1", "c2", "w1", "w2", "s1", "emb"],
        "model_type": ["chat"] * 5 + ["embedding"],
        "openness": ["closed", "closed", "open-weight", "open-weight", "open-source", "closed"],
        "commercial_use": ["yes", "yes", "restricted", "yes", "yes", "yes"],
        "fine_tuning": [None, True, True, True, True, None],
    })
    o = lambda oid, mid, prov, mode, pin, pout: dict(offering_id=oid, model_id=mid, provider=prov, access_mode=mode,
                                                     usd_per_mtok_in=pin, usd_per_mtok_out=pout)
    offerings = pd.DataFrame([
        o("a/c1", "c1", "a", "managed-api", 1.0, 5.0),       # blended (3 x 1 + 5) / 4 = 2.0
        o("a/c2", "c2", "a", "managed-api", 2.0, 10.0),      # 4.0
        o("x/w1", "w1", "x", "hosted-inference", 0.2, 0.6),  # 0.3
        o("y/w1", "w1", "y", "hosted-inference", 0.4, 0.8),  # 0.5 (not the cheapest)
        o("self/w1", "w1", "self", "self-hosted", None, None),
        o("x/w2", "w2", "x", "hosted-inference", 0.1, 0.1),  # 0.1
        o("self/s1", "s1", "self", "self-hosted", None, None),
        o("a/emb", "emb", "a", "managed-api", 0.02, 0.02),
    ])
    t = openness_tradeoffs(models, offerings).set_index("openness")
    assert list(t.index) == ["closed", "open-weight", "open-source"]
    assert t.loc["closed", "models"] == 2  # the embedding model is left out
    assert t.loc["closed", "median_providers_per_model"] == 1 and t.loc["open-weight", "median_providers_per_model"] == 1.5
    assert t.loc["open-weight", "self_hostable"] == 1 and t.loc["open-source", "self_hostable"] == 1
    assert t.loc["closed", "self_hostable"] == 0
    assert t.loc["open-weight", "commercial_use_yes"] == 1 and t.loc["closed", "fine_tuning_yes"] == 1
    assert t.loc["open-source", "data_and_code_published"] == 1 and t.loc["open-weight", "data_and_code_published"] == 0
    assert t.loc["closed", "median_cheapest_usd_per_mtok_blended"] == 3.0  # median of 2.0 and 4.0
    assert t.loc["open-weight", "median_cheapest_usd_per_mtok_blended"] == 0.2  # median of 0.3 and 0.1
    assert math.isnan(t.loc["open-source", "median_cheapest_usd_per_mtok_blended"])  # only self-hosted: no price
