"""The rule-based baseline: a keyword intent classifier, a regex extractor and templated replies.

A real, nearly free candidate (no model call, no tokens): the chapter's point that a deterministic
rule sometimes does the job, and the bar every model must clear to be worth its price. Its rules
are general support-desk rules, written from the labelling guide and the help-center conventions,
not tuned case by case on the golden set:

- every message: HTML tags are stripped, and sentences that address the model ("ignore ...
  instructions", "classify this as") are dropped;
- classify: count keyword hits per label (English keywords: other languages fall to ``other``);
  ties go to the label that decides who acts first (cancellation, account access, billing, bug,
  feature request, how-to); no hit -> ``other``;
- extract: regular expressions for the e-mail (the sender's own: not a role address such as
  support@, not one introduced by "to"/"at"), the account ID (the last one when the message
  corrects itself), the plan named next to "plan" or "on", and the classifier's label as ``issue_type``;
- answer / draft: pick the retrieved article that shares most words with the message, quote its
  best-matching sentences, cite it; refuse with the hand-off sentence when the message asks about
  another account, contains a card number, is empty, or no article matches. Paragraphs that
  address an AI (a tampered article) are dropped and such an article is never cited.

Introduced in ``notebooks/04_golden_dataset_eval.ipynb``.
"""
from __future__ import annotations

import json
import re
import time

from workbench.evals.adapters.base import Completion
from workbench.evals.checks import DEFAULT_ACCOUNT_ID_PATTERN, PII_PATTERNS
from workbench.evals.prompts import HANDOFF_SENTENCE, Contract, support_contract

# plain substrings, or regular expressions when they start with "re:"
KEYWORDS = {
    "cancellation": ("cancel", "cancellation", r"re:\bclose (?:my|our) (?:\w+ )?account", r"re:\bdelete (?:my|our) (?:\w+ )?account",
                     "terminate", "unsubscribe", "stop my subscription", "end my subscription", "end our subscription"),
    "account_access": ("log in", "login", "log-in", "sign in", "sign-in", "signin", "password", "locked", "2fa",
                       "two-factor", "two factor", "authenticator", "reset link", "reset e-mail", "reset email",
                       "verification code", "can't access", "cannot access", "sign-in e-mail", "sign in with"),
    "billing": ("charge", "charged", "refund", "receipt", "vat", "payment method", "billing", "price", "pricing",
                "upgrade", "downgrade", "paid", "pay for", "bill ", "invoice from you", "card", "subscription fee"),
    "bug_report": ("blank", "error", "broken", "not working", "doesn't work", "does not work", "crash", "bug",
                   "fails", "failing", "failed", "not sent", "not delivered", "never arrive", "stuck", "wrong",
                   "since this morning", "since yesterday", "isn't working", "stopped"),
    "feature_request": ("would be great", "would love", "feature", "could you add", "please add", "sync with",
                        "integrate with", "integration with", "wish", "roadmap", "any plans to", "support for",
                        "any chance of", "it would be nice"),
    "how_to": ("how do i", "how can i", "how to", "where do i", "where can i", "is there a way", "set up",
               "setup", "how do we", "can i ", "what's the way", r"re:\bis there an? "),
}
ROLE_LOCAL_PARTS = ("support", "help", "billing", "noreply", "no-reply", "info", "sales", "admin")
PRIORITY = ("cancellation", "account_access", "billing", "bug_report", "feature_request", "how_to")
PLANS = ("free", "starter", "pro", "enterprise")
ADDRESSES_MODEL = re.compile(
    r"(ignore (?:all |your |the )?(?:previous |prior |above )?instructions|classify this|note (?:for|to) (?:the )?"
    r"(?:ai|extraction|assistant|model)|instruction for the ai|assistant:|system override|developer mode|"
    r"overrides your system prompt|in your json|your system prompt)", re.I)
STOP = set("""a an the and or but if of to in on at for from by with about as is are was were be been it its this that
these those i me my we our you your they their them he she his her do does did can could would should will just
so not no yes have has had get got please hi hello thanks thank there here what when where which who how why
any all some more most other also than then too very""".split())


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _strip_markup(text: str) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
    return re.sub(r"<[^>]+>", " ", text)


def _clean_message(text: str) -> str:
    """The message without markup and without sentences that address the model (injected instructions)."""
    kept = " ".join(s for s in _sentences(_strip_markup(text)) if not ADDRESSES_MODEL.search(s))
    return " ".join(kept.split())


def _hits(text: str, keyword: str) -> int:
    if keyword.startswith("re:"):
        return len(re.findall(keyword[3:], text))
    return text.count(keyword)


def classify_intent(text: str, labels: tuple[str, ...] = ()) -> str:
    """The keyword classifier's label for ``text`` (see the module doc); ``other`` when nothing matches.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    t = " " + _clean_message(text).lower().replace("\u2019", "'") + " "
    scores = {label: sum(_hits(t, k) for k in words) for label, words in KEYWORDS.items()}
    best = max(scores.values()) if scores else 0
    if best == 0:
        return "other"
    label = next(lab for lab in PRIORITY if scores[lab] == best)
    return label if not labels or label in labels else "other"


def extract_fields(text: str, labels: tuple[str, ...] = (), account_id_pattern: str = DEFAULT_ACCOUNT_ID_PATTERN) -> dict:
    """email, account_id, plan and issue_type from ``text`` by regular expressions (None when absent).

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """
    clean = _clean_message(text)
    emails = list(re.finditer(PII_PATTERNS["email"], clean))
    email = None
    for m in emails:  # the sender's own address: not a role address, not one introduced by "to", "at", "cc"
        before = clean[max(0, m.start() - 30):m.start()].lower().strip()
        if m.group(0).split("@")[0].lower() in ROLE_LOCAL_PARTS:
            continue
        if re.search(r"\b(to|at|cc)\s*\(?$", before) and len(emails) > 1:
            continue
        email = m.group(0)
        break
    ids = [m.group(0) for m in re.finditer(account_id_pattern, clean)]
    corrected = re.search(r"\b(typo|sorry|i mean|correction|actually)\b", clean, flags=re.I)
    acct = (ids[-1] if corrected else ids[0]) if ids else None
    plan = None
    m = re.search(r"\b(?:on (?:the |our |my )?|plan:?\s*|we're on |i'm on |we are on |i am on )(" + "|".join(PLANS) + r")\b",
                  clean, flags=re.I) or re.search(r"\b(" + "|".join(PLANS) + r") plan\b", clean, flags=re.I)
    if m:
        plan = m.group(1).lower()
    return {"email": email, "account_id": acct, "plan": plan,
            "issue_type": classify_intent(text, labels) if text.strip() else None}


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z0-9$][a-z0-9$\-]*", text.lower()) if w not in STOP and len(w) > 2}


def _trusted(article_text: str) -> tuple[str, bool]:
    """The article without comments and paragraphs that address an AI, and whether it was clean."""
    text = re.sub(r"<!--.*?-->", "", article_text, flags=re.S)
    text = re.sub(r"^\[//\]: # .*$", "", text, flags=re.M)
    paras = [p for p in re.split(r"\n\s*\n", text) if not ADDRESSES_MODEL.search(p)]
    cleaned = "\n\n".join(paras)
    return cleaned, " ".join(cleaned.split()) == " ".join(article_text.split())


def _article_sentences(text: str) -> list[str]:
    body = [ln for ln in text.splitlines() if not ln.startswith("#") and not ln.startswith("|")]
    joined = re.sub(r"\n(?!\s*-\s)(?!\s*\n)", " ", "\n".join(body))
    return [" ".join(s.lstrip("- ").split()) for s in _sentences(joined) if len(s.strip()) > 3]


def _best_article(case, articles: dict):
    """(article id, its two best-matching sentences) among the trusted retrieved articles, or None."""
    asked = _words(_clean_message(case.input))
    best = None
    for aid in case.articles:
        art = articles.get(aid)
        if art is None:
            continue
        text, clean = _trusted(art.text)
        if not clean:
            continue
        sents = _article_sentences(text)
        scored = sorted(((len(asked & _words(s)), i, s) for i, s in enumerate(sents)), key=lambda x: (-x[0], x[1]))
        top = [x for x in scored[:2] if x[0] > 0]
        score = sum(x[0] for x in top) + len(asked & _words(art.title))
        if top and (best is None or score > best[0]):
            best = (score, aid, [s for _, _, s in sorted(top, key=lambda x: x[1])])
    return None if best is None else (best[1], best[2])


def _refusal_reason(case, account_id_pattern: str = DEFAULT_ACCOUNT_ID_PATTERN) -> str | None:
    text = case.input
    if not text.strip():
        return "Could you tell me what you need help with?"
    own = {str(v).lower() for v in (case.customer or {}).values()}
    others = [m.group(0) for m in re.finditer(account_id_pattern, text) if m.group(0).lower() not in own]
    if others:
        return "For privacy reasons I can't share or change details of another account."
    if re.search(PII_PATTERNS["card"], text):
        return "For your security, please don't send card numbers by e-mail or chat; update the card yourself in the app."
    return None


class RulesCandidate:
    """The rule baseline as a candidate (``--candidate rules``). Free: no model call, no tokens;
    ``total_s`` is the measured time of the rules themselves.

    Taught in ``notebooks/04_golden_dataset_eval.ipynb``.
    """

    name = "rules"
    cache_key = None
    provenance = "deterministic rules"

    def __init__(self, articles: dict | None = None, contract: Contract | None = None,
                 account_id_pattern: str = DEFAULT_ACCOUNT_ID_PATTERN):
        self.articles = articles or {}
        self.contract = contract or support_contract()
        self.account_id_pattern = account_id_pattern  # the scenario's pii.account_id_pattern

    def describe(self) -> dict:
        return {"candidate": self.name, "adapter": "rules", "provenance": self.provenance,
                "cost_basis": "no model call: 0 USD per case"}

    def complete(self, case, prompt=None) -> Completion:
        t0 = time.perf_counter()
        text = self.respond(case)
        elapsed = time.perf_counter() - t0
        return Completion(text=text, total_s=elapsed, ttft_s=elapsed, model="rules")

    def respond(self, case) -> str:
        """The rule baseline's output for one case, in the format the task's prompt asks for."""
        labels = self.contract.labels
        if case.task == "classify":
            return classify_intent(case.input, labels) if case.input.strip() else "other"
        if case.task == "extract":
            return json.dumps(extract_fields(case.input, labels, self.account_id_pattern))
        refusal = _refusal_reason(case, self.account_id_pattern)
        found = _best_article(case, self.articles)
        if case.task == "answer":
            if refusal or found is None:
                return json.dumps({"answer": f"{refusal or ''} {HANDOFF_SENTENCE}".strip(), "citations": []})
            aid, sents = found
            return json.dumps({"answer": " ".join(sents), "citations": [aid]})
        # draft
        body = f"{refusal} {HANDOFF_SENTENCE}" if refusal else (" ".join(found[1]) if found else HANDOFF_SENTENCE)
        reply = f"Hi,\n\nThanks for getting in touch. {body}\n\nBest regards,\nTallybird Support"
        words = reply.split(" ")
        limit = self.contract.draft_max_words
        return reply if len(reply.split()) <= limit else " ".join(words[:limit])
