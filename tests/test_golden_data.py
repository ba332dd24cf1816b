"""The support-assistant golden set (data/golden/) is well formed, answerable and complete.

These tests read the JSONL with plain ``json`` (no workbench code in between), so a broken line or a
case that cannot be scored shows up here first, with the case id in the message. The data card
(data/golden/README.md) explains the format; workbench/evals/case_schema.json states it as JSON Schema.
"""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from workbench.evals.golden import CASE_SCHEMA_FILE
from workbench.scenario.load import load_scenario
from workbench.util import project_dir

GOLDEN = project_dir() / "data" / "golden"
CASES_FILE = GOLDEN / "support_assistant.jsonl"
HELP_CENTER = GOLDEN / "help_center"
TOP_KEYS = {"id", "task", "input", "context", "expected", "checks", "tags"}
EXPECTED_KEYS = {"label", "fields", "required_facts", "allowed_citations", "must_cite", "forbidden",
                 "allowed_pii", "max_words", "refusal", "route", "pii"}
CHECKS = {"label_exact", "json_schema", "required_facts", "citations", "no_pii_leak", "injection_safe",
          "max_words", "refusal"}
ROUTES = {"cheap", "strong", "private", "human"}
PII_TYPES = {"email", "account_id", "phone", "card"}
# Detectors for personal data in inputs; Tallybird's own addresses (@tallybird.example) are not personal.
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"\+1 555-\d{4}")
CARD = re.compile(r"\b(?:\d{4}[ -]?){3}\d{4}\b")
CUSTOMER_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@example\.(com|org|net)$")
TEST_CARDS = {"4111 1111 1111 1111"}


def _load_lines() -> list[dict]:
    cases = []
    for n, line in enumerate(CASES_FILE.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"{CASES_FILE.name} line {n} is blank; JSONL has one case per line"
        obj = json.loads(line)
        assert isinstance(obj, dict), f"line {n} is not a JSON object"
        cases.append(obj)
    return cases


CASES = _load_lines()
BY_ID = {c["id"]: c for c in CASES}
ARTICLES = {p.stem: p.read_text(encoding="utf-8") for p in HELP_CENTER.glob("*.md")}
SCENARIO = load_scenario(project_dir() / "data" / "scenarios" / "support_assistant.yaml")
LABELS = list(SCENARIO.step("classify_intent").output_contract.labels)
ACCOUNT_ID = re.compile(SCENARIO.pii["account_id_pattern"])
README = (GOLDEN / "README.md").read_text(encoding="utf-8")
# the tampered articles are the ones listed in the data card's adversarial-fixture table
TAMPERED = set(re.findall(r"^\| `(hc-[a-z0-9-]+)` \|", README.split("### Adversarial test fixtures")[1], re.M))


def tagged(tag: str) -> list[dict]:
    return [c for c in CASES if tag in c["tags"]]


def ids(cases) -> list[str]:
    return [c["id"] for c in cases]


# ------------------------------------------------------------------ format
def test_at_least_80_cases_with_unique_ids():
    assert len(CASES) >= 80
    dupes = [i for i, n in Counter(ids(CASES)).items() if n > 1]
    assert dupes == []


def test_every_case_has_exactly_the_contract_keys():
    for c in CASES:
        extra = set(c) - TOP_KEYS - {"regression_of"}
        assert TOP_KEYS <= set(c) and not extra, (c.get("id"), sorted(set(c) ^ TOP_KEYS))
        assert set(c["expected"]) == EXPECTED_KEYS, (c["id"], sorted(set(c["expected"]) ^ EXPECTED_KEYS))
        assert set(c["context"]) == {"articles", "customer"}, c["id"]
        assert c["task"] in {"classify", "answer", "draft", "extract"}, c["id"]
        assert re.fullmatch({"classify": "cls", "answer": "ans", "draft": "drf", "extract": "ext"}[c["task"]]
                            + r"-\d{3}", c["id"]), c["id"]
        assert isinstance(c["input"], str), c["id"]
        assert c["checks"] and set(c["checks"]) <= CHECKS, (c["id"], c["checks"])
        assert c["expected"]["route"] in ROUTES, c["id"]
        assert isinstance(c["expected"]["refusal"], bool), c["id"]


def _case_validator():
    """The package's case_schema.json, with its reference to extract_schema.json resolved from data/golden/."""
    jsonschema = pytest.importorskip("jsonschema")  # ships with jupyterlab/nbformat in the venv
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    extract = json.loads((GOLDEN / "extract_schema.json").read_text())
    registry = Registry().with_resource("extract_schema.json", Resource.from_contents(extract, DRAFT202012))
    return jsonschema.Draft202012Validator(json.loads(CASE_SCHEMA_FILE.read_text()), registry=registry)


def test_cases_validate_against_the_published_case_schema():
    validator = _case_validator()
    errors = [f"{c['id']}: {e.json_path}: {e.message}" for c in CASES for e in validator.iter_errors(c)]
    assert errors == []


def test_case_schema_rejects_a_broken_case():
    """The schema test above can fail: a typo'd check, an unknown route and a bad plan are all rejected."""
    broken = json.loads(json.dumps(BY_ID["ext-001"]))
    broken["checks"] = ["json_schemas"]
    broken["expected"]["route"] = "cheapest"
    broken["expected"]["fields"]["plan"] = "premium"
    messages = " | ".join(e.message for e in _case_validator().iter_errors(broken))
    assert "json_schemas" in messages and "cheapest" in messages, messages
    assert not _case_validator().is_valid(broken)


# ------------------------------------------------------------------ articles and citations
def test_help_center_has_15_titled_articles_besides_the_tampered_ones():
    assert TAMPERED == {"hc-billing-refund-exceptions", "hc-account-login-help", "hc-integrations-zapier"}
    assert TAMPERED <= set(ARTICLES)
    assert len(set(ARTICLES) - TAMPERED) >= 15
    for name, text in ARTICLES.items():
        assert re.fullmatch(r"hc-[a-z0-9]+(-[a-z0-9]+)+", name), name
        assert text.startswith("# ") and len(text.splitlines()[0]) > 3, f"{name}.md must start with '# Title'"


def test_every_article_a_case_names_exists():
    for c in CASES:
        e = c["expected"]
        named = set(c["context"]["articles"]) | set(e["allowed_citations"]) | set(e["must_cite"])
        assert named <= set(ARTICLES), (c["id"], sorted(named - set(ARTICLES)))


def test_citations_are_consistent_and_never_allow_a_tampered_article():
    for c in CASES:
        e = c["expected"]
        assert set(e["must_cite"]) <= set(e["allowed_citations"]) <= set(c["context"]["articles"]), c["id"]
        assert not set(e["allowed_citations"]) & TAMPERED, c["id"]
        if c["task"] == "answer" and e["must_cite"]:
            assert "citations" in c["checks"], c["id"]


def test_required_facts_occur_in_an_allowed_article_so_the_set_is_answerable():
    # e.g. ans-001 requires "14 days"; hc-billing-refunds says "within 14 days of the charge date"
    for c in CASES:
        if c["task"] not in ("answer", "draft"):
            assert c["expected"]["required_facts"] == [], c["id"]
            continue
        for fact in c["expected"]["required_facts"]:
            sources = [a for a in c["expected"]["allowed_citations"] if fact.lower() in ARTICLES[a].lower()]
            assert sources, f"{c['id']}: required fact {fact!r} is in none of {c['expected']['allowed_citations']}"
        if c["expected"]["required_facts"]:
            assert "required_facts" in c["checks"], c["id"]


def test_a_required_fact_found_only_in_a_tampered_article_would_be_caught():
    """The answerability check looks only at allowed (never tampered) articles."""
    assert "REFUND-ALL-7731" in ARTICLES["hc-billing-refund-exceptions"]
    assert not any("refund-all-7731" in ARTICLES[a].lower() for a in set(ARTICLES) - TAMPERED)


# ------------------------------------------------------------------ labels and fields
def test_labels_are_the_scenarios_labels_and_all_are_used():
    assert len(LABELS) >= 6
    for c in CASES:
        if c["task"] == "classify":
            assert c["expected"]["label"] in LABELS, (c["id"], c["expected"]["label"])
            assert "label_exact" in c["checks"], c["id"]
        else:
            assert c["expected"]["label"] is None, c["id"]
    used = Counter(c["expected"]["label"] for c in CASES if c["task"] == "classify")
    assert set(used) == set(LABELS), used
    assert min(used.values()) >= 3, used  # at least 3 cases per label


def test_extract_schema_matches_the_scenario_and_the_expected_fields():
    schema = json.loads((GOLDEN / "extract_schema.json").read_text())
    props = schema["properties"]
    assert set(schema["required"]) == set(props) == {"email", "account_id", "plan", "issue_type"}
    assert props["issue_type"]["enum"] == LABELS + [None]
    assert props["plan"]["enum"] == ["free", "starter", "pro", "enterprise", None]
    assert props["account_id"]["pattern"] == "^" + SCENARIO.pii["account_id_pattern"] + "$"
    for c in CASES:
        fields = c["expected"]["fields"]
        if c["task"] != "extract":
            assert fields is None, c["id"]
            continue
        assert "json_schema" in c["checks"], c["id"]
        assert set(fields) == set(props), c["id"]
        assert fields["plan"] in props["plan"]["enum"] and fields["issue_type"] in props["issue_type"]["enum"]
        for key in ("email", "account_id"):
            value = fields[key]
            if value is not None:
                assert re.fullmatch(props[key]["pattern"], value), (c["id"], key, value)
                assert value in c["input"], f"{c['id']}: expected {key} {value!r} is not in the message"
        assert c["context"]["customer"] is None, f"{c['id']}: extract fields must come from the message"


def test_drafts_have_a_word_limit_and_other_tasks_none():
    for c in CASES:
        if c["task"] == "draft":
            assert c["expected"]["max_words"] == 120 and "max_words" in c["checks"], c["id"]
        else:
            assert c["expected"]["max_words"] is None, c["id"]


# ------------------------------------------------------------------ personal data
def _pii_in(text: str) -> set[tuple[str, str]]:
    found = {("email", m) for m in EMAIL.findall(text) if not m.endswith("@tallybird.example")}
    found |= {("account_id", m.group()) for m in re.finditer(ACCOUNT_ID, text)}
    found |= {("phone", m) for m in PHONE.findall(text)}
    found |= {("card", m) for m in CARD.findall(text)}
    return found


def test_every_annotated_pii_text_occurs_in_its_input():
    for c in CASES:
        for item in c["expected"]["pii"]:
            assert item["type"] in PII_TYPES, (c["id"], item)
            assert item["text"] in c["input"], f"{c['id']}: {item['text']!r} not in input"


def test_pii_annotation_is_complete_for_precision_and_recall():
    """Every e-mail, account ID, phone and card number in an input is annotated, and nothing else."""
    for c in CASES:
        annotated = {(p["type"], p["text"]) for p in c["expected"]["pii"]}
        assert len(annotated) == len(c["expected"]["pii"]), f"{c['id']}: duplicate pii entries"
        assert _pii_in(c["input"]) == annotated, (c["id"], _pii_in(c["input"]) ^ annotated)
        assert bool(annotated) == ("pii" in c["tags"]), f"{c['id']}: tag 'pii' iff input holds personal data"


def test_pii_detector_in_this_test_finds_what_it_should():
    text = "mail a.b@example.org or support@tallybird.example, ACCT-123456 not ACCT-12345, +1 555-0142, 4111 1111 1111 1111"
    assert _pii_in(text) == {("email", "a.b@example.org"), ("account_id", "ACCT-123456"),
                             ("phone", "+1 555-0142"), ("card", "4111 1111 1111 1111")}


def test_personal_data_is_fictional():
    for c in CASES:
        customer = c["context"]["customer"]
        values = [(p["type"], p["text"]) for p in c["expected"]["pii"]]
        if customer:
            values += [("email", customer["email"]), ("account_id", customer["account_id"])]
        for kind, text in values:
            if kind == "email":
                assert CUSTOMER_EMAIL.fullmatch(text), (c["id"], text)
            elif kind == "account_id":
                assert re.fullmatch(ACCOUNT_ID, text), (c["id"], text)
            elif kind == "phone":
                assert re.fullmatch(r"\+1 555-01\d\d", text), (c["id"], text)
            else:
                assert text in TEST_CARDS, (c["id"], text)


def test_allowed_pii_is_the_senders_own_data():
    for c in CASES:
        customer = c["context"]["customer"] or {}
        own = {customer.get("email"), customer.get("account_id")} | {p["text"] for p in c["expected"]["pii"]}
        assert set(c["expected"]["allowed_pii"]) <= own, c["id"]
    # another customer's data is never allowed, even though it is in the message
    for c in tagged("other_customer"):
        others = {p["text"] for p in c["expected"]["pii"]}
        assert others and not others & set(c["expected"]["allowed_pii"]), c["id"]


def test_forbidden_strings_are_checked_and_come_from_the_attack():
    for c in CASES:
        forbidden = c["expected"]["forbidden"]
        if forbidden:
            assert {"injection_safe", "no_pii_leak"} & set(c["checks"]), c["id"]
        if "injection" in c["tags"]:
            assert "injection_safe" in c["checks"] and forbidden, c["id"]
            sources = [c["input"]] + [ARTICLES[a] for a in c["context"]["articles"]]
            for s in forbidden:
                assert any(s.lower() in src.lower() for src in sources), (c["id"], s)


# ------------------------------------------------------------------ adversarial, routing, regression
def test_injection_in_article_cases_retrieve_a_tampered_article_and_message_injections_do_not():
    for c in tagged("injection_article"):
        assert set(c["context"]["articles"]) & TAMPERED, c["id"]
    for c in CASES:
        if set(c["context"]["articles"]) & TAMPERED:
            assert "injection_article" in c["tags"], c["id"]


def test_route_follows_the_data_cards_rule():
    for c in CASES:
        route, has_pii = c["expected"]["route"], bool(c["expected"]["pii"])
        if "other_customer" in c["tags"]:
            assert route == "human", c["id"]
        if route != "human":
            assert (route == "private") == has_pii, f"{c['id']}: route {route} but pii={has_pii}"
        if route == "cheap":
            assert "injection" not in c["tags"], c["id"]
            # an output that must combine facts from two articles is not a cheap route
            facts = [f.lower() for f in c["expected"]["required_facts"]]
            one_article = [a for a in c["expected"]["allowed_citations"]
                           if all(f in ARTICLES[a].lower() for f in facts)]
            assert not facts or one_article, f"{c['id']}: needs several articles, route should be strong"
    assert {c["expected"]["route"] for c in CASES} == ROUTES


def test_refusal_cases_are_checked_for_refusal():
    for c in CASES:
        if c["expected"]["refusal"]:
            assert "refusal" in c["checks"], c["id"]
    assert len([c for c in CASES if c["expected"]["refusal"]]) >= 5
    # over-refusal is tested too: some cases check that the model does NOT refuse
    assert len([c for c in CASES if "refusal" in c["checks"] and not c["expected"]["refusal"]]) >= 2


def test_regression_cases_say_what_they_pin():
    regressions = tagged("regression")
    assert len(regressions) >= 8
    for c in CASES:
        assert ("regression_of" in c) == ("regression" in c["tags"]), c["id"]
    assert all(len(c["regression_of"]) >= 20 for c in regressions)


def test_the_long_case_is_8_to_12_thousand_characters_of_literal_text():
    long_cases = tagged("long")
    assert long_cases
    for c in long_cases:
        assert 8_000 <= len(c["input"]) <= 12_000, (c["id"], len(c["input"]))
        assert len(set(c["input"].splitlines())) > 40, "a real pasted log, not one line repeated"


def test_malformed_cases_cover_empty_long_non_english_and_markup():
    malformed = tagged("malformed")
    assert len(malformed) >= 6
    for kind in ("empty", "long", "non_english", "markup"):
        assert [c for c in malformed if kind in c["tags"]], kind
    for c in tagged("empty"):
        assert c["input"].strip() == "", c["id"]
    for c in tagged("markup"):
        assert re.search(r"<[a-z/][^>]*>", c["input"]), c["id"]


def test_counts_per_task_and_tag_meet_the_minimums():
    tasks = Counter(c["task"] for c in CASES)
    assert tasks["classify"] >= 25 and tasks["answer"] >= 20, tasks
    assert tasks["draft"] >= 12 and tasks["extract"] >= 12, tasks
    assert len(tagged("adversarial")) >= 10
    message_injections = [c for c in tagged("injection") if "injection_article" not in c["tags"]]
    assert len(message_injections) >= 3
    assert len(tagged("injection_article")) >= 2
    assert len(tagged("other_customer")) >= 2
    assert len(tagged("pii")) >= 10
    # adversarial and malformed cases are spread over the tasks, not piled into one
    assert {c["task"] for c in tagged("adversarial")} == {"classify", "answer", "draft", "extract"}
    assert {c["task"] for c in tagged("malformed")} == {"classify", "answer", "draft", "extract"}


def test_the_data_cards_count_tables_match_the_data():
    tasks = Counter(c["task"] for c in CASES)
    for task, n in tasks.items():
        assert re.search(rf"^\| `{task}` \| {n} \|", README, re.M), f"README says a different count for {task}"
    tags = Counter(t for c in CASES for t in c["tags"])
    for tag, n in re.findall(r"^\| `([a-z_]+)` \| (\d+) \| [a-z]", README, re.M):
        if tag in tasks:
            continue
        assert tags[tag] == int(n), f"README says {n} cases tagged {tag}, the data has {tags[tag]}"


def test_the_data_cards_example_is_a_real_case():
    example = json.loads(README.split("## One case")[1].split("```json")[1].split("```")[0])
    assert example == BY_ID[example["id"]]
