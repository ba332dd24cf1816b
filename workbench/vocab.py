"""The words the workbench's files share, defined once: how a model is reached, what it reads, and
the kinds of task the golden set, the router and the decision record talk about."""
from __future__ import annotations

ACCESS_MODES = ("managed-api", "hosted-inference", "self-hosted")
MODALITIES = ("text", "image", "audio", "video", "pdf")
TASKS = ("classify", "answer", "draft", "extract")  # golden-case tasks; routing rules and record.golden_tasks use them
