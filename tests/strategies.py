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


# -- hostile text (tests/test_fuzz.py, benchmarks/fuzz.py) ----------------------------------------
# What scrapers and copy-paste make of readouts: control characters, zero-width and bidi marks,
# combining marks, emoji, CJK, lone surrogates (from JSON escapes), long tokens and lines, rows of
# symbols, no sentence punctuation at all, mixed with readout vocabulary so the matchers fire.

_ODD = ["\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\u200b", "\u200c", "\u200d", "\u2060",
        "\ufeff", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066",
        "\u2069", "\u0301", "\u0308", "\u20dd", "\u00a0", "\u2028", "\u2029", "\u3000", "\t",
        "\r", "\r\n", "\n", "\n\n", "\ud800", "\udfff", "\ufffd", "\U0001f600", "\U0001f1e8\U0001f1f3",
        "\U0001f468\u200d\U0001f469\u200d\U0001f467", "中美", "習近平", "，", "。", "“", "”", "«", "»",
        "#", "- ", "* ", "1. ", "---", "...", "…", "(", ")", "[", "\"", "'", "’", "$", "%", "&",
        "<", ">", "&amp;", "<script>", "U.S.", "Mr.", "e.g.", "\\", "/", "|", "_", "=", "~"]
_WORDS = [w for s in _SUBJECTS + _VERBS + _OBJECTS for w in s.split()] + [
    "not", "no", "will", "meet", "visit", "next", "year", "neither", "nor", "Taiwan", "APEC",
    "said", "agreed", "but", "while", ";", ":", ",", ".", "?", "!"]

fragment = st.one_of(
    st.sampled_from(_ODD),
    st.sampled_from(_WORDS),
    st.text(max_size=12),
    st.text(st.characters(exclude_categories=()), max_size=8),  # any code point, surrogates too
    st.builds(lambda c, n: c * n, st.sampled_from(_ODD + _WORDS), st.integers(2, 300)),
)
separator = st.sampled_from([" ", " ", " ", "", "\n", "\n\n", "  ", "\t", ". "])
hostile_text = st.builds(
    lambda parts, seps: "".join(p + seps[i % len(seps)] for i, p in enumerate(parts)),
    st.lists(fragment, max_size=40), st.lists(separator, min_size=1, max_size=5),
)
hostile_bytes = st.one_of(
    st.binary(max_size=600),
    hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    hostile_text.map(lambda t: t.encode("utf-16-le", "surrogatepass")),
    hostile_text.map(lambda t: t.encode("utf-16", "surrogatepass")),
    st.builds(lambda t, b: t.encode("utf-8", "surrogatepass") + b, hostile_text, st.binary(max_size=40)),
)
