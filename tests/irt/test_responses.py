"""Pivoting stored response records into a sparse matrix."""

from __future__ import annotations

import numpy as np
import pytest

from valuecompass.errors import EstimationError
from valuecompass.irt import ItemResponse, response_matrix


def test_pivot_with_missing_cells_and_averaged_repeats():
    recs = [ItemResponse("m1", "i1", 1.0), ItemResponse("m2", "i2", 0.0),
            ItemResponse("m1", "i2", 1.0), ItemResponse("m1", "i2", 0.0)]
    mat = response_matrix(recs, item_ids=["i1", "i2", "i3"])
    assert mat.examinee_ids == ("m1", "m2") and mat.item_ids == ("i1", "i2", "i3")
    np.testing.assert_array_equal(mat.values, [[1.0, 0.5, np.nan], [np.nan, 0.0, np.nan]])
    assert not mat.values.flags.writeable


def test_item_order_of_first_appearance():
    mat = response_matrix([ItemResponse("m", "b", 1.0), ItemResponse("m", "a", 0.0)])
    assert mat.item_ids == ("b", "a")


def test_bad_records_raise():
    with pytest.raises(EstimationError, match="not in"):
        response_matrix([ItemResponse("m", "i", 1.5)])
    with pytest.raises(EstimationError, match="not in item_ids"):
        response_matrix([ItemResponse("m", "zz", 1.0)], item_ids=["i"])
