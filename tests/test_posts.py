"""First-person posts: the author is "I" and speaks the post's own paragraphs."""

import json

from readout_diff import Readout, analyze, load_readout


def speakers(readout):
    return [s.speaker for s in analyze(readout).sentences]


def test_a_signature_names_the_author_of_the_whole_post():
    post = ("Just had a very good call with Vice Premier He Lifeng on the deal I made in Busan. "
            "China is buying our Soybeans again! We agreed to talk again soon.\n\n"
            "President DJT")
    # the side as a subject is the author's claim; "We agreed" is the two sides
    assert speakers(post) == ["Donald Trump", "Donald Trump", "both sides", "Donald Trump"]


def test_metadata_names_an_author_the_codebook_reads_otherwise():
    text = ("Two days of frank talks in Beijing with my counterpart. I told them the climate "
            "crisis must be kept apart from other issues. No breakthrough yet.")
    assert speakers(Readout(text)) == ["Donald Trump"] * 3  # the codebook's "I"
    assert speakers(Readout(text, meta={"author": "John F. Kerry"})) == ["John Kerry"] * 3
    # someone the codebook does not list keeps the name as given, without middle initials
    assert speakers(Readout(text, meta={"author": "Ana B. Ruiz"})) == ["Ana Ruiz"] * 3


def test_a_from_header_names_the_author():
    post = ("From Secretary Bessent on X\n\nI just wrapped a call with Vice Premier He Lifeng. "
            "China must pause its export controls.")
    assert speakers(post)[1:] == ["Scott Bessent", "Scott Bessent"]


def test_quoted_first_person_and_formal_paragraphs_are_not_the_authors():
    text = ("President Xi said: \u201cI value our friendship.\u201d\n\n"
            "The two sides discussed trade.")
    assert speakers(text) == ["Xi Jinping", "both sides"]
    assert speakers("Thinking of those who fell in World War I. The leaders met in Paris.")\
        == [None]


def test_front_matter_and_json_carry_the_author(tmp_path):
    md = tmp_path / "post.md"
    md.write_text("---\nauthor: Janet Yellen\n---\nI had a productive call with the Vice "
                  "Premier. China should address overcapacity.\n", encoding="utf-8")
    assert speakers(load_readout(md)) == ["Janet Yellen", "Janet Yellen"]
    js = tmp_path / "post.json"
    js.write_text(json.dumps({"text": "I spoke with Director Wang today. Taiwan came up.",
                              "author": "Marco Rubio"}), encoding="utf-8")
    assert speakers(load_readout(js)) == ["Marco Rubio", "Marco Rubio"]


def test_a_post_quoted_after_an_introducing_line_is_its_authors():
    text = ("Secretary Ruiz met with Foreign Minister Wang Yi today.\n\n"
            "Later, Secretary Ana Ruiz posted on X:\n\n"
            "Good talks with my counterpart. Much work ahead, and we will keep at it.\n\n"
            "—Ana Ruiz")
    assert speakers(text) == [None, None, "Ana Ruiz", "Ana Ruiz", "Ana Ruiz"]


def test_a_dash_signature_names_an_author_the_codebook_does_not_know():
    post = "Good call today with my counterpart. I told him coal must be phased down.\n\n—Mia Long"
    assert speakers(post) == ["Mia Long", "Mia Long", "Mia Long"]
