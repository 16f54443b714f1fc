"""Meeting evaluators where they work: Inspect AI tasks and logs, Hugging Face datasets.

Each adapter needs its extra and imports it only when used, so the rest of valuecompass neither
imports nor needs them:

- :mod:`valuecompass.ecosystem.inspect_tasks`: the ``valuecompass/*`` Inspect AI tasks (one per value
  system and one for all 27 dimensions), scored with the item keys, the refusal rule and the judge
  (``pip install 'valuecompass[inspect]'``);
- ``import_inspect_log``: an Inspect log's samples and scores brought into the store as a run;
- the Hugging Face export: items, responses, verdicts and scores as parquet files with a dataset card
  (``pip install 'valuecompass[hf]'``).
"""

from valuecompass._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "_inspect_import": ["ImportResult", "import_inspect_log"],
    "_hf": ["ExportError", "HFExport", "export_items_hf", "export_runs_hf"],
})
