"""Red-line extraction (issue 11): statements from the sample article, dev sentences written for
these tests, look-alikes that are no red line, vague triggers, users' word files, the pipeline.

The dev sentences here are the project's own (the labelled set of data/redlines is a test set
and is only measured, by bench/redlines_eval.py)."""
from __future__ import annotations

import pytest

from redline.redlines import Statement, extract_text
from redline.redlines.extract import Extractor, RedlineWordsError, load_words
from redline.schema import Document

PUBLISHED = "2024-03-21"


def _one(statements: list[Statement]) -> Statement:
    assert len(statements) == 1, [s.to_dict() for s in statements]
    return statements[0]


# -- acceptance: the sample article -----------------------------------------------------------
@pytest.fixture(scope="module")
def kremlin(shared, coder):
    text = (shared / "samples" / "kremlin-warning.txt").read_text(encoding="utf-8")
    events, statements = coder.code_text_with_redlines(text, date=PUBLISHED, doc_id="kremlin-warning")
    return text, events, statements


def _foreign_troops_in_ukraine(st: Statement) -> bool:
    t = st.trigger
    foreign = "RUS" in t.exclude or set(t.actors) & {"WST", "FRA", "EUR", "IGOEUREEC", "EU"}
    return bool(foreign) and "RUS" not in t.actors and "MOBILIZE" in t.types and t.places == ["UKR"] \
        and t.sector == "MIL"


def test_the_kremlins_red_line_is_foreign_troops_in_ukraine(kremlin):
    text, events, statements = kremlin
    first = next(s for s in statements if "dispatching foreign military personnel" in s.evidence)
    assert first.declarer.country == "RUS"
    assert _foreign_troops_in_ukraine(first), first.trigger
    assert first.consequence.severity in ("unspecified", "military")
    assert first.stance == "declared" and first.date == PUBLISHED
    threat = next(e for e in events if e.event_id == first.event_id)  # linked to its THREATEN event
    assert threat.cameo_root == "13" and threat.sentence_index == first.sentence_index
    assert text[first.span[0]:first.span[1]] == first.evidence
    assert "foreign" in first.explanation and "UKR" in first.explanation


def test_putins_restatement_is_the_same_red_line_redefined(kremlin):
    _, events, statements = kremlin
    first = next(s for s in statements if "dispatching foreign military personnel" in s.evidence)
    putin = next(s for s in statements if "redefining its own thresholds" in s.evidence)
    assert putin.declarer.country == "RUS" and putin.declarer.name == "Vladimir Putin"
    assert putin.redline_key == first.redline_key  # the ledger merges them
    assert putin.stance in ("redefined", "declared")
    assert putin.addressee is not None and putin.addressee.country == "WST"
    assert "such a course" in putin.trigger.text and "refers back to" in putin.explanation
    assert any(e.event_id == putin.event_id and e.cameo_root == "13" for e in events)


def test_no_red_line_from_the_sample_s_commentary(kremlin):
    """Analysts, observers, Putin's forecast that EU troops would not alter the battlefield, and
    the SVR's claim (an act reported, no threat) declare no red line."""
    _, _, statements = kremlin
    for words in ("Security analysts", "Observers warn", "would not alter the battlefield",
                  "Foreign Intelligence Service"):
        assert not any(words in s.evidence for s in statements), words
    assert all(s.declarer.country == "RUS" for s in statements)


# -- dev sentences ------------------------------------------------------------------------------
def test_a_conditional_sanction_threat(coder):
    st = _one(extract_text("Beijing said it would impose sanctions on American firms if Washington sold "
                           "more weapons to Taiwan.", date=PUBLISHED, coder=coder))
    assert st.declarer.country == "CHN"
    assert st.trigger.actors == ["USA"] and st.trigger.types == ["AID"] and st.trigger.targets == ["TWN"]
    assert (st.consequence.type, st.consequence.cameo, st.consequence.severity) == ("COERCE", "163", "economic")


def test_legitimate_targets_is_a_military_red_line(coder):
    st = _one(extract_text("Russia's defence ministry said any Western aircraft supplying weapons to Ukraine "
                           "would be considered legitimate targets.", date=PUBLISHED, coder=coder))
    assert st.declarer.country == "RUS" and st.trigger.actors == ["WST"]
    assert st.trigger.types == ["AID"] and st.trigger.targets == ["UKR"]
    assert st.consequence.severity == "military" and st.consequence.type == "ASSAULT"


def test_strikes_on_its_territory_target_the_declarer(coder):
    st = _one(extract_text("North Korea said it would regard any strike on its territory as a declaration "
                           "of war.", date=PUBLISHED, coder=coder))
    assert st.declarer.country == "PRK"
    assert st.trigger.types == ["ASSAULT"] and st.trigger.targets == ["PRK"]
    assert st.consequence.severity == "military"


def test_will_not_tolerate_names_the_trigger(coder):
    st = _one(extract_text("Erdogan said Turkey would not tolerate any Kurdish militia presence in northern "
                           "Syria.", date=PUBLISHED, coder=coder))
    assert st.declarer.country == "TUR" and st.trigger.places == ["SYR"] and st.trigger.types == ["MOBILIZE"]


def test_retaliation_against_any_strike(coder):
    st = _one(extract_text("Iran's foreign minister warned that Tehran would retaliate against any Israeli "
                           "strike on its nuclear facilities.", date=PUBLISHED, coder=coder))
    assert st.declarer.country == "IRN" and st.trigger.actors == ["ISR"]
    assert st.trigger.types == ["ASSAULT"] and st.trigger.targets == ["IRN"]


def test_who_would_face_consequences_is_warned_not_warning(coder):
    st = _one(extract_text("Erdogan said Damascus would face consequences if Syrian troops entered Afrin.",
                           date=PUBLISHED, coder=coder))
    assert st.declarer.country == "TUR"
    assert st.addressee is not None and st.addressee.country == "SYR"


def test_warned_against_an_act_names_the_warned_as_its_doer(coder):
    st = _one(extract_text("Russia warned Finland against joining NATO.", date=PUBLISHED, coder=coder))
    assert st.declarer.country == "RUS" and st.addressee.country == "FIN"
    assert st.trigger.actors == ["FIN"] and st.trigger.targets == ["IGOWSTNAT"] and st.trigger.types == ["COOPERATE"]


def test_in_the_event_of_opens_a_condition(coder):
    st = _one(extract_text("Moscow said that in the event of an attack on its territory by NATO, Russia will "
                           "respond with all means.", date=PUBLISHED, coder=coder))
    assert st.declarer.country == "RUS" and st.trigger.actors == ["IGOWSTNAT"]
    assert st.trigger.types == ["ASSAULT"] and st.trigger.targets == ["RUS"]


def test_the_responders_own_forces_are_no_trigger(coder):
    """"In the case of a threat to our servicemen, the Russian armed forces will take response
    measures": the forces respond; the threat to the servicemen would set them off."""
    st = _one(extract_text("In the case of a threat to the lives of our servicemen, the Russian armed forces will "
                           "take response measures, he said.", date=PUBLISHED, coder=coder))
    assert st.declarer.country == "RUS"
    assert st.trigger.text.startswith("a threat to the lives") and "forces" not in st.trigger.text
    assert st.consequence.text.startswith("will take response measures")


def test_an_act_announced_on_a_condition_is_its_consequence(coder):
    text = "Israel will strike Iran's nuclear sites if Tehran enriches uranium to weapons grade, the minister said."
    events, statements = coder.code_text_with_redlines(text, date=PUBLISHED)
    st = _one(statements)
    assert st.declarer.country == "ISR" and st.trigger.actors == ["IRN"]
    assert (st.consequence.type, st.consequence.severity) == ("ASSAULT", "military")
    act = next(e for e in events if e.event_id == st.event_id)
    assert act.cameo_root == "19" and act.modality in ("future", "hypothetical")


def test_a_pronoun_doer_of_the_condition_is_resolved(coder):
    st = _one(extract_text("The White House warned that Russia would pay a heavy price if it invaded Ukraine.",
                           date=PUBLISHED, coder=coder))
    assert st.declarer.country == "USA" and st.addressee.country == "RUS"
    assert st.trigger.actors == ["RUS"] and st.trigger.types == ["ASSAULT"] and st.trigger.targets == ["UKR"]


@pytest.mark.parametrize("text", [
    "Ankara said its troops would move into Idlib unless the rebels withdrew from the town.",
    "Ankara said its troops would move into Idlib if the rebels failed to withdraw from the town.",
])
def test_not_complying_is_a_reject_trigger(coder, text):
    st = _one(extract_text(text, date=PUBLISHED, coder=coder))
    assert st.declarer.country == "TUR"
    assert st.trigger.types == ["REJECT"] and st.trigger.places == [] and st.trigger.targets == []
    assert "not complying" in st.explanation


def test_armed_forces_responding_is_a_military_response(coder):
    st = _one(extract_text("Seoul warned that the army would respond if any drone crossed the border again.",
                           date=PUBLISHED, coder=coder))
    assert st.declarer.country == "KOR" and st.consequence.severity == "military"
    assert "armed forces" in st.explanation


def test_who_would_not_tolerate_declares_not_who_knew_it(coder):
    st = _one(extract_text("Washington must have known that Turkey would never tolerate a Kurdish state on its "
                           "southern border.", date=PUBLISHED, coder=coder))
    assert st.declarer.country == "TUR"


def test_any_object_of_a_coercive_response_is_the_trigger(coder):
    st = _one(extract_text("Tehran said its navy would sink any foreign warship that entered its waters.",
                           date=PUBLISHED, coder=coder))
    assert st.declarer.country == "IRN" and st.trigger.exclude == ["IRN"] and st.trigger.sector == "MIL"
    assert st.trigger.text == "any foreign warship that entered its waters"
    assert (st.consequence.type, st.consequence.severity) == ("ASSAULT", "military")
    assert extract_text("The minister said the government would welcome any proposal from the opposition.",
                        date=PUBLISHED, coder=coder) == []


def test_an_attack_in_a_country_is_an_attack_on_it(coder):
    st = _one(extract_text("Washington warned that any attack by Iranian-backed militias in Iraq would draw a "
                           "military response.", date=PUBLISHED, coder=coder))
    assert st.declarer.country == "USA" and st.trigger.types == ["ASSAULT"]
    assert st.trigger.targets == ["IRQ"] and st.trigger.places == []


# -- vague triggers ------------------------------------------------------------------------------
def test_such_a_step_resolves_to_the_act_told_before(coder):
    st = _one(extract_text("NATO is considering sending instructors to Ukraine. The Kremlin said such a step "
                           "would draw a response from Moscow.", date=PUBLISHED, coder=coder))
    assert st.declarer.country == "RUS" and st.sentence_index == 1
    assert st.trigger.text == "such a step"
    assert st.trigger.types == ["MOBILIZE"] and st.trigger.places == ["UKR"] and st.trigger.sector == "MIL"
    assert st.trigger.actors == ["IGOWSTNAT"]
    assert "refers back to 'sending instructors to Ukraine' (sentence 0" in st.explanation


def test_a_vague_trigger_with_nothing_told_before_is_no_red_line(coder):
    assert extract_text("The Kremlin said such a step would draw a response from Moscow.",
                        date=PUBLISHED, coder=coder) == []


# -- look-alikes ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Forecasters warned that the typhoon would bring heavy rain to Manila on Friday.",             # nature
    "The government warned that the hurricane would cause serious damage if it reached the coast.",  # nature
    "Analysts warned that any escalation by Russia would provoke a response from European markets.",  # analysts
    "Russia did not threaten to respond if Finland joined NATO.",                                  # negated
    "The EU promised more aid to Ukraine if Kyiv carried out reforms.",                            # an offer
    "If it rains tomorrow, the match would be postponed.",                                         # hypothetical
    "The EU remains supportive of the nuclear deal, even if it criticises Iran's missile programme.",  # concession
    "Moscow threatened to respond with force.",                                                    # no condition
    "The army will attack the rebels tomorrow.",                                                   # no condition
    "Russia said it would not retaliate if Finland joined NATO.",                                  # no threat
    "Washington said it would lift sanctions on Caracas if the opposition candidate were allowed to run.",  # offer
    "Would Moscow respond if Kyiv struck the bridge again?",                                      # a question
    "Officials in Dublin said any hard border on the island was a red line in the Brexit talks.",   # negotiation
    "Health officials warned that the virus could spread to neighbouring countries if it mutated.",  # nature
    "The US embassy warned American citizens against travelling to the border region.",            # advice
    "The envoy said that if the security situation kept improving, the mission would close its offices.",  # no party
    "Erdogan threatened to destroy all terror nests along the southern border.",                   # no condition
    "If the rebels resist, the army could well resort to chemical weapons.",                        # a guess
    "If I had stayed in Ghouta, they would have killed me, the refugee said.",                      # counterfactual
    "He claimed any delay could be used by the West to destroy the evidence.",                      # another's act
    "Once the situation is calmer, the US would leave and UN peacekeepers would carry on, he said.",  # no threat
])
def test_look_alikes_are_no_red_line(coder, text):
    assert extract_text(text, date=PUBLISHED, coder=coder) == []


def test_a_past_declaration_is_dated_when_it_was_made(coder):
    """A threat reported as made long ago is still a red line, declared then."""
    st = _one(extract_text("In 1962, Moscow warned that any American attack on Cuba would mean war.",
                           date=PUBLISHED, coder=coder))
    assert st.declarer.country == "RUS" and st.trigger.targets == ["CUB"] and st.consequence.severity == "military"
    assert st.date.startswith("1962")


# -- users' word files ---------------------------------------------------------------------------
def test_a_users_word_file_adds_a_consequence(coder, tmp_path):
    text = "Moscow said any Western troops in Ukraine would feel the wrath of Russia."
    assert extract_text(text, date=PUBLISHED, coder=coder) == []
    mine = tmp_path / "mine.yaml"
    mine.write_text("consequences:\n  - {words: [wrath], type: ASSAULT, cameo: '190', severity: military}\n",
                    encoding="utf-8")
    from redline.pipeline import Coder
    custom = Coder(nlp=coder.nlp, actors=coder.actors, predicates=coder.predicates, classifier=coder.classifier,
                   redline_words=[str(mine)])
    st = _one(extract_text(text, date=PUBLISHED, coder=custom))
    assert st.consequence.severity == "military" and st.trigger.actors == ["WST"] and st.trigger.places == ["UKR"]


@pytest.mark.parametrize("body, field", [
    ("target_preps: [on]\n", "target_preps[0]"),             # YAML's bare on is true, not a word
    ("acts:\n  - {words: [raid], type: NOTATYPE, cameo: '190'}\n", "acts[0]"),
    ("acts:\n  - {words: [raid], type: AID, cameo: '190'}\n", "acts[0]"),   # 190 is ASSAULT in the table
    ("consequences:\n  - {words: [doom], severity: apocalyptic}\n", "consequences[0]"),
    ("colours: [red]\n", "colours"),
])
def test_a_bad_word_file_names_its_file_and_field(tmp_path, body, field):
    bad = tmp_path / "bad.yaml"
    bad.write_text(body, encoding="utf-8")
    with pytest.raises(RedlineWordsError) as err:
        load_words([bad])
    assert str(bad) in str(err.value) and field in str(err.value)


# -- the pipeline --------------------------------------------------------------------------------
def test_code_documents_gives_statements_with_the_same_events(coder, shared):
    text = (shared / "samples" / "kremlin-warning.txt").read_text(encoding="utf-8")
    docs = [Document("a", text, date=None), Document("b", "Russia attacked Ukraine.", date=None)]
    plain = list(coder.code_documents(docs))
    both = list(coder.code_documents(docs, redlines=True))
    assert [len(p) for p in plain] == [2, 2] and [len(b) for b in both] == [3, 3]
    assert [[e.to_dict() for e in p[1]] for p in plain] == [[e.to_dict() for e in b[1]] for b in both]
    assert len(both[0][2]) >= 2 and both[1][2] == []
    assert all(s.date is None for s in both[0][2])  # no publication date, no date in the text


def test_a_long_text_coded_in_pieces_keeps_statements_in_place(coder):
    from redline import nlp as nlp_module
    filler = "The committee met on Tuesday to discuss the budget of the regional library. " * 700
    threat = "Beijing said it would impose sanctions on American firms if Washington sold more weapons to Taiwan."
    text = filler + threat
    assert len(text) > nlp_module.PIECE_CHARS
    events, statements = coder.code_text_with_redlines(text, date=PUBLISHED)
    st = _one(statements)
    assert text[st.span[0]:st.span[1]] == threat == st.evidence
    assert any(e.event_id == st.event_id and e.sentence_index == st.sentence_index for e in events)


def test_the_extractor_reads_a_parse_it_is_given(coder):
    """No second parse: the extractor works on the coder's parse and actor scan."""
    from redline.actors import DocActors
    text = "Moscow warned that any deployment of NATO troops to Ukraine would be met with a military response."
    doc = coder.nlp(text)
    document = Document("x", text)
    events = coder.code_parsed(document, doc)
    st = _one(Extractor(coder.predicates).extract(document, doc, events, DocActors(doc, coder.actors, None)))
    assert st.trigger.actors == ["IGOWSTNAT"] and st.trigger.places == ["UKR"]
    assert st.consequence.severity == "military"
