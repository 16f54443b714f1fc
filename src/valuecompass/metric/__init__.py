"""Pluralistic alignment: value profiles and the weighted alignment metric.

``Align(m | w) = sum_d w_d * s_d(m)`` over the dimensions of one value system, with weights
``w_d >= 0`` summing to 1 from a :class:`ValueProfile` (uniform preset, country, personal
questionnaire or custom file) and scores ``s_d`` in 0-100. Its standard error is propagated
from the dimension SEs under independence. Two further, separately named views compare a
model with a profile: the Spearman rank correlation with the profile's raw priorities (the
original site's "Test your values" match) and the cosine with its weights.

Inputs are plain: a model's scores are ``{dimension id: DimScore(score, se)}``.

Example:
    >>> from valuecompass.metric import DimScore, get_profile, weighted_alignment
    >>> p = get_profile("uniform-self_transcendence")
    >>> scores = {"benevolence": DimScore(60.0, 2.0), "universalism": DimScore(80.0, 2.0)}
    >>> a = weighted_alignment(scores, p.weights)
    >>> a.value, round(a.se, 3)
    (70.0, 1.414)
"""

from valuecompass.metric._align import (
    Z95,
    Alignment,
    BootstrapInterval,
    OnMissing,
    align_models,
    bootstrap_alignment,
    resample_scores,
    weighted_alignment,
)
from valuecompass.metric._files import HOME_ENV, load_profile_file, profiles_dir, save_profile, user_profiles
from valuecompass.metric._profiles import (
    PROFILE_KINDS,
    ProfileKind,
    ValueProfile,
    build_profile,
    slugify,
    uniform_profile,
)
from valuecompass.metric._questionnaire import (
    QUESTIONNAIRE_SYSTEMS,
    QuestionItem,
    Questionnaire,
    QuestionnaireScores,
    load_questionnaire,
    load_questionnaire_file,
    profile_from_answers,
    score_answers,
)
from valuecompass.metric._registry import (
    DEFAULT_PROFILE_ID,
    CountryTable,
    check_new_id,
    country_profiles_from_table,
    get_profile,
    list_profiles,
    load_country_table,
    packaged_profiles,
    uniform_presets,
)
from valuecompass.metric._scores import DimScore, ModelScores, ScoreTable, check_score_table, load_scores_file
from valuecompass.metric._space import (
    MATRIX_METHODS,
    SimilarityMatrix,
    SpacePoint,
    ValueSpace,
    ipsatize,
    similarity_matrix,
    value_space,
)
from valuecompass.metric._views import Similarity, cosine, cosine_view, similarity_view, spearman, spearman_view
from valuecompass.metric._weights import (
    DEFAULT_TEMPERATURE,
    softmax_weights,
    system_dimensions,
    validate_priorities,
    validate_weights,
)

__all__ = [
    "DEFAULT_PROFILE_ID", "DEFAULT_TEMPERATURE", "HOME_ENV", "MATRIX_METHODS", "PROFILE_KINDS",
    "QUESTIONNAIRE_SYSTEMS", "Z95", "Alignment", "BootstrapInterval", "CountryTable", "DimScore", "ModelScores",
    "OnMissing", "ProfileKind", "QuestionItem", "Questionnaire", "QuestionnaireScores", "ScoreTable", "Similarity",
    "SimilarityMatrix", "SpacePoint", "ValueProfile", "ValueSpace", "align_models", "bootstrap_alignment",
    "build_profile", "check_new_id", "check_score_table", "cosine", "cosine_view", "country_profiles_from_table",
    "get_profile", "ipsatize", "list_profiles", "load_country_table", "load_profile_file", "load_questionnaire",
    "load_questionnaire_file", "load_scores_file", "packaged_profiles", "profile_from_answers", "profiles_dir",
    "resample_scores", "save_profile", "score_answers", "similarity_matrix", "similarity_view", "slugify",
    "softmax_weights", "spearman", "spearman_view", "system_dimensions", "uniform_presets", "uniform_profile",
    "user_profiles", "validate_priorities", "validate_weights", "value_space", "weighted_alignment",
]
