"""The date stage looks for the outlet's page layout once: what it finds is what outlet_from_layout finds."""


import pytest

from conftest import FAKES, fakes_csv_rows
from timeline import dates

LAYOUT_TEXTS = ["Last update: Mon, 05/09/2016 - 17:15\nA car bomb killed 4 people in Homs.",
                "A car bomb killed 4 people in Homs on Monday.", "On 05/09/2016 a car bomb killed 4 people.", ""]


def _corpus_texts(limit=100):
    """FA-KES's first texts, when the data is beside the checkout (the fixed texts are tested either way)."""
    return [row["article_content"] for row in fakes_csv_rows(limit)] if FAKES.exists() else []


@pytest.mark.parametrize("option", ["auto", "DMY"])
def test_the_order_deciders_layout_outlet_is_outlet_from_layout(option):
    for text in LAYOUT_TEXTS + _corpus_texts():
        decider = dates.OrderDecider(text, None, option)
        decider.decided()  # an undecided order may have looked at the layout already
        assert decider.layout_outlet() == dates.outlet_from_layout(text)
