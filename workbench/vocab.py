"""The words the workbench's files share, defined once: how a model is reached, what it reads, and
the kinds of task the golden set, the router and the decision record talk about."""
from __future__ import annotations

ACCESS_MODES = ("managed-api", "hosted-inference", "self-hosted")
MODALITIES = ("text", "image", "audio", "video", "pdf")
TASKS = ("classify", "answer", "draft", "extract")  # golden-case tasks; routing rules and record.golden_tasks use them
# kinds of personal data the redactor finds (workbench.routing.pii) and a scenario's pii.types may list
PII_TYPES = ("email", "account_id", "phone", "card", "iban", "ssn", "ip_address", "date_of_birth")
# difficulty signals a routing rule may ask for (routing.rules[].when.difficulty), with what each means
DIFFICULTY_SIGNALS = {
    "multi_part": "three or more questions, or one question that lists three or more things",
    "plan_condition": "the answer depends on which plan or on a plan change ('which plan', 'on my plan', "
                      "'if I upgrade', 'downgrade to')",
    "time_condition": "a refund or charge with a time condition ('six weeks ago', 'last Tuesday')",
    "upset": "an upset customer ('!!', 'useless', 'third time', 'unacceptable')",
}
