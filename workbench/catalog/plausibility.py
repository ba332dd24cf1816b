"""Plausibility checks: values that parse and lie in their column's range but are still almost surely wrong.

The loader (:mod:`workbench.catalog.load`) checks each cell's type and hard range; the checks here look
at a value *next to other facts*: the same model at other providers, the same model's price history,
the model's creator's other offerings, the catalog's other dates, the benchmark's declared scale and
the list of known providers. Each check is a pure function over the typed tables (indexed by the row
number a spreadsheet shows) and returns :class:`~workbench.errors.Problem` objects naming file, row,
column, value and fix. :func:`plausibility_problems` runs them all and splits **errors** (the load
stops) from **warnings** (the catalog loads; ``python -m workbench catalog`` lists them).

Dates: the core never reads today's date (results must not depend on the day a notebook runs).
A date is "in the future" when it lies more than :data:`FUTURE_MARGIN_DAYS` after the catalog's own
reference date, the **median** ``as_of`` of all its rows: a median is not moved by the few wrong
rows it is meant to catch (one ``as_of`` of 2099-01-01 among hundreds of 2026 rows), while the
newest ``as_of`` would be the wrong row itself. A catalog whose rows are all wrong by the same
amount is not caught by this check (the importers check ``--as-of`` when it is given).
"""
from __future__ import annotations

import csv
import fnmatch
from pathlib import Path

import pandas as pd

from workbench.errors import Problem

HERE = Path(__file__).parent
BENCHMARK_SCALES_FILE = HERE / "benchmark_scales.csv"
PROVIDERS_FILE = HERE / "importers" / "provider_access_modes.csv"

# the same model's price at different providers differs by up to ~10x in the shipped catalog
# (llama, gpt-oss, qwen3-embedding); a unit mix-up is 100x (cents) or 1000x (per thousand tokens)
MAX_PRICE_RATIO = 30.0
FUTURE_MARGIN_DAYS = 400  # snapshots combine sources up to about a year apart
RETIRED_LONG_AGO_DAYS = 365
# a price per million tokens outside these bounds is possible but rare enough to deserve a look
SOFT_PRICE_RANGE = {"usd_per_mtok_in": (0.01, 100.0), "usd_per_mtok_out": (0.01, 300.0)}
PRICE_COLUMNS = ("usd_per_mtok_in", "usd_per_mtok_out")
# the median API input price of a real price list is about 0.15 (the shipped catalog, 81 offerings) to
# about 1.3 (the LiteLLM excerpt in tests/excerpts) USD per million tokens; a list of frontier models
# only stays below 10. A median above this means the whole table is in another unit.
MEDIAN_IN_MAX_USD_PER_MTOK = 20.0
MEDIAN_MIN_ROWS = 3
DATE_COLUMNS = ("as_of", "speed_as_of", "release_date", "from_date")  # deprecation_date and to_date may lie ahead


def benchmark_scales(path: str | Path = BENCHMARK_SCALES_FILE) -> pd.DataFrame:
    """The declared scale of each benchmark (``benchmark`` may be a pattern such as ``livebench_*``)."""
    df = pd.read_csv(path, dtype={"benchmark": str, "scale": str, "source": str})
    return df


def known_providers(providers: pd.DataFrame | None = None) -> set[str]:
    """Provider names the workbench knows: the LiteLLM provider list it classifies, ``self`` and the
    catalog's own ``providers.csv``."""
    with open(PROVIDERS_FILE, newline="", encoding="utf-8") as f:
        names = {row["provider"] for row in csv.DictReader(f)}
    names.add("self")
    if providers is not None and len(providers):
        names |= set(providers["provider"].dropna())
    return names


def _p(display: str, row, message: str, fix: str, column: str | None = None, value=None) -> Problem:
    return Problem(display, f"row {row}", message, fix, column=column, value=value)


# --------------------------------------------------------------------------------------------
# prices
# --------------------------------------------------------------------------------------------

def _unit_reading(ratio: float) -> tuple[str, str, float] | None:
    """(what it looks like, how to fix, factor) for a ratio near 1/1000 or 100, else None."""
    if 1 / 3000 <= ratio <= 1 / 300:
        return "USD per thousand tokens", "multiply by 1,000", 1000.0
    if 1 / 3000000 <= ratio <= 1 / 300000:
        return "USD per token", "multiply by 1,000,000", 1e6
    if 30 <= ratio <= 300:
        return "US cents", "divide by 100", 0.01
    return None


def price_unit_problems(offerings: pd.DataFrame, price_history: pd.DataFrame | None, display: str
                        ) -> tuple[list[Problem], list[Problem]]:
    """Prices more than :data:`MAX_PRICE_RATIO` times off the same model's other prices (its other
    offerings and its current price-history rows): errors, with the likely unit (per thousand tokens,
    cents). With a single other price, only the row that also leaves the plausible range is blamed;
    a price outside :data:`SOFT_PRICE_RANGE` with nothing to compare is a warning."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    hist = price_history if price_history is not None and len(price_history) else None
    if hist is not None:
        hist = hist[hist["to_date"].isna()]
    api = offerings[offerings["access_mode"] != "self-hosted"]
    for col in PRICE_COLUMNS:
        lo, hi = SOFT_PRICE_RANGE[col]
        # each model's prices, looked up once (a per-row filter is quadratic on a full price map)
        by_model: dict = {}
        for row, mid, v in zip(api.index, api["model_id"], api[col]):
            if not pd.isna(v):
                by_model.setdefault(mid, []).append((row, float(v)))
        hist_by_model: dict = {}
        if hist is not None:
            for mid, v in zip(hist["model_id"], hist[col]):
                if not pd.isna(v):
                    hist_by_model.setdefault(mid, []).append(float(v))
        for row, mid, value in zip(api.index, api["model_id"], api[col]):
            if pd.isna(value) or value <= 0:
                continue
            o = {"model_id": mid}
            others = [v for r, v in by_model.get(mid, ()) if r != row] + hist_by_model.get(mid, [])
            outside = not (lo <= value <= hi)
            if others:
                ref = float(pd.Series(others).median())
                ratio = value / ref
                if 1 / MAX_PRICE_RATIO < ratio < MAX_PRICE_RATIO:
                    continue
                if len(others) < 2 and not outside:
                    warnings.append(_p(display, row, f"is {ratio:.3g} times the same model's price elsewhere ({ref:g})",
                                       "check both rows' units (USD per million tokens)", col, value))
                    continue
                reading = _unit_reading(ratio)
                where = f"{len(others)} other price{'s' if len(others) > 1 else ''} of model '{o['model_id']}'"
                if reading:
                    unit, fix, factor = reading
                    errors.append(_p(display, row, f"is {ratio:.3g} times the median of the {where} ({ref:g}): "
                                     f"this looks like {unit}", f"{fix} to get USD per million tokens "
                                     f"({value * factor:g})", col, value))
                else:
                    errors.append(_p(display, row, f"is {ratio:.3g} times the median of the {where} ({ref:g})",
                                     "check the unit (USD per million tokens) and the decimal point", col, value))
            elif outside:
                warnings.append(_p(display, row, f"price outside the usual {lo:g}..{hi:g} USD per million tokens",
                                   "check the unit: a price per thousand tokens is 1,000 times too small", col, value))
    return errors, warnings


def price_level_problems(offerings: pd.DataFrame, display: str) -> list[Problem]:
    """A whole table in the wrong unit (an imported map priced per thousand tokens, or in cents): its
    median input price is above :data:`MEDIAN_IN_MAX_USD_PER_MTOK`. Names every row above that level."""
    api = offerings[(offerings["access_mode"] != "self-hosted") & offerings["usd_per_mtok_in"].notna()]
    if len(api) < MEDIAN_MIN_ROWS:
        return []
    med = float(api["usd_per_mtok_in"].median())
    if med <= MEDIAN_IN_MAX_USD_PER_MTOK:
        return []
    return [_p(display, row, f"the table's median input price is {med:g} USD per million tokens, more than "
               f"{MEDIAN_IN_MAX_USD_PER_MTOK:g} (a real price list's median is about 0.1 to 2): the whole file looks "
               "priced per thousand tokens or in cents",
               "convert every price to USD per million tokens (per thousand x 1,000; cents / 100), or check "
               "which unit the source file uses", "usd_per_mtok_in", v)
            for row, v in api["usd_per_mtok_in"].items() if v > MEDIAN_IN_MAX_USD_PER_MTOK]


def price_order_problems(offerings: pd.DataFrame, models: pd.DataFrame, display: str,
                         price_history: pd.DataFrame | None = None) -> tuple[list[Problem], list[Problem]]:
    """Input and output swapped (the same model elsewhere, or its current price history, has the two
    prices the other way round): an error. Output cheaper than input where no other offering of the creator's models is: a warning
    (some models do price output below input). A cache-read price above the input price: an error."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    creator = offerings["model_id"].map(dict(zip(models["model_id"], models["creator"])))
    both = offerings["usd_per_mtok_in"].notna() & offerings["usd_per_mtok_out"].notna()
    inverted = both & (offerings["usd_per_mtok_out"] < offerings["usd_per_mtok_in"])
    for row in offerings.index[inverted]:
        o = offerings.loc[row]
        same = offerings[both & (offerings["model_id"] == o["model_id"]) & (offerings.index != row)]
        same = same[["offering_id", "usd_per_mtok_in", "usd_per_mtok_out"]]
        if price_history is not None and len(price_history):
            h = price_history[(price_history["model_id"] == o["model_id"]) & price_history["to_date"].isna()]
            h = h.assign(offering_id=h["provider"] + " in price_history.csv")
            same = pd.concat([same, h[["offering_id", "usd_per_mtok_in", "usd_per_mtok_out"]]])
        swapped = same[((same["usd_per_mtok_in"] - o["usd_per_mtok_out"]).abs() <= 0.1 * same["usd_per_mtok_in"])
                       & ((same["usd_per_mtok_out"] - o["usd_per_mtok_in"]).abs() <= 0.1 * same["usd_per_mtok_out"])
                       & (same["usd_per_mtok_out"] > same["usd_per_mtok_in"])]
        if len(swapped):
            other = swapped.iloc[0]
            errors.append(_p(display, row, f"input and output prices look swapped: '{other['offering_id']}' "
                             f"charges {other['usd_per_mtok_in']:g} in / {other['usd_per_mtok_out']:g} out",
                             "put the input price in usd_per_mtok_in and the output price in usd_per_mtok_out",
                             "usd_per_mtok_in", o["usd_per_mtok_in"]))
            continue
        family = inverted & (creator == creator[row]) & (offerings.index != row)
        if not family.any():
            warnings.append(_p(display, row, f"output ({o['usd_per_mtok_out']:g}) is cheaper than input, which no "
                               f"other offering of a {creator[row]} model is",
                               "check that the two prices are not swapped", "usd_per_mtok_out", o["usd_per_mtok_out"]))
    return errors, warnings


def cache_price_problems(t: pd.DataFrame, display: str) -> list[Problem]:
    """A cache-read price above the uncached input price (a cache read is a discount)."""
    if "usd_per_mtok_cached_in" not in t:
        return []
    bad = t["usd_per_mtok_cached_in"].notna() & t["usd_per_mtok_in"].notna() & \
        (t["usd_per_mtok_cached_in"] > t["usd_per_mtok_in"])
    return [_p(display, row, f"cache-read price is above the input price ({t.loc[row, 'usd_per_mtok_in']:g})",
               "a cache read costs less than an uncached input token; check the column and the unit",
               "usd_per_mtok_cached_in", t.loc[row, "usd_per_mtok_cached_in"]) for row in t.index[bad]]


# --------------------------------------------------------------------------------------------
# dates
# --------------------------------------------------------------------------------------------

def reference_date(tables: dict[str, pd.DataFrame]) -> pd.Timestamp | None:
    """The median ``as_of`` over every row of every table (robust to a few wrong dates)."""
    dates = pd.concat([t["as_of"] for t in tables.values() if t is not None and len(t) and "as_of" in t])
    dates = dates.dropna() if len(dates) else dates
    return None if not len(dates) else pd.Timestamp(dates.sort_values().iloc[(len(dates) - 1) // 2])


def future_date_problems(tables: dict[str, pd.DataFrame], displays: dict[str, str]) -> list[Problem]:
    """Dates more than :data:`FUTURE_MARGIN_DAYS` after the catalog's median ``as_of``."""
    ref = reference_date(tables)
    if ref is None:
        return []
    limit = ref + pd.Timedelta(days=FUTURE_MARGIN_DAYS)
    out = []
    for name, t in tables.items():
        for col in DATE_COLUMNS:
            if t is None or col not in t or not len(t):
                continue
            for row in t.index[t[col].notna() & (t[col] > limit)]:
                d = t.loc[row, col]
                out.append(_p(displays[name], row, f"date lies {(d - ref).days} days after the catalog's median as_of "
                              f"({ref:%Y-%m-%d}): a fact cannot be dated in the future",
                              "write the date the source describes (YYYY-MM-DD)", col, f"{d:%Y-%m-%d}"))
    return out


def retirement_problems(models: pd.DataFrame, offerings: pd.DataFrame, display: str
                        ) -> tuple[list[Problem], list[Problem]]:
    """A ``deprecation_date`` before the date a source lists the model as current (the model row's or
    an offering's ``as_of``): an error when more than :data:`RETIRED_LONG_AGO_DAYS` earlier, else a
    warning. A deprecation before the release date is an error."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    if "deprecation_date" not in models:
        return errors, warnings
    listed = offerings.groupby("model_id")["as_of"].max() if len(offerings) else pd.Series(dtype="datetime64[ns]")
    for row in models.index[models["deprecation_date"].notna()]:
        m = models.loc[row]
        dep = m["deprecation_date"]
        seen = max(d for d in (m["as_of"], listed.get(m["model_id"])) if d is not None and not pd.isna(d))
        if "release_date" in models and pd.notna(m.get("release_date")) and dep < m["release_date"]:
            errors.append(_p(display, row, f"deprecation date is before the release date ({m['release_date']:%Y-%m-%d})",
                             "check the deprecation date", "deprecation_date", f"{dep:%Y-%m-%d}"))
            continue
        if dep < seen:
            days = (seen - dep).days
            msg = (f"the model is retired {days} days before {seen:%Y-%m-%d}, the date a source lists it as current")
            fix = "check the deprecation date, or remove the model and its offerings if it is really retired"
            (errors if days > RETIRED_LONG_AGO_DAYS else warnings).append(
                _p(display, row, msg, fix, "deprecation_date", f"{dep:%Y-%m-%d}"))
    return errors, warnings


# --------------------------------------------------------------------------------------------
# ids, providers, scores
# --------------------------------------------------------------------------------------------

def case_duplicate_problems(t: pd.DataFrame, column: str, display: str) -> list[Problem]:
    """Ids that differ from an earlier row's id only in letter case (``GPT-5`` next to ``gpt-5``)."""
    out = []
    first: dict[str, tuple] = {}
    for row, v in t[column].dropna().items():
        key = str(v).casefold()
        if key in first and first[key][1] != v:
            out.append(_p(display, row, f"differs from row {first[key][0]} ('{first[key][1]}') only in letter case",
                          "use one spelling (ids are lower-case by convention)", column, v))
        first.setdefault(key, (row, v))
    return out


def one_edit_apart(a: str, b: str) -> bool:
    """True when ``a`` becomes ``b`` by one typo: a letter changed, added, dropped, or two neighbours
    swapped (``opanai`` -> ``openai``; ``vault`` and ``vultr`` are two edits apart, so both are names)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def provider_problems(offerings: pd.DataFrame, known: set[str], display: str) -> tuple[list[Problem], list[Problem]]:
    """A provider not in the known list: an error when it differs from a known one only in case, or when
    a name of 6 or more letters is one typo away from one (``opanai``); a warning otherwise (a new
    provider: add it to providers.csv)."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    lower = {k.lower(): k for k in known}
    for row, prov in offerings["provider"].items():
        if prov in known:
            continue
        # short names are too often one edit from another real name (beta/meta) to call them typos
        close = [k for k in sorted(known) if len(str(prov)) >= 6 and one_edit_apart(str(prov).lower(), k.lower())][:1]
        if str(prov).lower() in lower:
            close = [lower[str(prov).lower()]]
        if close:
            errors.append(_p(display, row, "unknown provider", f"did you mean '{close[0]}'? If it really is another "
                             "provider, add a row for it to providers.csv", "provider", prov))
        else:
            warnings.append(_p(display, row, "provider is not in the known list (a new provider?)",
                               "add a row for it to providers.csv with its data-usage policy", "provider", prov))
    return errors, warnings


def score_scale_problems(scores: pd.DataFrame, scales: pd.DataFrame, display: str
                         ) -> tuple[list[Problem], list[Problem]]:
    """A score (or a confidence bound) outside its benchmark's declared scale: an error; a benchmark
    with no declared scale: a warning (once per benchmark)."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    undeclared: set[str] = set()
    for row, s in scores.iterrows():
        match = [r for _, r in scales.iterrows() if fnmatch.fnmatchcase(str(s["benchmark"]), r["benchmark"])]
        if not match:
            if s["benchmark"] not in undeclared:
                undeclared.add(s["benchmark"])
                warnings.append(_p(display, row, f"benchmark '{s['benchmark']}' has no declared scale",
                                   "add its scale to workbench/catalog/benchmark_scales.csv", "benchmark", s["benchmark"]))
            continue
        sc = match[0]
        for col in ("value", "ci_low", "ci_high"):
            v = s.get(col)
            if v is not None and pd.notna(v) and not (sc["min"] <= v <= sc["max"]):
                errors.append(_p(display, row, f"outside the {sc['min']:g}..{sc['max']:g} scale of "
                                 f"'{s['benchmark']}' ({sc['scale']})",
                                 "check the value and which benchmark it belongs to", col, v))
    return errors, warnings


# --------------------------------------------------------------------------------------------
# all checks
# --------------------------------------------------------------------------------------------

def plausibility_problems(tables: dict[str, pd.DataFrame], displays: dict[str, str],
                          scales: pd.DataFrame | None = None) -> tuple[list[Problem], list[Problem]]:
    """Run every check over the typed tables of a catalog; return ``(errors, warnings)``.
    Called by :func:`workbench.catalog.load.catalog_from_frames` (errors stop the load)."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    models, offers = tables["models"], tables["offerings"]
    hist = tables.get("price_history")
    scales = benchmark_scales() if scales is None else scales

    def add(pair):
        errors.extend(pair[0])
        warnings.extend(pair[1])

    errors += case_duplicate_problems(models, "model_id", displays["models"])
    errors += case_duplicate_problems(offers, "offering_id", displays["offerings"])
    add(provider_problems(offers, known_providers(tables.get("providers")), displays["offerings"]))
    level = price_level_problems(offers, displays["offerings"])
    errors += level
    if not level:  # one unit problem per row: a table in the wrong unit says so once per row
        add(price_unit_problems(offers, hist, displays["offerings"]))
    add(price_order_problems(offers, models, displays["offerings"], hist))
    errors += cache_price_problems(offers, displays["offerings"])
    if hist is not None and len(hist):
        errors += cache_price_problems(hist, displays["price_history"])
    errors += future_date_problems(tables, displays)
    add(retirement_problems(models, offers, displays["models"]))
    scores = tables.get("scores")
    if scores is not None and len(scores):
        add(score_scale_problems(scores, scales, displays["scores"]))
    return errors, warnings
