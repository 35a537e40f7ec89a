"""Topics, frames, negation, exclusions, future cues, commitments and speakers."""

import pytest

from readout_diff import analyze


@pytest.mark.parametrize("text", [
    "The two presidents did not discuss Ukraine or Iran.",
    "Ukraine and Iran did not come up.",
    "Nothing was discussed concerning Ukraine or Iran.",
    "There was no discussion of Ukraine or of Iran.",
    "Neither Ukraine nor Iran was on the agenda.",
    "The leaders made no mention of Ukraine and Iran.",
    "Ukraine and Iran were not raised during the call.",
    "Iran and Ukraine weren't discussed.",
])
def test_negated_topics_in_the_ways_people_write_it(text):
    a = analyze("The leaders discussed trade. " + text)
    assert "ukraine" in a.negated_topics and "middle_east" in a.negated_topics
    assert "ukraine" not in a.topics and "middle_east" not in a.topics
    assert "trade" in a.topics


def test_negation_stays_in_its_clause():
    a = analyze("The leaders discussed trade but did not discuss Taiwan.")
    assert "trade" in a.topics and a.negated_topics == ("taiwan",)


def test_a_reported_denial_of_intent_is_not_a_negated_topic():
    a = analyze("Biden said the US does not seek to change China's system or to support "
                "Taiwan independence.")
    assert "taiwan" in a.topics and not a.negated_topics


def test_topic_both_present_and_negated_counts_as_present():
    a = analyze("They discussed Taiwan at length. Arms sales to Taiwan did not come up.")
    assert "taiwan" in a.topics and "taiwan" not in a.negated_topics


@pytest.mark.parametrize("text,absent", [
    ("Trade Representative Jamieson Greer joined the call.", "trade"),
    ("An official of the Taiwan Affairs Office was present.", "taiwan"),
    ("Special Presidential Envoy for Climate John Kerry attended.", "climate"),
    ("The leaders met on the sidelines of the APEC summit.", "leader_meeting"),
])
def test_topic_words_in_names_and_occasions(text, absent):
    assert absent not in analyze(text).topics


def test_inflections_and_british_spelling():
    a = analyze("The defence ministers organised talks on tariffs; China's semiconductor "
                "industry and the Taiwan Strait were stressed.")
    assert {"trade", "export_controls", "taiwan", "military_channels"} <= set(a.topics)


@pytest.mark.parametrize("text,kind,modality", [
    ("The two leaders agreed to meet at the APEC summit.", "meeting", "agreed"),
    ("Trump will visit China early next year.", "visit", "will"),
    ("Xi invited Trump to visit Beijing.", "visit", "invited"),
    ("The two sides hope to hold further talks.", "talks", "will"),
    ("They will speak again by phone.", "call", "will"),
])
def test_commitments(text, kind, modality):
    a = analyze(text)
    assert [(c.kind, c.modality) for c in a.commitments] == [(kind, modality)]


def test_past_meeting_is_not_a_commitment():
    a = analyze("Xi visited the United States in 2015. The two leaders met in Bali.")
    assert not a.commitments
    assert not {"state_visit", "leader_meeting"} & set(a.topics)


def test_speakers():
    a = analyze("President Biden spoke with President Xi Jinping. Xi stressed that Taiwan is a "
                "red line. He added that China opposes tariffs. The two sides agreed to keep in "
                "touch. The President raised concerns about fentanyl.")
    assert [s.speaker for s in a.sentences] == [
        None, "Xi Jinping", "Xi Jinping", "both sides", "Joe Biden"]


def test_frames():
    a = analyze("The two sides should respect each other and pursue win-win cooperation. "
                "Xi recalled the wartime alliance of the two peoples. Both sides should manage "
                "differences and keep the relationship stable. Taiwan is a core interest. "
                "China firmly opposes unilateral sanctions. The teams made progress.")
    assert set(a.frames) >= {"equality_respect", "shared_history", "stability", "core_interests",
                             "grievance", "deliverables"}


def test_topic_stats():
    a = analyze("Trade came first. Then fentanyl. Trade again, and tariffs.")
    t = a.topics["trade"]
    assert t.sentences == (0, 2) and t.first == 0 and t.share == pytest.approx(2 / 3)
    assert t.mentions == 3


def test_mentions_point_into_the_text():
    text = "The leaders discussed\ntariffs and fentanyl."
    a = analyze(text)
    spans = {text[m.start:m.end] for s in a.sentences for m in s.mentions}
    assert spans == {"tariffs", "fentanyl"}


def test_a_meeting_agreed_in_a_that_clause_is_kept():
    """Excludes must not swallow real commitments ("agreed that the meeting would ...")."""
    from readout_diff import analyze

    a = analyze("The two presidents agreed that the meeting would take place in Beijing next "
                "year. The presidents agreed to hold the meeting as soon as possible.")
    assert "leader_meeting" in a.topics and a.topics["leader_meeting"].mentions == 2


def test_according_to_credits_the_actor_after_it():
    """The words are the language's Cues.according ("according to", 据), not a fixed pair."""
    from readout_diff import analyze

    assert analyze("According to Xi, the talks were useful.").sentences[0].speaker == "Xi Jinping"
    assert analyze("Talks went well, according to Blinken.").sentences[0].speaker == "Antony Blinken"


def test_a_surname_inside_someone_elses_name_is_not_the_actor():
    from readout_diff import analyze

    a = analyze("Yang Tao, director general, said the talks were useful. "
                "The talks covered the South China Sea. Biden said trade matters.")
    # Yang Tao is someone the codebook does not list (people.py), never Yang Jiechi.
    assert [s.speaker for s in a.sentences] == ["Yang Tao", None, "Joe Biden"]
    assert a.sentences[0].actors == () and a.sentences[2].actors == ("Joe Biden",)


@pytest.mark.parametrize("text, topics, negated", [
    # "no" negates its own noun: no denial of fentanyl or of tariffs here
    ("He said the fentanyl issue is no justification for raising tariffs.",
     {"fentanyl", "trade"}, set()),
    ("There was no further discussion of tariffs.", set(), {"trade"}),
    # the talks are where Taiwan did not come up, not talks that were denied
    ("Taiwan never came up in the economic talks.", set(), {"taiwan"}),
    ("They did not discuss further talks.", set(), {"continued_talks"}),
])
def test_what_a_negation_denies(text, topics, negated):
    a = analyze(text)
    assert set(a.topics) >= topics
    assert set(a.negated_topics) == negated


@pytest.mark.parametrize("text, visit", [
    ("Secretary Yellen said she hopes to travel to China in the coming months.", False),
    ("President Biden said he hopes to visit China next year.", True),
    ("Secretary Blinken said President Xi hopes to visit the United States.", True),
])
def test_a_pronoun_refers_back_to_the_official_who_travels(text, visit):
    assert ("state_visit" in analyze(text).topics) is visit


def test_statements_of_people_the_codebook_does_not_list():
    a = analyze(
        "Vice Foreign Minister Xie Feng held talks with Deputy Secretary of State Wendy Sherman "
        "in Tianjin.\n\n"
        "Xie Feng said that relations face grave difficulties. He called on the US side to "
        "change course.\n\n"
        "Wendy Sherman said that the United States welcomes competition. She stressed the need "
        "for guardrails.\n\n"
        "The White House Gender Policy Council said nothing. New York State officials agreed.")
    assert [s.speaker for s in a.sentences] == [
        None, "Xie Feng", "Xie Feng", "Wendy Sherman", "Wendy Sherman", None, None]


def test_a_bare_surname_is_the_person_named_in_full():
    a = analyze("Li Chenggang, Vice Minister of Commerce, briefed reporters. "
                "Li said the US side had raised concerns about export controls.")
    assert [s.speaker for s in a.sentences] == ["Li Chenggang", "Li Chenggang"]


def test_a_title_alone_is_the_person_it_was_written_before():
    a = analyze(
        "Deputy Secretary of State Wendy Sherman traveled to Tianjin for talks with State "
        "Councilor Wang Yi.\n\n"
        "The Deputy Secretary said that the United States welcomes competition. Deputy "
        "Secretary Sherman set out U.S. objections. She also raised Taiwan.")
    assert [s.speaker for s in a.sentences] == [None] + ["Wendy Sherman"] * 3


@pytest.mark.parametrize("text", [
    "From 10 to 11 May, Wang Yi, member of the Political Bureau of the CPC Central Committee, "
    "held talks with Jake Sullivan in Vienna.",
    "Secretary Blinken's Meeting with People's Republic of China Foreign Minister Wang Yi",
    "Secretary of State Antony J. Blinken met today in Beijing with Director of the Office of "
    "the Central Foreign Affairs Commission and Foreign Minister Wang Yi.",
])
def test_narration_of_the_meeting_is_credited_to_no_one(text):
    assert analyze(text).sentences[0].speaker is None


def test_he_refers_back_across_a_paragraph_and_an_honorific_opens_a_sentence():
    a = analyze("Wang Yi said the two sides should respect each other.\n\n"
                "He said that dialogue should continue.\n\n"
                "Mr. Sullivan set out U.S. concerns about Xinjiang.")
    assert [s.speaker for s in a.sentences] == ["Wang Yi", "Wang Yi", "Jake Sullivan"]


@pytest.mark.parametrize("text, speaker", [
    ("Cooperation is the only right choice for the two sides, Xi said.", "Xi Jinping"),
    ("Safeguarding sovereignty is a red line for China, Yang said.", "Yang Jiechi"),
    ("Blinken, Sullivan and Austin said the talks were useful.", "US side"),
])
def test_a_comma_before_a_speaker_joins_no_list(text, speaker):
    assert analyze(text).sentences[0].speaker == speaker


@pytest.mark.parametrize("text, topics", [
    ("Austin was joined by Deputy Assistant Secretary of Defense for China, Taiwan and "
     "Mongolia Michael Chase.", set()),
    ("The Secretary of State raised Taiwan, fentanyl and trade.", {"taiwan", "fentanyl", "trade"}),
    ("The US-China Working Group on Counternarcotics met.", {"fentanyl"}),
    ("People must never be used as bargaining chips.", set()),
    # a past meeting is not a future one, whatever time word follows
    ("A year ago the two of them met at Woodside and set out a vision for the future.", set()),
    ("The two leaders will meet early next year.", {"leader_meeting"}),
])
def test_topic_words_that_are_not_the_topic(text, topics):
    assert set(analyze(text).topics) == topics


def test_a_quoted_i_is_the_person_quoted():
    a = analyze("“Help is on the way,” said Governor Whitmer. “I am grateful to our partners.”")
    assert "Donald Trump" not in [s.speaker for s in a.sentences]
    assert analyze("I had a great call with President Xi.").sentences[0].speaker == "Donald Trump"


def test_initials_headlines_and_trailing_attribution():
    a = analyze(
        "Admiral Samuel J. Paparo held a video call with General Wu Yanan.\n\n"
        "Admiral Paparo said the call was useful. He urged restraint.\n\n"
        "Secretary Hegseth Meets With Minister Dong Jun\n\n"
        "According to White House Press Secretary Jen Psaki, trade did not come up.")
    assert [s.speaker for s in a.sentences] == [
        None, "Samuel Paparo", "Samuel Paparo", None, "Jen Psaki"]
    b = analyze("Yang Jiechi spoke first.\n\n"
                "China firmly opposes any words that distort its position, he said.")
    assert b.sentences[1].speaker == "Yang Jiechi"
    assert analyze("We did not get into agriculture on this call.").negated_topics == (
        "agriculture",)


@pytest.mark.parametrize("text, speaker", [
    ("A Treasury spokesperson said the call did not take up the Phase One agreement.",
     "US side"),
    ("Climate did not come up, a senior State Department official told reporters.", "US side"),
    ("A Chinese Foreign Ministry spokesperson said China opposes the sanctions.",
     "Chinese side"),
    ("Defense Ministry spokesperson Wu Qian later said the call was useful.", "Wu Qian"),
])
def test_unnamed_officials_speak_for_their_side(text, speaker):
    assert analyze(text).sentences[0].speaker == speaker


@pytest.mark.parametrize("text, speaker", [
    ("He Lifeng held talks in Beijing with visiting US Treasury Secretary Janet Yellen.", None),
    ("Xi Jinping Speaks with US President-elect Trump on the Phone", None),
    # "with" the press, not with Biden: Xi's statement
    ("Xi spoke with the press and urged Biden to act.", "Xi Jinping"),
])
def test_met_with_is_narration_only_when_an_actor_follows_a_title(text, speaker):
    assert analyze(text).sentences[0].speaker == speaker


@pytest.mark.parametrize("text", [
    "BEIJING, March 3 (Xinhua) -- Chinese Premier Li Qiang had a video call with US Treasury "
    "Secretary Janet Yellen on Monday.",
    "SHANGHAI -- The Chinese and US trade teams held talks in Shanghai on Friday.",
    "Before the talks, Xi Jinping hosted a welcoming banquet for Biden in the Great Hall.",
    "Zhou Min, Chinese Ambassador to Canada, and Gao Feng, Assistant Minister of Commerce, "
    "attended the talks.",
    "Ambassador Susan Park and Assistant Secretary Mark Lowe also took part.",
    "The US delegation was led by Deputy Secretary Mark Lowe of the State Department.",
    "He Lifeng, who is also China's lead person for economic and trade affairs, held talks "
    "with Yellen.",
    "China and the US Hold Second Round of Maritime Consultations",
    "Pentagon Press Secretary Ann Lee provided the following readout:",
])
def test_more_narration_of_the_meeting(text):
    """Datelines, participation ("attended", "took part", "was led by"), "held talks", a
    ceremony hosted for someone, appositions and headline verbs narrate: no speaker."""
    assert analyze(text).sentences[0].speaker is None


def test_what_narration_is_not():
    """A planned lead, a demand, a characterisation of the talks and a first-person post
    are statements."""
    assert analyze("Wang Yi will lead for China.").sentences[0].speaker == "Wang Yi"
    assert analyze("Xi called for the US to stop arming Taiwan.").sentences[0].speaker == \
        "Xi Jinping"
    assert analyze("Secretary Blinken and Director Wang had a candid conversation.")\
        .sentences[0].speaker == "both sides"
    assert analyze("I had a great call with President Xi.").sentences[0].speaker == \
        "Donald Trump"


@pytest.mark.parametrize("text, speaker", [
    # a Chinese surname spelt like an English word, and a lower-case title after a comma
    ("Ministry of Commerce spokesperson He Yadong said the talks were candid.", "He Yadong"),
    ("An Fengshan, spokesperson for the Taiwan Affairs Office, said it was a provocation.",
     "An Fengshan"),
    ("He said the talks were candid.", None),
    # an apposition between the speaker and the reporting verb
    ("Wang Yi, Member of the Political Bureau of the CPC Central Committee, said China "
     "opposes it.", "Wang Yi"),
    # nobody speaks in a condition: the main clause does
    ("If the US side insists on this path, China will take resolute countermeasures.",
     "Chinese side"),
    # actors joined past their appositions
    ("Wang Yi, Director of the Foreign Affairs Office, and Antony Blinken, US Secretary of "
     "State, agreed to stay in touch.", "both sides"),
])
def test_speakers_past_names_appositions_and_conditions(text, speaker):
    assert analyze(text).sentences[0].speaker == speaker


@pytest.mark.parametrize("text, visit", [
    ("President Biden invited Prime Minister Rossi to visit the White House in July.", True),
    ("The two leaders agreed on reciprocal visits.", True),
    ("Foreign Minister Qin accepted Secretary Blinken's invitation to visit the United States.",
     False),
    ("The two foreign ministers agreed on reciprocal visits.", False),
])
def test_a_state_visit_is_a_leaders(text, visit):
    """TAXONOMY.md: state_visit is a visit by a leader; a prime minister is one, a foreign
    minister is not (their visits are further talks)."""
    assert ("state_visit" in analyze(text).topics) is visit


@pytest.mark.parametrize("text, progress", [
    ("The talks were productive.", True),
    ("No breakthrough yet, but the teams will meet again.", False),
    ("The two sides did not reach an agreement.", False),
    ("Not only did they make progress, they reached a deal.", True),
    ("The President approved an emergency declaration for the state.", False),
])
def test_deliverables_are_outcomes_not_denied_ones(text, progress):
    """A realized frame right after a negation did not happen; approving a declaration is
    no outcome of talks."""
    assert ("deliverables" in analyze(text).frames) is progress


@pytest.mark.parametrize("text, topic, present", [
    ("The two sides agreed to continue their discussions in the coming weeks.",
     "continued_talks", True),
    ("She looks forward to further conversations with the Vice Premier.", "continued_talks",
     True),
    ("The two sides agreed that they would consult on outstanding issues.", "continued_talks",
     True),
    ("The President and the Governor agreed to stay in contact throughout the day.",
     "continued_talks", True),
    ("They reviewed the consensus reached by the two presidents at their meeting in Busan.",
     "leader_meeting", False),
    ("The two presidents will take it up at their next meeting.", "leader_meeting", True),
    ("The two presidents agreed to meet at the G20 summit.", "leader_meeting", True),
])
def test_future_talks_and_the_meetings_where_things_happened(text, topic, present):
    """Talk nouns with a possessive between them and "continue"/"further"; an event after
    "at/during" + a possessive is where something else happened."""
    assert (topic in analyze(text).topics) is present


def test_list_items_take_the_lead_ins_speaker_and_he_the_narrated_subject():
    a = analyze("Secretary Yellen and Governor Yi Gang held a frank discussion that covered:\n"
                "- Recent macroeconomic developments in both countries\n"
                "- Debt relief for low-income countries\n\n"
                "The President was joined by:\n- New York Gov. Ann Park\n")
    assert [s.speaker for s in a.sentences] == ["both sides"] * 3 + [None, None]
    b = analyze("Han Zheng met with Vice President Vance. He said China will open up further.")
    assert [s.speaker for s in b.sentences] == [None, "Han Zheng"]


@pytest.mark.parametrize("text, speaker", [
    ("Vance made clear that President Trump expects Beijing to act.", "JD Vance"),
    ("Vice President-elect JD Vance met Han Zheng. The Vice President-elect made clear that the "
     "US expects action.", "JD Vance"),
    ("Blinken spoke with State Councilor Wang Yi. The Secretary and the State Councilor agreed "
     "to stay in close touch.", "both sides"),
])
def test_made_clear_elect_and_state_councilor(text, speaker):
    assert analyze(text).sentences[-1].speaker == speaker


@pytest.mark.parametrize("text, topics, negated", [
    # an open question is neither asserted nor denied; a new statement ends a denial
    ("The official declined to say whether the President would meet Xi at APEC, and said talks "
     "at the staff level would continue.", ["continued_talks"], []),
    ("Ukraine did not come up, and Xi said talks would continue.", ["continued_talks"],
     ["ukraine"]),
    # a relative clause between the subject and "were not discussed"
    ("Trade matters, which remain the responsibility of the Trade Representative, were not "
     "discussed.", [], ["trade"]),
    ("The Taiwan question, Xi said, was not discussed.", [], ["taiwan"]),
    # who meets: "between" the presidents; a body's in-person meeting is no leaders' meeting
    ("The Secretary said she looked forward to the meeting between President Biden and "
     "President Xi the following day.", ["leader_meeting"], []),
    ("The two sides agreed to hold an in-person meeting of the working group soon.",
     ["continued_talks"], []),
    ("President Trump accepted President Xi's invitation to return to China in 2027.",
     ["state_visit"], []),
])
def test_denials_open_questions_and_who_meets(text, topics, negated):
    a = analyze(text)
    assert sorted(a.topics) == topics and sorted(a.negated_topics) == negated


@pytest.mark.parametrize("text, frame, present", [
    ("The ministries should prepare the visit so that it yields positive outcomes.",
     "deliverables", False),
    ("The talks produced positive outcomes.", "deliverables", True),
    ("China will lift restrictions on imports of American beef.", "grievance", False),
    ("Xi urged the US to lift sanctions on Chinese firms.", "grievance", True),
    ("The US should lift sanctions on Chinese companies.", "grievance", True),
])
def test_aims_and_outcomes_are_not_deliverables_or_demands(text, frame, present):
    """A purpose clause is an aim, not an outcome; lifting restrictions is a demand only when
    asked for."""
    assert (frame in analyze(text).frames) is present


@pytest.mark.parametrize("text, speakers", [
    ("Cai Qi, Wang Yi and He Lifeng were present at the talks.", [None]),
    ("The leaders did not discuss export controls, which the President has said are not on "
     "the table. Biden met Xi.", ["both sides", None]),
    ("Thank you, President Xi!", [None]),
    ("Wang Yi said the visit matters. President Xi Jinping's upcoming visit is a major event.",
     ["Wang Yi", "Wang Yi"]),
])
def test_no_speaker_in_a_relative_clause_a_vocative_or_a_possessive(text, speakers):
    assert [s.speaker for s in analyze(text).sentences] == speakers
