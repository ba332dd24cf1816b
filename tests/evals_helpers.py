"""Tiny SYNTHETIC golden cases for the evaluation tests (not the shipped golden set)."""
from workbench.evals.golden import Article, GoldenSet, case_from_dict
from workbench.evals.prompts import support_contract

ARTICLES = {
    "hc-refunds": Article("hc-refunds", "Refunds", "# Refunds\n\nRefunds are possible within 14 days of the charge.\n"
                          "Refunds take 5-10 business days. Write to help@shop.example for questions."),
    "hc-cancel": Article("hc-cancel", "Cancelling", "# Cancelling\n\nThe Owner cancels in Settings > Billing > Cancel."),
}
EXTRACT_SCHEMA = {"type": "object", "additionalProperties": False, "required": ["email", "plan"],
                  "properties": {"email": {"type": ["string", "null"], "pattern": "^[^@\\s]+@[^@\\s]+$"},
                                 "plan": {"enum": ["free", "pro", None]}}}


def case(**kw):
    """A synthetic case: defaults filled in, validated by the real loader code."""
    base = {"id": "t-001", "task": "classify", "input": "I was charged twice", "context": {"articles": [], "customer": None},
            "expected": {"label": "billing"}, "checks": ["label_exact"], "tags": []}
    for k, v in kw.items():
        if k in ("expected", "context"):
            base[k] = {**base[k], **v}
        else:
            base[k] = v
    schemas = {"answer": support_contract().answer_schema, "extract": EXTRACT_SCHEMA}
    return case_from_dict(base, "synthetic.jsonl", 1, None, ARTICLES, schemas, support_contract().labels)


def golden(*cases):
    return GoldenSet(cases=tuple(cases), articles=ARTICLES,
                     schemas={"answer": support_contract().answer_schema, "extract": EXTRACT_SCHEMA},
                     labels=support_contract().labels, path="synthetic.jsonl", sha256="0" * 64)
