"""Every notebook opened in JupyterLab in a real browser (Debian's headless ``chromium`` driven by the
``playwright`` package), as a learner would: open it, Restart Kernel and Run All, wait until the
kernel is idle, and look at what the page shows.

Checked for every notebook: before running, no output reads as a widget repr (``VBox(children=...``);
after running, no error output, every matplotlib figure drawn as an image (no ``<Figure size`` text),
each dashboard drawn as live controls (ipywidgets DOM) with exactly the charts it should have, and
moving one control of each dashboard changes what it shows.

Marked ``browser``: the default ``pytest`` run leaves it out; ``make test-browser`` runs it (and
``.ci/run`` after ``make test``). It installs nothing and downloads nothing: it needs
``/usr/bin/chromium`` (``apt-get install -y chromium``) and the pinned ``playwright`` package (never
``playwright install``). JupyterLab runs on a free loopback port with its own settings, workspace,
config and runtime folders in a temporary folder, on a copy of ``notebooks/``, with autosave off, so
nothing of the user's or the repository's is touched. A failing run keeps its screenshots and the
JupyterLab log in that temporary folder and prints their paths; a passing run removes it.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# JupyterLab's side bars collapsed, this leaves a notebook area of about 1,000 px
VIEWPORT = {"width": 1070, "height": 900}
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
# notebook -> charts each of its dashboards shows; a notebook not listed has no dashboard
DASHBOARD_CHARTS = {"00_start_here.ipynb": 0, "02_shortlist_from_leaderboards.ipynb": 1,
                    "03_cost_and_latency.ipynb": 1, "05_routing_and_fallbacks.ipynb": 0}
DASHBOARD = ".workbench-dashboard"  # the CSS class workbench.widgets gives every dashboard's outer box
RUN_TIMEOUT_S = 240
WIDGET_REPR = "(children=("  # the start of an ipywidgets container's repr: VBox(children=(HBox(...


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def artefacts():
    """A temporary folder for JupyterLab's state, its log and screenshots; removed when every test passed."""
    folder = Path(tempfile.mkdtemp(prefix="workbench-browser-"))
    state = {"failed": False}
    yield folder, state
    if state["failed"]:
        print(f"\nbrowser test artefacts (screenshots, jupyterlab.log) kept in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def lab(artefacts):
    """JupyterLab on 127.0.0.1 over a copy of notebooks/ (data/ linked), with settings of its own."""
    folder, _ = artefacts
    work = folder / "work"
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    (work / "data").symlink_to(ROOT / "data")  # notebook 05 reads ../data/... relative to itself
    settings = folder / "settings"
    # no autosave; every cell in the DOM (no windowing), so what is checked is what a learner scrolls to
    for plugin, values in {"@jupyterlab/docmanager-extension/plugin": {"autosave": False},
                           "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
                           "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                                           "checkForUpdates": False}}.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "JUPYTER_PATH", "PYTEST_CURRENT_TEST")}
    for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython"),
                     ("MPLCONFIGDIR", "matplotlib"), ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "workspaces")):
        env[var] = str(folder / sub)
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={work}", "--LabApp.expose_app_in_browser=True",
           f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={folder / 'workspaces'}"]
    if os.getuid() == 0:
        cmd.append("--allow-root")
    log = open(folder / "jupyterlab.log", "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=work)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited with {proc.returncode}; log: {folder / 'jupyterlab.log'}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer within 90 s; log: {folder / 'jupyterlab.log'}")
                time.sleep(0.5)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def lab_page(lab):
    """One JupyterLab page in headless chromium, side bars collapsed; each test opens its notebook in it."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    base, token = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_context(viewport=VIEWPORT).new_page()
            page.goto(f"{base}/lab?reset&token={token}", timeout=90_000)
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=90_000)
            page.evaluate("() => window.jupyterapp.restored")
            page.evaluate("() => { window.jupyterapp.shell.collapseLeft(); window.jupyterapp.shell.collapseRight(); }")
            yield page
        finally:
            browser.close()


# JavaScript run in the page (JupyterLab started with expose_app_in_browser gives window.jupyterapp)
JS_PANEL = "(() => { const w = window.jupyterapp.shell.currentWidget; return w && !w.isDisposed && w.context && w.content && w.content.model ? w : null; })()"
JS_READY = (f"() => {{ const w = {JS_PANEL}; const k = w && w.sessionContext.session && w.sessionContext.session.kernel; "
            "return !!(w.context.isReady && k && k.status === 'idle' && k.connectionStatus === 'connected'); }")
JS_STATE = f"""() => {{
  const w = {JS_PANEL};
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  const cells = [];
  const model = w.content.model.cells;
  for (let i = 0; i < model.length; i++) {{
    const c = model.get(i);
    if (c.type !== 'code') continue;
    const outs = c.outputs.toJSON().map(o => ({{
      type: o.output_type, name: o.name || null, keys: o.data ? Object.keys(o.data) : [],
      ename: o.ename || null, evalue: o.evalue || null,
      text: String(Array.isArray(o.text) ? o.text.join('') : (o.text || (o.data && o.data['text/plain']) || '')).slice(0, 300)}}));
    cells.push({{index: i, count: c.executionCount, empty: c.sharedModel.getSource().trim() === '', outputs: outs}});
  }}
  const running = Array.from(w.content.node.querySelectorAll('.jp-InputPrompt')).some(p => p.textContent.includes('*'));
  return {{status: kernel ? kernel.status : 'none', running, cells}};
}}"""


class Page:
    """One notebook open in one browser page, with the failures found in it."""

    def __init__(self, page, name: str, folder: Path):
        self.page, self.name, self.folder = page, name, folder
        self.failures: list[str] = []
        self.shots: list[Path] = []

    def fail(self, message: str, locator=None) -> None:
        self.failures.append(message)
        if locator is not None:
            path = self.folder / f"{Path(self.name).stem}-{len(self.shots) + 1}.png"
            try:
                locator.scroll_into_view_if_needed(timeout=5000)
                locator.screenshot(path=str(path), timeout=10000)
                self.shots.append(path)
            except Exception as e:  # a screenshot must not hide the failure itself
                self.failures.append(f"(screenshot failed: {e})")

    def state(self) -> dict:
        return self.page.evaluate(JS_STATE)

    def outputs_with_text(self, text: str):
        return self.page.locator(".jp-OutputArea-output").filter(has_text=text)


def _signature(dashboard) -> str:
    """What a dashboard shows apart from its controls: the text of its outputs and its images."""
    return dashboard.evaluate("""d => {
      const parts = Array.from(d.querySelectorAll('.widget-output, .widget-html, .widget-image'))
        .map(e => e.innerText);
      const imgs = Array.from(d.querySelectorAll('img')).map(i => i.src.length + ':' + i.src.slice(-64));
      return JSON.stringify([parts, imgs]);
    }""")


def _move_one_control(dashboard) -> str:
    """Change one control through the DOM, as a user would: a dropdown's next option, else a slider
    moved with the keyboard. Returns what was done."""
    select = dashboard.locator("select")
    if select.count():
        first = select.first
        options = first.locator("option")
        current = first.input_value()
        values = [options.nth(i).get_attribute("value") for i in range(options.count())]
        new = next(v for v in values if v != current)
        first.select_option(new)
        return f"dropdown {current!r} -> {new!r}"
    handle = dashboard.locator(".noUi-handle").first
    handle.focus()
    for _ in range(3):
        handle.press("PageUp")
    return "slider moved with PageUp x3"


def _wait_until_run(nb: Page, timeout_s: float = RUN_TIMEOUT_S) -> dict:
    deadline = time.monotonic() + timeout_s
    stable = 0
    while time.monotonic() < deadline:
        s = nb.state()
        errored = any(o["type"] == "error" for c in s["cells"] for o in c["outputs"])
        done = all(c["count"] is not None for c in s["cells"] if not c["empty"])
        if s["status"] == "idle" and not s["running"] and (done or errored):
            stable += 1
            if stable >= 3:
                return s
        else:
            stable = 0
        time.sleep(0.5)
    nb.fail(f"the notebook did not finish running within {timeout_s:.0f} s", nb.page.locator("#main"))
    return nb.state()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_in_jupyterlab(name, lab_page, artefacts):
    folder, status = artefacts
    page = lab_page
    nb = Page(page, name, folder)
    t = [time.monotonic()]
    try:
        page.evaluate("path => { window.jupyterapp.commands.execute('docmanager:open', {path}); }", f"notebooks/{name}")
        page.wait_for_function(f"path => {{ const w = {JS_PANEL}; return !!(w && w.context && w.context.path === path); }}",
                               arg=f"notebooks/{name}", timeout=60_000)
        page.wait_for_function(JS_READY, timeout=60_000)
        page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1000)
        width = page.evaluate("() => document.querySelector('.jp-NotebookPanel').getBoundingClientRect().width")
        assert 950 <= width <= 1050, f"notebook area {width:.0f} px wide, not about 1,000 px"

        # 1. opened, not run: not marked modified (kernelspec as installed), no output reads as a widget repr
        if page.evaluate(f"() => {JS_PANEL}.context.model.dirty"):
            nb.fail("opening the notebook marked it modified (does its kernelspec match the installed kernel?)")
        reprs = nb.outputs_with_text(WIDGET_REPR)
        if reprs.count():
            nb.fail(f"before running, {reprs.count()} output(s) show a widget repr "
                    f"({reprs.first.inner_text()[:80]!r})", reprs.first)

        t.append(time.monotonic())
        # 2. Restart Kernel and Run All (the menu command; its dialog accepted like a user would)
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:restart-run-all'); }")
        page.locator(".jp-Dialog .jp-mod-accept").click(timeout=30_000)
        page.wait_for_timeout(1000)
        s = _wait_until_run(nb)
        page.wait_for_timeout(1500)  # widget views render after the kernel goes idle
        t.append(time.monotonic())

        # 3. no error output (tracebacks or anything on stderr)
        for c in s["cells"]:
            for o in c["outputs"]:
                if o["type"] == "error":
                    nb.fail(f"cell {c['index']}: {o['ename']}: {o['evalue']}",
                            page.locator(".jp-Notebook .jp-Cell").nth(c["index"]))
                elif o["type"] == "stream" and o["name"] == "stderr":
                    nb.fail(f"cell {c['index']} wrote to stderr: {o['text'][:200]!r}",
                            page.locator(".jp-Notebook .jp-Cell").nth(c["index"]))

        # 4. every matplotlib figure is an image, never its repr
        figure_text = nb.outputs_with_text("<Figure size")
        for i in range(figure_text.count()):
            nb.fail(f"a figure is shown as text: {figure_text.nth(i).inner_text()[:80]!r}", figure_text.nth(i))
        pngs = sum("image/png" in o["keys"] for c in s["cells"] for o in c["outputs"])
        drawn = page.locator(".jp-Notebook .jp-OutputArea-output[data-mime-type='image/png'] img").count()
        if drawn < pngs:
            nb.fail(f"{pngs} figure outputs but only {drawn} drawn as images", page.locator("#main"))
        reprs = nb.outputs_with_text(WIDGET_REPR)
        if reprs.count():
            nb.fail(f"after running, an output shows a widget repr ({reprs.first.inner_text()[:80]!r})", reprs.first)

        # 5. dashboards: live controls, the right number of charts, and a control that changes the output
        dashboards = page.locator(DASHBOARD)
        expected = 1 if name in DASHBOARD_CHARTS else 0
        if dashboards.count() != expected:
            nb.fail(f"{dashboards.count()} dashboard views on the page, expected {expected}",
                    dashboards.first if dashboards.count() else page.locator("#main"))
        for i in range(dashboards.count()):
            d = dashboards.nth(i)
            d.scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            controls = d.locator(".widget-slider, .widget-dropdown, .widget-checkbox").count()
            if "jupyter-widgets" not in (d.get_attribute("class") or "") or controls == 0:
                nb.fail(f"dashboard {i + 1} is not live ipywidgets controls ({controls} controls)", d)
                continue
            charts = d.locator("img").count()
            if charts != DASHBOARD_CHARTS.get(name, 0):
                nb.fail(f"dashboard {i + 1} shows {charts} charts, expected {DASHBOARD_CHARTS.get(name, 0)}", d)
            before = _signature(d)
            action = _move_one_control(d)
            deadline = time.monotonic() + 30
            while _signature(d) == before and time.monotonic() < deadline:
                page.wait_for_timeout(250)
            page.wait_for_timeout(1000)
            if _signature(d) == before:
                nb.fail(f"dashboard {i + 1}: {action}, but its output did not change", d)
            charts = d.locator("img").count()
            if charts != DASHBOARD_CHARTS.get(name, 0):
                nb.fail(f"dashboard {i + 1} shows {charts} charts after '{action}', "
                        f"expected {DASHBOARD_CHARTS.get(name, 0)}", d)
        t.append(time.monotonic())
        print(f"{name}: opened in {t[1] - t[0]:.0f} s, ran in {t[2] - t[1]:.0f} s, checked in {t[3] - t[2]:.0f} s")
    finally:
        if nb.failures:
            status["failed"] = True
            whole = folder / f"{Path(name).stem}-page.png"
            try:
                page.screenshot(path=str(whole))
                nb.shots.append(whole)
            except Exception:
                pass
        # close it without saving, and stop its kernel, before the next notebook opens
        page.evaluate(f"""async () => {{ const w = {JS_PANEL}; if (w) {{
            await w.sessionContext.shutdown(); w.dispose(); }} }}""")
    if nb.failures:
        for p in nb.shots:
            print(f"screenshot: {p}")
        pytest.fail(f"{name} in JupyterLab:\n  " + "\n  ".join(nb.failures)
                    + "".join(f"\n  screenshot: {p}" for p in nb.shots), pytrace=False)
