"""What a learner sees in the stored outputs: lines that fit a notebook about 1,000 px wide, figures as
images (never their text repr), and dashboards that show something other than a widget repr."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
MAX_LINE = 120
WIDGET_REPR = re.compile(r"^(VBox|HBox|Output|interactive|Tab|Accordion|Dropdown|IntSlider|FloatSlider)\(")


def _outputs(path: Path):
    nb = json.loads(path.read_text())
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            yield i, out


def _texts(out: dict) -> list[str]:
    if out.get("output_type") == "stream":
        return ["".join(out.get("text", ""))]
    data = out.get("data", {})
    return ["".join(data[k]) for k in ("text/plain", "text/markdown") if k in data]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_outputs_fit_and_show_figures_as_images(path):
    problems = []
    for i, out in _outputs(path):
        data = out.get("data", {})
        for text in _texts(out):
            for line in text.splitlines():
                if len(line) > MAX_LINE:
                    problems.append(f"cell {i}: a line of {len(line)} characters: {line[:60]}...")
                    break
            if "<Figure size" in text and "image/png" not in data:
                problems.append(f"cell {i}: a figure stored as text ({text.strip()[:40]}), not as an image")
        if set(data) == {"text/plain"} and WIDGET_REPR.match("".join(data["text/plain"])):
            problems.append(f"cell {i}: a widget repr is the only representation: {''.join(data['text/plain'])[:50]}")
        if "application/vnd.jupyter.widget-view+json" in data and WIDGET_REPR.match("".join(data.get("text/plain", ""))):
            # a widget view needs saved widget state to render anywhere but the live kernel
            nb = json.loads(path.read_text())
            if "widgets" not in nb.get("metadata", {}):
                problems.append(f"cell {i}: a widget view without saved widget state renders as its repr")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)
