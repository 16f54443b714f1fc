"""Model cards stored with runs: what the leaderboard shows about a model (it changes no result)."""

from __future__ import annotations

from valuecompass.models import ModelCard
from valuecompass.store import Store


def record_model_card(store: Store, run_id: str, card: ModelCard) -> bool:
    """Store ``card`` with a run (``provenance.model_card``; the newest entry is the one shown).

    A card changes no result, so it is not part of the run id: a card equal to the newest one is not
    stored again, a corrected one is appended.

    Returns:
        ``True`` if the card was added.
    """
    return store.append_provenance(run_id, "model_card", card.model_dump(mode="json", exclude_none=True),
                                   unique_by=tuple(ModelCard.model_fields), last_only=True)
