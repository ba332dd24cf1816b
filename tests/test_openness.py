"""The open-source / open-weight / open-washing lesson, on hand-made licence rows (synthetic)."""
import pandas as pd

from workbench.catalog.licences import environment_report, licence_restrictions


def _models(rows):
    cols = ["model_id", "creator", "openness", "license", "commercial_use", "license_notes", "source", "as_of"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows])


def test_verdicts_by_licence_words():
    m = _models([
        ("olmo", "Ai2", "open-source", "Apache-2.0", "yes", "weights, data and code released", "s", "2026-01-01"),
        ("mistral-small", "Mistral", "open-weight", "Apache-2.0", "yes", None, "s", "2026-01-01"),
        ("llama", "Meta", "open-weight", "Llama Community License", "restricted",
         "licence needed above 700M monthly active users; acceptable use policy", "s", "2026-01-01"),
        ("nc-model", "Lab", "open-weight", "CC-BY-NC-4.0", "no", None, "s", "2026-01-01"),
        ("mystery", "Lab", "open-weight", "unknown (not stated by source)", "unknown", None, "s", "2026-01-01"),
        ("gpt", "OpenAI", "closed", "proprietary", "yes", None, "s", "2026-01-01"),
    ])
    r = licence_restrictions(m).set_index("model_id")
    assert "gpt" not in r.index  # closed models are not part of the "open" lesson
    assert r.loc["olmo", "verdict"] == "open source"
    assert r.loc["mistral-small", "verdict"] == "open weights, permissive"
    assert r.loc["llama", "verdict"] == "open weights with restrictions"
    assert r.loc["llama", "restrictions"] == "user-count; field-of-use"  # no EU or naming words in this synthetic note
    assert r.loc["nc-model", "restrictions"] == "non-commercial"
    assert r.loc["mystery", "verdict"].startswith("licence unknown")


def test_environment_report_checks_versions():
    rep = environment_report()
    assert rep["python_ok"] is True and rep["pandas_ok"] is True
