"""The shipped scenarios load and have the shapes the chapter's task-fit table describes.

Their volumes and token mixes are assumptions (said in the files); these tests check the shapes that
make each scenario teach something different, and the arithmetic users will rely on.
"""
import datetime as dt

import pytest

from workbench.scenario.load import ROLES, list_scenarios, load_scenario


def by_name():
    return {p.stem: p for p in list_scenarios()}


def test_three_scenarios_ship_and_all_load():
    names = by_name()
    assert {"support_assistant", "invoice_extraction", "compliance_review"} <= set(names)
    for path in names.values():
        s = load_scenario(path)
        assert s.name == path.stem
        assert s.workflow and all(st.role in ROLES for st in s.workflow)
        assert len(s.checklist) == 10


def test_invoice_extraction_is_schema_critical_and_batch_friendly():
    s = load_scenario(by_name()["invoice_extraction"])
    roles = {st.name: st.role for st in s.workflow}
    assert roles == {"classify_document": "classifier/router", "extract_scanned": "vision",
                     "extract_text_pdf": "generator", "repair_failed": "fallback"}
    for name in ("extract_scanned", "extract_text_pdf"):
        st = s.step(name)
        assert st.output_contract.format == "json"
        assert "line_items" in st.output_contract.schema["required"]
        assert st.constraints.structured_outputs and st.constraints.batch_api
        assert st.tokens.batch_share == 0.9
    # the vision role adds the image modality; the schema is one (YAML anchor), shared by three steps
    assert "image" in s.step("extract_scanned").constraints.modalities
    assert s.step("extract_text_pdf").output_contract.schema == s.step("repair_failed").output_contract.schema
    # throughput over latency
    assert s.weights["latency"] == 0.05
    # 40% scans + 60% text PDFs = all 300,000 classified documents: 120,000 + 180,000
    assert s.step("extract_scanned").requests_per_month + s.step("extract_text_pdf").requests_per_month \
        == s.step("classify_document").requests_per_month == 300_000


def test_compliance_review_is_a_reasoning_step_with_human_review_in_the_eu():
    s = load_scenario(by_name()["compliance_review"])
    st = s.step("review_against_regulations")
    assert st.role == "reasoning" and st.tokens.reasoning == 12_000
    assert st.constraints.min_context_tokens == 128_000
    # 60,000 input + 3,000 output + 12,000 reasoning = 75,000 tokens fit in the 128k minimum
    assert st.tokens.input + st.tokens.output + st.tokens.reasoning == 75_000
    # human review: a quarter of reviews redone by hand at 1.5 h x 80 USD/h = 120 USD each
    assert (st.reliability.escalation_rate, st.reliability.usd_per_escalation) == (0.25, 120.0)
    c = s.constraints
    assert c.zero_data_retention and c.no_training_on_prompts and c.regions == ("eu",) and c.gpu_operations
    # 24-month horizon from 2026-11-20
    assert s.horizon_date == dt.date(2028, 11, 20)


@pytest.mark.parametrize("name", ["support_assistant", "invoice_extraction", "compliance_review"])
def test_every_step_has_targets_and_a_contract(name):
    s = load_scenario(by_name()[name])
    for st in s.workflow:
        assert st.latency.total_s is not None and st.latency.p95_s >= st.latency.total_s
        assert st.output_contract.format in ("text", "json", "label", "vector")
        if st.output_contract.format == "label":
            assert len(st.output_contract.labels) >= 3


def test_every_step_of_every_shipped_scenario_has_candidates_on_the_snapshot():
    # the shipped catalog (data/catalog) is the real snapshot; a scenario whose step no offering can
    # serve would teach nothing
    from workbench.catalog.load import load_catalog
    from workbench.shortlist.pool import candidates
    from workbench.shortlist.ranking import shortlist

    cat = candidates(load_catalog())
    for path in list_scenarios():
        s = load_scenario(path)
        for st in s.workflow:
            assert len(shortlist(cat, s, st.name).ranked) > 0, (path.name, st.name)
    # the compliance review allows GPUs: its reasoning step keeps self-hosted candidates, so the
    # self-hosting break-even is part of the choice
    comp = load_scenario(by_name()["compliance_review"])
    modes = set(shortlist(cat, comp, "review_against_regulations").ranked["access_mode"])
    assert {"self-hosted", "managed-api"} <= modes
