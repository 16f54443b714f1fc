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

Names are imported on first use (see :mod:`valuecompass._lazy`): the command line starts without numpy.
"""

from valuecompass._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "_defaults": ["DEFAULT_PROFILE_ID", "DEFAULT_TEMPERATURE", "MATRIX_METHODS", "PROFILE_KINDS", "QUESTIONNAIRE_SYSTEMS",
                  "Z95"],
    "_align": ["Alignment", "BootstrapInterval", "OnMissing", "align_models", "bootstrap_alignment",
        "resample_scores", "weighted_alignment"],
    "_files": ["HOME_ENV", "load_profile_file", "profiles_dir", "save_profile", "user_profiles"],
    "_portrait": ["PortraitSet", "ValuePortrait", "load_portraits", "load_portraits_file", "portrait_of",
        "portraits_json", "value_portrait"],
    "_profiles": ["ProfileKind", "ValueProfile", "build_profile", "slugify", "uniform_profile"],
    "_questionnaire": ["QuestionItem", "Questionnaire", "QuestionnaireScores",
        "load_questionnaire", "load_questionnaire_file", "profile_from_answers", "score_answers"],
    "_registry": ["CountryTable", "check_new_id", "country_profiles_from_table", "get_profile",
        "list_profiles", "load_country_table", "packaged_profiles", "uniform_presets"],
    "_scores": ["DimScore", "ModelScores", "ScoreTable", "check_score_table", "load_scores_file"],
    "_space": ["Neighbour", "SimilarityMatrix", "SpacePoint", "ValueSpace", "ipsatize", "nearest_profiles",
        "similarity_matrix", "value_space"],
    "_tsne": ["TSNE_INSTALL", "TsneSpace", "default_perplexity", "tsne_space"],
    "_views": ["Similarity", "cosine", "cosine_view", "similarity_view", "spearman", "spearman_view"],
    "_weights": ["softmax_weights", "system_dimensions", "validate_priorities",
        "validate_weights"],
})
