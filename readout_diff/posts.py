"""First-person posts: whose "I" it is.

Some readouts speak as one person: a President's post ("Just had a great call with President
Xi!"), a Secretary's or an envoy's note on X. Their "I" is the author, and so is every sentence
of a first-person paragraph that no one else is credited with ("China is buying our Soybeans
again"). The author is, in this order:

1. the readout's metadata: ``author`` in Markdown front matter or in a JSON readout;
2. a signature: a last sentence that is only a person's name and title ("President DJT",
   "—John Podesta");
3. a header line "From <person> ..." ("From Secretary Bessent on X");
4. otherwise the codebook's own reading of "I" (the actor that lists "I" among its names: a
   US–China readout in the first person is most often the President's post).

A post quoted inside a readout, after "Later, President Trump posted on Truth Social:", is that
person's. An "I" inside quotation marks is whoever is quoted, never the author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Mapping

from .matching import ACTOR

if TYPE_CHECKING:  # pragma: no cover
    from .matching import CompiledCodebook, Match
    from .nlp import Parsed

__all__ = ["DASHES", "FIRST_PERSON", "INTRODUCING_VERBS", "Authorship", "authorship",
           "declared_author", "first_person", "first_person_match", "first_person_sentences",
           "introduced_posts", "joint_we", "post_author", "quoted", "quoted_first_person",
           "signed"]

#: The author's own words: a paragraph with one of these (outside quotes) is in the first person.
#: Only the singular: "we" and "our" are also a government's ("our two countries").
FIRST_PERSON = frozenset({"i", "me", "my"})

_OPENING_QUOTES = "“‘«"
_CLOSING_QUOTES = "”’»"
_QUOTE_REACH = 3000  # characters back looked at for the paragraph's quotation marks
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
#: Dashes that may open a signature line ("—John Podesta"), the hyphen included.
DASHES = frozenset({"-", "--", "—", "–", "―"})
_SIGNATURE_TOKENS = 6  # at most this many words in a signature line ("— President Donald J. Trump")
_HEADER_TOKENS = 10  # ... and in a "From ..." header


def quoted(parsed: "Parsed", token: int) -> bool:
    """Whether token ``token`` is inside quotation marks opened earlier in its paragraph."""
    text = parsed.text
    at = int(parsed.token_idx[token])
    window = text[max(at - _QUOTE_REACH, 0):at]
    breaks = [b.end() for b in _BLANK_LINE.finditer(window)]
    before = window[breaks[-1]:] if breaks else window  # its paragraph, up to it
    opened = sum(before.count(q) for q in _OPENING_QUOTES)
    closed = sum(before.count(q) for q in _CLOSING_QUOTES)
    return opened > closed or before.count('"') % 2 == 1


def first_person_sentences(parsed: "Parsed") -> list[bool]:
    """Per sentence: whether its paragraph has an unquoted "I", "me" or "my"."""
    doc = parsed.doc
    n = len(parsed.sentences)
    if not n:
        return []
    # Paragraph of each sentence: a blank line between two sentences starts a new one.
    para = [0] * n
    for s in range(1, n):
        gap = parsed.text[parsed.sentences[s - 1][1]:parsed.sentences[s][0]]
        para[s] = para[s - 1] + (1 if _BLANK_LINE.search(gap) else 0)
    from .arrays import in_sorted
    from .nlp import sorted_hashes

    # Only the tokens that are "i", "me" or "my" are looked at (a column test, then Python).
    words = in_sorted(parsed.column("LOWER"), sorted_hashes(FIRST_PERSON)).nonzero()[0].tolist()
    sent_of = parsed.token_sent
    first = set()
    for i in words:
        s = int(sent_of[i])
        if s < 0 or para[s] in first:
            continue
        if first_person(doc, i, parsed.sent_tokens[s][1]) and not quoted(parsed, i):
            first.add(para[s])
    return [para[s] in first for s in range(n)]


def first_person(doc, i: int, hi: int) -> bool:
    """Whether token ``i`` (of a sentence ending at ``hi``) is the author's "I", "me" or "my"
    ("I will go", "I'm", "my counterpart"; not "World War I", "Phase I and 2")."""
    word = doc[i].lower_
    if word != "i":
        return word in FIRST_PERSON
    if doc[i].text != "I" or i + 1 >= hi:
        return False
    nxt = doc[i + 1]
    return nxt.text.startswith("'") or (nxt.is_lower and nxt.lower_ not in _NOT_AFTER_I)


# Lower-case words that follow a numeral "I" ("Phase I and II", "Title I of"), not a pronoun.
_NOT_AFTER_I = frozenset("and or of to in on for at by from with".split())


def declared_author(meta: Mapping[str, object]) -> str | None:
    """The ``author`` a readout's metadata gives (front matter, JSON), or None."""
    value = meta.get("author") if meta else None
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def post_author(parsed: "Parsed", people: "list[Match]", *, declared: str | None,
                resolve: "Callable[[str], str]") -> str | None:
    """The author of a first-person readout (see the module docstring), or None.

    ``people`` are the actor matches of persons in reading order (codebook and unlisted);
    ``resolve`` turns a name as written into an id (the codebook actor's when it knows the
    name: "Donald J. Trump" → "Donald Trump"; else the name without middle initials).
    """
    if declared:
        return resolve(declared)
    if not parsed.sentences:
        return None
    doc = parsed.doc
    # 2. A signature: the last sentence is a person's name, with a title or a dash at most
    # ("President DJT", "—John Podesta").
    if signed(parsed, people):
        lo, hi = parsed.sent_tokens[-1]
        last = [m for m in people if lo <= m.start and m.end <= hi]
        words = [i for i in range(lo, hi) if doc[i].is_alpha]
        return last[0].id if last else resolve(doc[words[0]:words[-1] + 1].text)
    # 3. A header "From <person> ...", the first sentence.
    lo, hi = parsed.sent_tokens[0]
    first = [m for m in people if lo <= m.start and m.end <= hi]
    if (hi - lo <= _HEADER_TOKENS and doc[lo].lower_ == "from"
            and len({m.id for m in first}) == 1):
        return first[0].id
    return None


#: Verbs that introduce a post quoted in a readout: "Later, President Trump *posted* on Truth
#: Social:" — what follows is that person's.
INTRODUCING_VERBS = frozenset({"post", "tweet", "write"})


def introduced_posts(parsed: "Parsed", people: "list[Match]") -> list[str | None]:
    """Per sentence, the person whose post it is when an "X posted:" line comes before it
    (the post runs to the end of the readout, or to the next such line), else None."""
    doc = parsed.doc
    out: list[str | None] = []
    current: str | None = None
    for lo, hi in parsed.sent_tokens:
        out.append(current)
        if hi > lo and doc[hi - 1].text in (":", "：") and any(
                doc[i].norm_ in INTRODUCING_VERBS for i in range(lo, hi)):
            named = {m.id for m in people if lo <= m.start and m.end <= hi}
            current = named.pop() if len(named) == 1 else None
    return out


def signed(parsed: "Parsed", people: "list[Match]") -> bool:
    """Whether the last sentence is a signature: a name, with a title or a dash at most."""
    if not parsed.sentences:
        return False
    doc = parsed.doc
    lo, hi = parsed.sent_tokens[-1]
    words = [i for i in range(lo, hi) if doc[i].is_alpha]
    if not 0 < len(words) <= _SIGNATURE_TOKENS or any(doc[i].is_lower for i in words):
        return False
    last = [m for m in people if lo <= m.start and m.end <= hi]
    return len(last) == 1 or (not last and doc[lo].text in DASHES and 2 <= len(words) <= 3
                              and words == list(range(words[0], words[0] + len(words))))


#: Verbs that make a post's "we" the two sides: "We agreed to meet", "We talked about Boeing",
#: "We will speak again" (not "We made clear ...": the author's side).
_JOINT_VERBS = frozenset("agree talk discuss speak meet".split())
_BEFORE_VERB = frozenset("also have will would both then just".split())


def joint_we(parsed: "Parsed", s: int) -> bool:
    """Whether sentence ``s`` opens with "We" doing something together ("We also agreed")."""
    doc = parsed.doc
    lo, hi = parsed.sent_tokens[s]
    if lo >= hi or doc[lo].lower_ != "we":
        return False
    i = lo + 1
    while i < hi and doc[i].norm_ in _BEFORE_VERB:
        i += 1
    return i < hi and doc[i].norm_ in _JOINT_VERBS


def first_person_match(parsed: "Parsed", m: "Match") -> bool:
    """Whether an actor match is a lone "I" / "me" / "my" (the codebook's first person)."""
    if m.role != ACTOR or m.end - m.start != 1:
        return False
    return first_person(parsed.doc, m.start, parsed.sent_tokens[int(parsed.token_sent[m.start])][1])


def quoted_first_person(parsed: "Parsed", m: "Match") -> bool:
    """An "I" inside quotation marks is whoever is quoted, not the actor the codebook gives
    the author's "I" ("... said: “I am grateful to our partners”" in a readout of 2021)."""
    return first_person_match(parsed, m) and quoted(parsed, m.start)


@dataclass(frozen=True)
class Authorship:
    """Per sentence, whose first person it is (None: nobody's) and whether the sentence is
    the author's own words (a first-person paragraph, a quoted post, the signature)."""

    writers: tuple[str | None, ...]
    owned: tuple[bool, ...]

    @property
    def authors(self) -> set[str]:
        return {w for w in self.writers if w}

    def as_authors(self, parsed: "Parsed", actors: "list[Match]") -> "list[Match]":
        """The actor matches with each first person ("I") made its sentence's author."""
        sent = parsed.token_sent
        return [m._replace(id=self.writers[int(sent[m.start])])
                if self.writers[int(sent[m.start])] and first_person_match(parsed, m) else m
                for m in actors]

    def credit(self, parsed: "Parsed", speakers: "list[str | None]", *,
               sides: frozenset[str]) -> "list[str | None]":
        """Speakers with the author's own sentences credited to the author where no person
        speaks: "China is buying our Soybeans again" is the author's claim, not the Chinese
        side's statement (``sides``: the names of the sides as speakers); "We agreed ..." is
        both sides'."""
        return [("both sides" if joint_we(parsed, s) else self.writers[s])
                if self.owned[s] and self.writers[s] and (who is None or who in sides) else who
                for s, who in enumerate(speakers)]


def authorship(parsed: "Parsed", actors: "list[Match]", *, compiled: "CompiledCodebook",
               roles: Mapping[str, str], declared: str | None) -> Authorship | None:
    """Who speaks in the first person, sentence by sentence: after "X posted:" that person's
    post; elsewhere the readout's author (metadata, a signature, a header, or the codebook's
    reading of "I") in its first-person paragraphs and its signature. None when the readout
    has no first person, no quoted post and no declared author. ``actors`` are the readout's
    actor matches in reading order; ``roles`` the roles of people the codebook does not
    list."""
    n = len(parsed.sentences)
    persons = [m for m in actors if m.role == ACTOR and not first_person_match(parsed, m)
               and (roles.get(m.id) or compiled.actor_roles.get(m.id)) in ("leader", "official")]
    introduced = introduced_posts(parsed, persons)
    own_words = [m for m in actors if first_person_match(parsed, m)]
    if declared is None and not own_words and not any(introduced):
        return None

    def resolve(name: str) -> str:
        # "John F. Kerry" is the codebook's "John Kerry" (ids drop middle initials)
        plain = " ".join(w for w in name.split() if not _INITIAL.fullmatch(w))
        return compiled.actor_named(name) or compiled.actor_named(plain) or plain

    writer = None
    if declared is not None or own_words:
        writer = post_author(parsed, persons, declared=declared, resolve=resolve) \
            or (own_words[0].id if own_words else None)
    first = first_person_sentences(parsed)
    owned = [bool(introduced[s]) or first[s] for s in range(n)]
    if n and writer and signed(parsed, persons):
        owned[-1] = True
    return Authorship(tuple(introduced[s] or writer for s in range(n)), tuple(owned))


_INITIAL = re.compile(r"[A-Z]\.")
