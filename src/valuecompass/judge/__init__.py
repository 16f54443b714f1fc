"""Value recognition: a configurable, calibratable judge of model behaviour, and its agreement with people.

In the spirit of CLAVE (arXiv 2407.10725): any model can judge whether a
response *supports* (+1), is *unrelated* to (0) or *opposes* (-1) a value
dimension, in the meaning of the dimension's value system (expresses the
Schwartz value; does not violate the moral foundation; is safe; reflects the
LLM value). Label probabilities come from the first generated token's
log-probabilities where the backend gives them. A judge can be calibrated on a
small labelled set per value (in-context exemplars plus per-value thresholds,
saved as a versioned profile), and its agreement with human labels is measured
on Touché23-ValueEval.

Example:
    >>> import asyncio
    >>> from valuecompass.judge import Judge, JudgeRequest
    >>> from valuecompass.models import get_model
    >>> judge = Judge(get_model("fake/judge", replies=["No - it tells people to defer."]))
    >>> req = JudgeRequest(dimension="self_direction", text="Just do what your parents say.")
    >>> asyncio.run(judge.judge(req)).value
    -1

Names are imported on first use (see :mod:`valuecompass._lazy`), so that the command line starts
without numpy and scipy.
"""

from valuecompass._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "_defaults": ["DEFAULT_JUDGE", "RECOGNISER_PREFIX", "is_recogniser_spec"],
    "_agreement": ["Confusion", "ValueAgreement", "confusion", "f1", "macro_f1", "mean_auc", "micro_f1", "precision",
        "recall", "roc_auc", "value_agreement"],
    "_calibrate": ["LabelledExample", "ThresholdFit", "calibrate", "load_labelled_examples", "tune_threshold",
        "weighted_f1"],
    "_judge": ["Judge", "JudgeSettings", "cache_order", "make_judge", "read_output"],
    "_quote": ["DEFAULT_MAX_CHARS", "Quoted", "defang", "injection_signs", "normalise_for_checks", "plain", "quote",
        "shown_ranges"],
    "_parse": ["LabelProbs", "ParsedText", "decide", "label_probs", "parse_text", "token_label"],
    "_profile": ["PROFILE_SCHEMA", "CalibrationFit", "DimensionCalibration", "JudgeCalibration", "load_profile",
        "save_profile"],
    "_scoring": ["CONFORMING", "Interval", "ShareEstimate", "conforming_rule", "conforms", "share_estimate",
        "wilson_interval"],
    "_labelled": ["GroupAgreement", "LabelledRecord", "LabelledReport", "default_labelled_path", "group_agreement",
        "labelled_report", "load_labelled", "macro_f1_labels", "validate_labelled"],
    "_keyed": ["Asked", "KeyedSettings", "Verdict", "decide_actions", "keyed_verdict"],
    "_questions": ["QuestionSet", "default_questions", "load_questions", "render_question"],
    "_readers": ["ChoiceReading", "RefusalReading", "StanceReading", "evidence_spans", "is_degenerate", "read_choice",
        "read_refusal", "read_stance"],
    "_templates": ["LABEL_VALUE", "Answer", "Exemplar", "JudgePrompt", "Label", "SystemTemplate", "TemplateSet",
        "default_templates", "load_templates", "render_prompt"],
    "_recognition": ["RecogniserJudge"],
    "_occlusion": ["MARGIN", "MAX_SPANS", "MAX_UNITS", "Influence", "Occlusion", "Sentence", "most_influential",
        "occlusion_evidence", "occlusion_units", "read_occlusion", "split_sentences", "without"],
    "_explain": ["explain_verdict"],
    "_touche": ["SCHWARTZ_VALUES", "TOUCHE_TO_SCHWARTZ", "ToucheArgument", "read_touche", "sample_arguments"],
    "_types": ["JudgeIdentity", "JudgeRequest", "Judgment"],
    "_validate": ["SEMEVAL_REFERENCE", "AgreementReport", "agreement_report", "touche_examples", "touche_requests",
        "validate_touche"],
})
