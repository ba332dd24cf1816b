"""Model-card due diligence for open-weight candidates: licence, intended use, access, weights, maintenance.

Before an open-weight model goes on a shortlist someone should read its licence and model card. This
module does the mechanical part from the catalog's ``models`` table and says what to read:

- licence: commercial use (the catalog's ``commercial_use``), derivatives (``fine_tuning``),
  user-count clauses (the catalog's ``license_notes``, or :data:`LICENCE_TERMS` for well-known
  licence families), use restrictions and clauses on outputs;
- intended use: the use policy or research-only terms a licence family carries;
- gated access (``gated``): an access request or licence click-through before download;
- weights format (``weights_formats``): safetensors or GGUF load without running code; pickle-based
  formats (PyTorch ``.bin``/``.pt``, ``.ckpt``) can execute code when loaded;
- maintenance: the age of ``release_date`` relative to the analysis date ``as_of``, the creator's
  newest open model in the catalog, and a ``deprecation_date`` before the horizon.

Every flag has a ``severity`` (``red``: do not ship without resolving it; ``amber``: read and
record) and a reason. Introduced in ``notebooks/02_shortlist_from_leaderboards.ipynb``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from workbench.errors import did_you_mean, fail
from workbench.util import as_of_timestamp

MAX_RELEASE_AGE_DAYS = 365  # an open model with no release for longer than this may be unmaintained
OPEN = ("open-weight", "open-source")
SAFE_WEIGHT_FORMATS = ("safetensors", "gguf")
PICKLE_WEIGHT_FORMATS = ("pytorch", "bin", "pt", "pth", "pickle", "pkl", "ckpt")

OPEN_LLMS = "eugeneyan/open-llms README, 'Licence' column, commit 78a2524 (2025-02-12)"


@dataclass(frozen=True)
class LicenceTerms:
    """What a licence family says beyond the catalog's columns, with the source that states it.

    ``kind``: permissive | copyleft | use-restricted | non-commercial | custom. Empty text = the
    licence has no such clause.
    """

    family: str
    pattern: str
    kind: str
    user_count_clause: str = ""
    use_policy: str = ""
    outputs_clause: str = ""
    source: str = ""


# Most specific first: the first pattern that matches a licence name (case-insensitive) applies.
LICENCE_TERMS: tuple[LicenceTerms, ...] = (
    LicenceTerms("Qwen Research License", r"qwen research", "non-commercial",
                 use_policy="research and non-commercial use only",
                 source="Qwen Research License, huggingface.co/Qwen/Qwen2.5-3B-Instruct/blob/main/LICENSE"),
    LicenceTerms("Mistral Research License", r"mistral research|\bmrl\b", "non-commercial",
                 use_policy="research (non-production) use only; commercial use needs a separate licence",
                 source="Mistral AI Research License, mistral.ai/licenses/MRL-0.1.md"),
    LicenceTerms("Creative Commons Non-Commercial", r"\bcc[- ]?by[- ]?nc|non[- ]?commercial", "non-commercial",
                 use_policy="non-commercial use only",
                 source="creativecommons.org/licenses/by-nc/4.0"),
    LicenceTerms("Creative Commons Share-Alike", r"\bcc[- ]?by[- ]?sa", "copyleft",
                 outputs_clause="modified versions must be distributed under the same licence",
                 source=OPEN_LLMS + ": 'must distribute your contributions under the same license'"),
    LicenceTerms("Llama Community License", r"llama", "use-restricted",
                 user_count_clause="more than 700M monthly active users need a separate licence from Meta",
                 use_policy="Meta's Acceptable Use Policy applies",
                 source=OPEN_LLMS + ": 'Free if you have under 700M users'; llama.com/llama3_1/license"),
    LicenceTerms("Qwen License", r"qwen|tongyi", "use-restricted",
                 user_count_clause="more than 100M monthly active users need a separate licence",
                 outputs_clause="outputs may not be used to train other LLMs besides Qwen and its derivatives",
                 source=OPEN_LLMS + ": 'Free if you have under 100M users and you cannot use Qwen outputs to train other LLMs'"),
    LicenceTerms("Gemma Terms of Use", r"gemma", "use-restricted",
                 use_policy="Gemma Prohibited Use Policy applies",
                 outputs_clause="models trained on Gemma outputs become Gemma derivatives under the same terms",
                 source=OPEN_LLMS + ": 'Free with usage restriction and models trained on Gemma outputs become Gemma derivatives'"),
    LicenceTerms("DeepSeek License", r"deepseek", "use-restricted",
                 use_policy="use restrictions in the licence's attachment",
                 outputs_clause="models trained on DeepSeek outputs become DeepSeek derivatives under the same terms",
                 source=OPEN_LLMS + ": 'Free with usage restriction and models trained on DeepSeek outputs become DeepSeek derivatives'"),
    LicenceTerms("OpenRAIL-M", r"openrail|\brail\b", "use-restricted",
                 use_policy="use restrictions listed in the licence's Attachment A",
                 source=OPEN_LLMS + ": 'comes with a set of use restrictions (see Attachment A)'"),
    LicenceTerms("Modified MIT", r"modified mit", "custom",
                 use_policy="MIT with added terms (e.g. an attribution duty above a user or revenue size): read them",
                 source="the licence file in the model's repository"),
    LicenceTerms("Apache-2.0", r"apache", "permissive", source=OPEN_LLMS + ": Apache 2.0; apache.org/licenses/LICENSE-2.0"),
    LicenceTerms("MIT", r"^\s*mit(\s+license)?\s*$", "permissive", source=OPEN_LLMS + ": MIT; opensource.org/license/mit"),
    LicenceTerms("BSD", r"\bbsd\b", "permissive", source=OPEN_LLMS + ": BSD-3-Clause"),
    LicenceTerms("ODC-BY", r"\bodc-by\b", "permissive", source="opendatacommons.org/licenses/by (attribution only)"),
    LicenceTerms("CC-BY-4.0", r"\bcc[- ]by[- ]4\.0\b", "permissive",
                 source="creativecommons.org/licenses/by/4.0 (attribution only)"),
)

FLAG_COLUMNS = ["model_id", "check", "severity", "reason"]
# words in license_notes that mark a user-count clause (e.g. 'over 700M monthly active users')
USER_COUNT_WORDS = re.compile(r"monthly active users|\bmaus?\b|\d+\s*(m|million|b|billion)\s+(monthly\s+)?(active\s+)?users",
                              re.IGNORECASE)
# words in license_notes that mark a clause limited by territory (e.g. Llama 4's EU clause for multimodal models)
TERRITORY_WORDS = re.compile(r"european union|\bdomiciled\b|\bterritor", re.IGNORECASE)


def _clauses(notes: str, pattern: re.Pattern) -> str:
    """The ';'-separated parts of a licence note that match ``pattern`` (the whole note when none is split)."""
    return "; ".join(part.strip() for part in notes.split(";") if pattern.search(part))


def licence_terms(license_name) -> LicenceTerms | None:
    """The :data:`LICENCE_TERMS` entry a licence name matches (first match, case-insensitive), or None."""
    if license_name is None or pd.isna(license_name):
        return None
    for t in LICENCE_TERMS:
        if re.search(t.pattern, str(license_name), re.IGNORECASE):
            return t
    return None


def _models(catalog_or_models) -> pd.DataFrame:
    return catalog_or_models.models if hasattr(catalog_or_models, "models") else catalog_or_models


def _formats(value) -> list[str]:
    if value is None or pd.isna(value) or not str(value).strip():
        return []
    return [f.strip().lower().lstrip(".") for f in re.split(r"[;,]", str(value)) if f.strip()]


def _bool(v):
    return None if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)) else bool(v)


def _open_models(models: pd.DataFrame, model_ids) -> pd.DataFrame:
    m = models
    if model_ids is not None:
        ids = list(model_ids)
        unknown = [i for i in ids if i not in set(models["model_id"])]
        if unknown:
            raise fail("models.csv", f"model '{unknown[0]}'", "no such model in the catalog",
                       did_you_mean(unknown[0], models["model_id"]))
        m = m[m["model_id"].isin(ids)]
    return m[m["openness"].isin(OPEN)]


def diligence_flags(catalog_or_models, as_of, model_ids=None, needs_fine_tuning: bool = False,
                    max_release_age_days: int = MAX_RELEASE_AGE_DAYS, horizon_date=None,
                    licensee_in_eu: bool = False) -> pd.DataFrame:
    """Red and amber flags for each open-weight (or open-source) model, one row per flag.

    Columns: ``model_id``, ``check`` (licence, derivatives, user_count, territory, intended_use,
    outputs, gated, weights_format, maintenance), ``severity`` (red | amber), ``reason``. Closed models
    are skipped (their terms are the provider's, checked by the privacy and licence filters).
    ``needs_fine_tuning`` (the scenario's ``constraints.fine_tuning``) makes a licence without
    derivatives a red flag; ``horizon_date`` (the scenario's) makes a deprecation before it red;
    ``licensee_in_eu`` (the company using the model is established in the EU) makes a clause that
    withholds rights from EU companies red.
    Introduced in ``02_shortlist_from_leaderboards.ipynb``.
    """
    when = as_of_timestamp(as_of)
    horizon = as_of_timestamp(horizon_date) if horizon_date is not None else None
    models = _models(catalog_or_models)
    m = _open_models(models, model_ids)
    opens = models[models["openness"].isin(OPEN)]
    rows: list[tuple[str, str, str, str]] = []
    for r in m.itertuples(index=False):
        add = lambda check, sev, why: rows.append((r.model_id, check, sev, why))  # noqa: E731
        lic = r.license if isinstance(r.license, str) else ""
        terms = licence_terms(lic)
        notes = r.license_notes if isinstance(getattr(r, "license_notes", None), str) else ""
        # licence and commercial use
        if r.commercial_use == "no":
            add("licence", "red", f"licence '{lic}' does not allow commercial use")
        elif r.commercial_use == "unknown":
            add("licence", "red", f"commercial use not stated for licence '{lic or 'none'}': read the licence first")
        elif r.commercial_use == "restricted" and not USER_COUNT_WORDS.search(notes):
            # (a restriction that is a user-count clause is flagged once, under user_count)
            add("licence", "amber", "commercial use is restricted" + (f": {notes}" if notes else ": read the licence"))
        if terms is not None and terms.kind == "non-commercial" and r.commercial_use == "yes":
            add("licence", "red", f"the catalog says commercial use 'yes' but '{lic}' is a {terms.family} "
                                  f"({terms.use_policy}): check the row")
        if terms is None and lic:
            add("licence", "amber", f"'{lic}' is not a licence the workbench knows: read its terms")
        if terms is not None and terms.kind == "copyleft":
            add("licence", "amber", f"{terms.family}: {terms.outputs_clause}")
        # derivatives (fine-tuning and distributing the result)
        ft = _bool(getattr(r, "fine_tuning", None))
        if ft is False:
            add("derivatives", "red" if needs_fine_tuning else "amber",
                "the licence does not allow fine-tuned derivatives" + (" and the scenario needs fine-tuning"
                                                                       if needs_fine_tuning else ""))
        elif ft is None and needs_fine_tuning:
            add("derivatives", "amber", "whether fine-tuned derivatives are allowed is not stated; the scenario needs them")
        # user-count clauses: the catalog's notes first, else the licence family's
        if notes and USER_COUNT_WORDS.search(notes):
            add("user_count", "amber", f"user-count clause: {_clauses(notes, USER_COUNT_WORDS)}")
        elif terms is not None and terms.user_count_clause:
            add("user_count", "amber", f"{terms.family}: {terms.user_count_clause}")
        if notes and TERRITORY_WORDS.search(notes):
            add("territory", "red" if licensee_in_eu and "european union" in notes.lower() else "amber",
                f"territorial clause: {_clauses(notes, TERRITORY_WORDS)}"
                + ("; the scenario's licensee is in the EU" if licensee_in_eu and "european union" in notes.lower() else ""))
        if terms is not None and terms.use_policy and terms.kind in ("use-restricted", "custom"):
            add("intended_use", "amber", f"{terms.family}: {terms.use_policy}; check your use case against it")
        if terms is not None and terms.outputs_clause and terms.kind != "copyleft":
            add("outputs", "amber", f"{terms.family}: {terms.outputs_clause}")
        # gated access
        gated = _bool(getattr(r, "gated", None))
        if gated:
            add("gated", "amber", "weights need an access request or licence click-through: plan for the wait "
                                  "and record who accepted the terms")
        # weights format
        fmts = _formats(getattr(r, "weights_formats", None))
        if not fmts:
            add("weights_format", "amber", "weights format not stated: check the repository for safetensors or GGUF")
        elif not any(f in SAFE_WEIGHT_FORMATS for f in fmts):
            if any(f in PICKLE_WEIGHT_FORMATS for f in fmts):
                add("weights_format", "red", f"only pickle-based weights ({', '.join(fmts)}): loading them can run "
                                             "code; ask for safetensors or convert in a sandbox")
            else:
                add("weights_format", "amber", f"weights format {', '.join(fmts)} is neither safetensors nor GGUF")
        # maintenance
        rel = pd.Timestamp(r.release_date) if pd.notna(getattr(r, "release_date", None)) else None
        if rel is None:
            add("maintenance", "amber", "release date unknown: maintenance cannot be judged")
        else:
            age = (when - rel).days
            if age < 0:
                add("maintenance", "amber", f"released {rel:%Y-%m-%d}, after the analysis date {when:%Y-%m-%d}")
            elif age > max_release_age_days:
                add("maintenance", "amber", f"released {rel:%Y-%m-%d}, {age} days before {when:%Y-%m-%d} "
                                            f"(limit {max_release_age_days}): check it is still maintained")
            newer = _newest_from_creator(opens, r.creator, when)
            if newer is not None and newer[1] > rel:
                add("maintenance", "amber", f"{r.creator} has released a newer open model: {newer[0]} "
                                            f"({newer[1]:%Y-%m-%d})")
        dep = getattr(r, "deprecation_date", None)
        if dep is not None and pd.notna(dep):
            dep = pd.Timestamp(dep)
            if dep <= when or (horizon is not None and dep <= horizon):
                add("maintenance", "red", f"deprecated on {dep:%Y-%m-%d}" + (
                    f", before the horizon {horizon:%Y-%m-%d}" if horizon is not None and dep > when else ""))
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)


def _newest_from_creator(opens: pd.DataFrame, creator, when: pd.Timestamp):
    """(model_id, release date) of the creator's newest open model released on or before ``when``."""
    c = opens[(opens["creator"] == creator) & opens["release_date"].notna()]
    c = c[pd.to_datetime(c["release_date"]) <= when]
    if c.empty:
        return None
    row = c.sort_values(["release_date", "model_id"]).iloc[-1]
    return row["model_id"], pd.Timestamp(row["release_date"])


def diligence_table(catalog_or_models, as_of, model_ids=None, needs_fine_tuning: bool = False,
                    max_release_age_days: int = MAX_RELEASE_AGE_DAYS, horizon_date=None,
                    licensee_in_eu: bool = False) -> pd.DataFrame:
    """One row per open-weight model: the facts a reviewer reads, the licence family's terms, and its flags.

    Columns: ``model_id``, ``name``, ``creator``, ``license``, ``licence_family``, ``commercial_use``,
    ``derivatives`` (yes/no/unknown), ``user_count_clause``, ``intended_use``, ``gated``,
    ``weights_formats``, ``safe_weights`` (safetensors or GGUF offered), ``release_date``,
    ``release_age_days`` (days before ``as_of``), ``red_flags`` and ``amber_flags`` (counts),
    ``flags`` (every reason, red first), ``source``, ``as_of`` (of the model row) and
    ``licence_source`` (where the licence family's terms are stated). Sorted by red, then amber flags.
    """
    when = as_of_timestamp(as_of)
    models = _models(catalog_or_models)
    m = _open_models(models, model_ids)
    flags = diligence_flags(models, as_of, model_ids, needs_fine_tuning, max_release_age_days, horizon_date,
                            licensee_in_eu)
    rows = []
    for r in m.itertuples(index=False):
        terms = licence_terms(r.license)
        notes = r.license_notes if isinstance(getattr(r, "license_notes", None), str) else ""
        f = flags[flags["model_id"] == r.model_id]
        ft = _bool(getattr(r, "fine_tuning", None))
        gated = _bool(getattr(r, "gated", None))
        fmts = _formats(getattr(r, "weights_formats", None))
        rel = pd.Timestamp(r.release_date) if pd.notna(getattr(r, "release_date", None)) else pd.NaT
        if terms is not None and terms.use_policy:
            use = terms.use_policy
        elif terms is not None and terms.kind == "permissive":
            use = "any lawful use (permissive licence)"
        else:
            use = "not stated: read the model card"
        red, amber = f[f["severity"] == "red"], f[f["severity"] == "amber"]
        rows.append({
            "model_id": r.model_id, "name": r.name, "creator": r.creator, "license": r.license,
            "licence_family": terms.family if terms else "",
            "commercial_use": r.commercial_use,
            "derivatives": "unknown" if ft is None else ("yes" if ft else "no"),
            "user_count_clause": (_clauses(notes, USER_COUNT_WORDS) if notes and USER_COUNT_WORDS.search(notes)
                                  else (terms.user_count_clause if terms else "")),
            "intended_use": use,
            "gated": "unknown" if gated is None else ("yes" if gated else "no"),
            "weights_formats": ";".join(fmts),
            "safe_weights": "unknown" if not fmts else ("yes" if any(x in SAFE_WEIGHT_FORMATS for x in fmts) else "no"),
            "release_date": rel,
            "release_age_days": pd.NA if pd.isna(rel) else int((when - rel).days),
            "red_flags": len(red), "amber_flags": len(amber),
            "flags": "; ".join([f"red: {x}" for x in red["reason"]] + [f"amber: {x}" for x in amber["reason"]]),
            "source": r.source, "as_of": r.as_of,
            "licence_source": terms.source if terms else "",
        })
    cols = ["model_id", "name", "creator", "license", "licence_family", "commercial_use", "derivatives",
            "user_count_clause", "intended_use", "gated", "weights_formats", "safe_weights", "release_date",
            "release_age_days", "red_flags", "amber_flags", "flags", "source", "as_of", "licence_source"]
    out = pd.DataFrame(rows, columns=cols)
    if out.empty:
        return out
    out["release_age_days"] = out["release_age_days"].astype("Int64")
    return out.sort_values(["red_flags", "amber_flags", "model_id"], ascending=[False, False, True],
                           kind="stable").reset_index(drop=True)


def diligence_for_scenario(catalog, scenario, model_ids=None, licensee_in_eu: bool | None = None) -> pd.DataFrame:
    """:func:`diligence_table` with the scenario's ``as_of``, fine-tuning need and horizon date.

    ``licensee_in_eu`` defaults to True when the scenario allows processing in the EU only
    (``constraints.regions: [eu]``), the workbench's proxy for a company established there; pass it
    explicitly when that proxy is wrong. Introduced in ``02_shortlist_from_leaderboards.ipynb``."""
    if licensee_in_eu is None:
        licensee_in_eu = tuple(scenario.constraints.regions) == ("eu",)
    return diligence_table(catalog, scenario.as_of, model_ids, needs_fine_tuning=scenario.constraints.fine_tuning,
                           horizon_date=scenario.horizon_date, licensee_in_eu=licensee_in_eu)
