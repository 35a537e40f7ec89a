"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from hypothesis import strategies as st

# Sentences built from readout-like vocabulary, so generated texts hit topics, frames,
# negations and commitments, not only random letters.
_SUBJECTS = ["The two leaders", "Xi", "President Biden", "The Chinese side", "Both sides", "He",
             "The U.S. side", "Secretary Blinken", "Wang Yi"]
_VERBS = ["discussed", "stressed", "did not discuss", "agreed to continue talks on",
          "raised concerns about", "welcomed progress on", "noted", "agreed to meet to discuss"]
_OBJECTS = ["trade", "tariffs", "fentanyl", "Taiwan", "the South China Sea", "climate change",
            "mutual respect", "export controls on chips", "Ukraine", "rare earths", "students",
            "a stable relationship", "the wartime alliance", "TikTok", "investment", "Iran"]

sentence = st.builds(lambda s, v, o: f"{s} {v} {o}.", st.sampled_from(_SUBJECTS),
                     st.sampled_from(_VERBS), st.sampled_from(_OBJECTS))
readout_text = st.lists(sentence, min_size=1, max_size=8).map(" ".join)
