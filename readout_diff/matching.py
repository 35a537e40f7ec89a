"""Compiling a codebook into spaCy matchers and running them over a parsed readout.

One ``PhraseMatcher`` on ``NORM`` holds every phrase of every entry (hits, contextual hits,
context, block and exclusion phrases, actor names and titles), and one ``Matcher`` every token
pattern; each match id is a string ``"role|kind|id"``. A readout therefore costs two passes in
spaCy's compiled code, whatever the size of the codebook. Pattern documents are made with the
same pipeline as the text (``nlp.make_doc``), so they are normalised exactly as the text is.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Iterable, NamedTuple

import numpy as np

from .arrays import in_sorted
from .codebook import Codebook, Entry
from .errors import CodebookError
from .nlp import Parsed, get_pipeline

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.matcher import Matcher, PhraseMatcher

__all__ = ["CompiledCodebook", "Match", "compile_codebook"]

# Roles of a match id.
HIT, FORWARD, CONTEXTUAL, CONTEXT, BLOCK, EXCLUDE, ACTOR, TITLE = (
    "hit", "forward", "contextual", "context", "block", "exclude", "actor", "title")


class Match(NamedTuple):
    """A raw matcher result: role, entry kind and id, token span (a NamedTuple: a readout has
    dozens, and a frozen dataclass costs several times more to make)."""

    role: str
    kind: str
    id: str
    start: int
    end: int


class CompiledCodebook:
    """A codebook's matchers for one pipeline; build with :func:`compile_codebook` (cached)."""

    def __init__(self, codebook: Codebook, nlp: "Language", lang: str) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        self.codebook = codebook
        self.lang = lang
        self.nlp = nlp
        self.entries: dict[str, Entry] = {e.id: e for e in codebook.entries}
        self.windows: dict[str, int] = {}
        self.phrases: PhraseMatcher = PhraseMatcher(nlp.vocab, attr="NORM")
        # validate: spaCy checks each token pattern against its schema when it is added, so a
        # bad value in a user's codebook fails here, naming the entry, not in the middle of a run.
        self.tokens: Matcher = Matcher(nlp.vocab, validate=True)
        # Titles match on lower case, not on lemmas: "the presidents" is not "the President".
        self.titles: PhraseMatcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.title_holders: dict[str, list[str]] = defaultdict(list)
        self.actor_roles: dict[str, str] = {}
        self.actor_sides: dict[str, str] = {}
        token_patterns: list[list[dict]] = []
        self._keys: dict[int, tuple[str, str, str]] = {}  # match id -> (role, kind, id)
        for entry in codebook.entries:
            rules = entry.rules.get(lang)
            if rules is None:
                continue
            self.windows[entry.id] = rules.window
            for role, phrases in ((HIT, rules.phrases), (FORWARD, rules.forward),
                                  (CONTEXTUAL, rules.contextual),
                                  (CONTEXT, rules.context), (BLOCK, rules.block),
                                  (EXCLUDE, rules.exclude)):
                self._add_phrases(f"{role}|{entry.kind}|{entry.id}", phrases)
            for i, pattern in enumerate(rules.patterns):
                token_patterns.append(self._add_pattern(entry, i, pattern))
        for actor in codebook.actors:
            self.actor_roles[actor.name] = actor.role
            self.actor_sides[actor.name] = actor.side
            self._add_phrases(f"{ACTOR}|actor|{actor.name}", actor.names.get(lang, ()))
            for title in actor.titles:
                self.title_holders[title].append(actor.name)
        #: Actors who are persons (leaders, officials), not sides: their surnames name them.
        self.person_ids = frozenset(name for name, role in self.actor_roles.items()
                                    if role in ("leader", "official"))
        for title in self.title_holders:
            # "the President" / "The President": resolved later to the first holder mentioned.
            docs = [self.nlp.make_doc(f"the {title}")]
            self.titles.add(f"{TITLE}|title|{title}", docs)
        self.anchors = _Anchors.build(token_patterns, nlp.vocab) if token_patterns else None

    def _add_pattern(self, entry: Entry, i: int, pattern: Iterable[dict]) -> list[dict]:
        """Add one token pattern (normalised, and returned); spaCy's objection to it becomes a
        CodebookError naming it."""
        normalised = [self._normalise(tok) for tok in pattern]
        try:
            self.tokens.add(f"{HIT}|{entry.kind}|{entry.id}", [normalised])
        except (ValueError, TypeError, KeyError, re.error) as exc:
            detail = re.sub(r"^Invalid token patterns for matcher rule '[^']*'\s*Pattern \d+:\s*-?\s*",
                            "", " ".join(str(exc).split()))
            raise CodebookError(f"{self.codebook.source}: [{entry.kind}s.{entry.id}.{self.lang}] "
                                f"patterns[{i}]: spaCy's Matcher rejects it: {detail}") from None
        return normalised

    def _normalise(self, token: dict) -> dict:
        """NORM values in token patterns go through the pipeline's normaliser, like the text,
        so a pattern author writes plain words ("agenda", "meetings") and still matches."""
        value = token.get("NORM")
        if value is None:
            return dict(token)
        norm = lambda w: self.nlp.vocab[w].norm_ if isinstance(w, str) else w  # noqa: E731
        if isinstance(value, str):
            value = norm(value)
        elif isinstance(value, dict):
            value = {op: [norm(w) for w in ws] if isinstance(ws, list) else ws
                     for op, ws in value.items()}
        return {**token, "NORM": value}

    def _add_phrases(self, key: str, phrases: Iterable[str]) -> None:
        docs = [self.nlp.make_doc(p) for p in phrases]
        docs = [d for d in docs if len(d)]
        if docs:
            self.phrases.add(key, docs)

    def __call__(self, parsed: Parsed) -> list[Match]:
        """All matches in the readout, sorted by position; matches across sentences dropped."""
        doc = parsed.doc
        strings = doc.vocab.strings
        sent = parsed.token_sent.tolist()  # indexed per match: a list beats NumPy scalars
        found = self.phrases(doc) + self.titles(doc) + self._token_matches(parsed)
        keys = self._keys
        out = []
        for match_id, start, end in found:
            s = sent[start]
            if s < 0 or sent[end - 1] != s:
                continue
            key = keys.get(match_id)
            if key is None:
                key = keys[match_id] = tuple(strings[match_id].split("|", 2))
            out.append(Match(*key, start, end))
        out.sort(key=lambda m: (m.start, -m.end, m.role, m.id))
        return out

    def actor_named(self, name: str) -> str | None:
        """The codebook actor whose name ``name`` is, whole ("Donald J. Trump" → "Donald
        Trump"), or None."""
        doc = self.nlp.make_doc(name)
        strings = doc.vocab.strings
        for match_id, start, end in self.phrases(doc):
            role, _, actor = strings[match_id].split("|", 2)
            if role == ACTOR and start == 0 and end == len(doc):
                return actor
        return None

    def _token_matches(self, parsed: Parsed) -> list[tuple[int, int, int]]:
        """The token patterns' matches that lie inside one sentence (the others are dropped).

        spaCy's Matcher tests every pattern at every token, calling Python for each ``IN`` set;
        it runs here only on the stretches around the tokens that each pattern must contain (see
        :class:`_Anchors`), which hold every match it would find inside a sentence.
        """
        if not len(self.tokens):
            return []
        doc = parsed.doc
        if self.anchors is None:
            return self.tokens(doc)
        out = []
        for lo, hi in self.anchors.windows(parsed):
            out.extend((key, lo + s, lo + e) for key, s, e in self.tokens(doc[lo:hi]))
        return out


class _Anchors:
    """For each token pattern, a token every match contains, and the stretch around it.

    A pattern whose tokens are plain (``OP`` absent, ``"1"``, ``"!"`` or ``"?"``) matches at
    most ``len(pattern)`` tokens, and a required token ``j`` (no ``OP``) lies at most ``j``
    tokens after the match start and is followed by at most ``len(pattern) - j - 1`` more: every
    match lies in ``[pos - j, pos - j + len(pattern))`` around a token ``pos`` that equals it.
    The anchor is the required token with a plain ``NORM``/``LOWER``/``ORTH`` value (or ``IN``
    list) least likely to be common: fewest stop words, then fewest values, then the latest.
    :meth:`build` returns None when a pattern has no anchor (``*``, ``+`` or only predicates):
    then the whole document is matched.
    """

    _ATTRS = {"NORM": "NORM", "LOWER": "LOWER", "ORTH": "ORTH", "TEXT": "ORTH"}

    def __init__(self, attrs: tuple[str, ...], values: dict[str, np.ndarray],
                 spans: dict[tuple[str, int], list[tuple[int, int]]]) -> None:
        self.attrs = attrs
        self.values = values  # attr -> sorted hashes of its anchor values
        self.spans = spans  # (attr, hash) -> [(start offset, end offset)] around the anchor

    @classmethod
    def build(cls, patterns: list[list[dict]], vocab) -> "_Anchors | None":
        spans: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
        for pattern in patterns:
            best = None
            for j, tok in enumerate(pattern):
                op = tok.get("OP", "1")
                if op not in ("1", "!", "?"):
                    return None
                anchor = cls._anchor(tok) if op == "1" else None
                if anchor is not None:
                    attr, words = anchor
                    rank = (sum(vocab[w].is_stop for w in words), len(words), -j)
                    if best is None or rank < best[0]:
                        best = (rank, attr, words, j)
            if best is None:
                return None
            _, attr, words, j = best
            for w in words:
                spans[(attr, vocab.strings.add(w))].append((-j, len(pattern) - j))
        attrs = tuple(sorted({a for a, _ in spans}))
        values = {a: np.array(sorted({h for b, h in spans if b == a}), dtype=np.uint64)
                  for a in attrs}
        return cls(attrs, values, dict(spans))

    @classmethod
    def _anchor(cls, tok: dict) -> tuple[str, list[str]] | None:
        keys = [k for k in tok if k != "OP"]
        if len(keys) != 1 or keys[0] not in cls._ATTRS:
            return None
        value = tok[keys[0]]
        if isinstance(value, str):
            return cls._ATTRS[keys[0]], [value]
        if (isinstance(value, dict) and list(value) == ["IN"] and value["IN"]
                and all(isinstance(w, str) for w in value["IN"])):
            return cls._ATTRS[keys[0]], list(value["IN"])
        return None

    def windows(self, parsed: Parsed) -> list[tuple[int, int]]:
        """Merged token ranges, each inside one sentence, holding every match of a pattern."""
        if not len(parsed.doc):
            return []
        found: list[tuple[int, int]] = []
        for attr in self.attrs:
            hashes = parsed.column(attr)
            for pos in in_sorted(hashes, self.values[attr]).nonzero()[0].tolist():
                s = int(parsed.token_sent[pos])
                if s < 0:
                    continue
                lo, hi = parsed.sent_tokens[s]
                for a, b in self.spans[(attr, int(hashes[pos]))]:
                    found.append((max(lo, pos + a), min(hi, pos + b)))
        found.sort()
        merged: list[tuple[int, int]] = []
        for lo, hi in found:
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
            else:
                merged.append((lo, hi))
        return merged


def compile_codebook(codebook: Codebook, lang: str) -> CompiledCodebook:
    """The compiled matchers of ``codebook`` for ``lang``, built once per codebook and language."""
    cache = codebook._compiled
    if lang not in cache:
        cache[lang] = CompiledCodebook(codebook, get_pipeline(lang), lang)
    return cache[lang]
