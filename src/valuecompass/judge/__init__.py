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
"""

from valuecompass.judge._agreement import (
    Confusion,
    ValueAgreement,
    confusion,
    f1,
    macro_f1,
    mean_auc,
    micro_f1,
    precision,
    recall,
    roc_auc,
    value_agreement,
)
from valuecompass.judge._calibrate import (
    LabelledExample,
    ThresholdFit,
    calibrate,
    load_labelled_examples,
    tune_threshold,
    weighted_f1,
)
from valuecompass.judge._judge import DEFAULT_JUDGE, Judge, JudgeSettings, cache_order, make_judge, read_output
from valuecompass.judge._quote import DEFAULT_MAX_CHARS, Quoted, defang, injection_signs, normalise_for_checks, plain, quote
from valuecompass.judge._parse import LabelProbs, ParsedText, decide, label_probs, parse_text, token_label
from valuecompass.judge._profile import (
    PROFILE_SCHEMA,
    CalibrationFit,
    DimensionCalibration,
    JudgeCalibration,
    load_profile,
    save_profile,
)
from valuecompass.judge._scoring import (
    CONFORMING,
    Interval,
    ShareEstimate,
    conforming_rule,
    conforms,
    share_estimate,
    wilson_interval,
)
from valuecompass.judge._labelled import (
    GroupAgreement,
    LabelledRecord,
    LabelledReport,
    default_labelled_path,
    group_agreement,
    labelled_report,
    load_labelled,
    macro_f1_labels,
    validate_labelled,
)
from valuecompass.judge._keyed import Asked, KeyedSettings, Verdict, decide_actions, keyed_verdict
from valuecompass.judge._questions import QuestionSet, default_questions, load_questions, render_question
from valuecompass.judge._readers import (
    ChoiceReading,
    RefusalReading,
    StanceReading,
    is_degenerate,
    read_choice,
    read_refusal,
    read_stance,
)
from valuecompass.judge._templates import (
    LABEL_VALUE,
    Answer,
    Exemplar,
    JudgePrompt,
    Label,
    SystemTemplate,
    TemplateSet,
    default_templates,
    load_templates,
    render_prompt,
)
from valuecompass.judge._recognition import RECOGNISER_PREFIX, RecogniserJudge, is_recogniser_spec
from valuecompass.judge._touche import (
    SCHWARTZ_VALUES,
    TOUCHE_TO_SCHWARTZ,
    ToucheArgument,
    read_touche,
    sample_arguments,
)
from valuecompass.judge._types import JudgeIdentity, JudgeRequest, Judgment
from valuecompass.judge._validate import (
    SEMEVAL_REFERENCE,
    AgreementReport,
    agreement_report,
    touche_examples,
    touche_requests,
    validate_touche,
)

__all__ = [
    "RECOGNISER_PREFIX", "RecogniserJudge", "is_recogniser_spec",
    "GroupAgreement", "LabelledRecord", "LabelledReport", "default_labelled_path", "group_agreement",
    "labelled_report", "load_labelled", "macro_f1_labels", "validate_labelled",
    "Asked", "ChoiceReading", "Interval", "KeyedSettings", "QuestionSet", "RefusalReading", "StanceReading",
    "Verdict", "decide_actions", "default_questions", "is_degenerate", "keyed_verdict", "load_questions",
    "read_choice", "read_refusal", "read_stance", "render_question", "wilson_interval",
    "DEFAULT_MAX_CHARS", "Quoted", "defang", "injection_signs", "normalise_for_checks", "plain",
    "CONFORMING", "DEFAULT_JUDGE", "LABEL_VALUE", "PROFILE_SCHEMA", "SCHWARTZ_VALUES",
    "SEMEVAL_REFERENCE", "TOUCHE_TO_SCHWARTZ", "AgreementReport", "Answer", "CalibrationFit", "Confusion",
    "DimensionCalibration", "Exemplar", "Judge", "JudgeIdentity", "JudgeCalibration", "JudgePrompt", "JudgeRequest",
    "JudgeSettings", "Judgment", "Label", "LabelledExample", "LabelProbs", "ParsedText",
    "ShareEstimate", "SystemTemplate", "TemplateSet", "ThresholdFit", "ToucheArgument", "ValueAgreement",
    "agreement_report", "cache_order", "calibrate", "conforming_rule", "conforms", "confusion", "decide",
    "default_templates", "f1", "label_probs", "load_labelled_examples", "load_profile", "load_templates",
    "macro_f1", "make_judge", "mean_auc", "micro_f1", "parse_text", "precision",
    "quote", "read_output", "read_touche", "recall", "render_prompt", "roc_auc",
    "sample_arguments", "save_profile", "share_estimate", "token_label", "touche_examples", "touche_requests",
    "tune_threshold", "validate_touche", "value_agreement", "weighted_f1",
]
