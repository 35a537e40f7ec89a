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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

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


@dataclass(frozen=True)
class Match:
    """A raw matcher result: role, entry kind and id, token span."""

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
                self._add_pattern(entry, i, pattern)
        for actor in codebook.actors:
            self.actor_roles[actor.name] = actor.role
            self.actor_sides[actor.name] = actor.side
            self._add_phrases(f"{ACTOR}|actor|{actor.name}", actor.names.get(lang, ()))
            for title in actor.titles:
                self.title_holders[title].append(actor.name)
        for title in self.title_holders:
            # "the President" / "The President": resolved later to the first holder mentioned.
            docs = [self.nlp.make_doc(f"the {title}")]
            self.titles.add(f"{TITLE}|title|{title}", docs)

    def _add_pattern(self, entry: Entry, i: int, pattern: Iterable[dict]) -> None:
        """Add one token pattern; spaCy's objection to it becomes a CodebookError naming it."""
        try:
            self.tokens.add(f"{HIT}|{entry.kind}|{entry.id}",
                            [[self._normalise(tok) for tok in pattern]])
        except (ValueError, TypeError, KeyError, re.error) as exc:
            detail = re.sub(r"^Invalid token patterns for matcher rule '[^']*'\s*Pattern \d+:\s*-?\s*",
                            "", " ".join(str(exc).split()))
            raise CodebookError(f"{self.codebook.source}: [{entry.kind}s.{entry.id}.{self.lang}] "
                                f"patterns[{i}]: spaCy's Matcher rejects it: {detail}") from None

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
        sent = parsed.token_sent
        found = self.phrases(doc) + self.titles(doc) + (self.tokens(doc) if len(self.tokens) else [])
        out = []
        for match_id, start, end in found:
            s = sent[start]
            if s < 0 or sent[end - 1] != s:
                continue
            role, kind, id_ = strings[match_id].split("|", 2)
            out.append(Match(role, kind, id_, start, end))
        out.sort(key=lambda m: (m.start, -m.end, m.role, m.id))
        return out


def compile_codebook(codebook: Codebook, lang: str) -> CompiledCodebook:
    """The compiled matchers of ``codebook`` for ``lang``, built once per codebook and language."""
    cache = codebook._compiled
    if lang not in cache:
        cache[lang] = CompiledCodebook(codebook, get_pipeline(lang), lang)
    return cache[lang]
