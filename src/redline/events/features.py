"""What the sentence classifier sees: words, the clause's verbs and their objects, the lexicon's
own candidate codes, negation and modal cues, and the parser's context vectors.

Names are left out on purpose (no PROPN lemmas): a classifier that learns "Israel -> assault"
from training text would code the news by who is in it rather than what they did.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
from spacy.tokens import Span

CONTENT_POS = {"NOUN", "VERB", "ADJ", "ADV"}
OBJECT_DEPS = {"dobj", "attr", "oprd", "nsubjpass", "xcomp", "ccomp"}
MODAL_WORDS = {"would", "could", "might", "may", "will", "should", "must", "can"}
NEGATION = {"not", "n't", "never", "no"}


def sentence_features(sent: Span, lexicon_codes: Iterable[str] = ()) -> list[str]:
    """Sparse binary features of one sentence, as strings."""
    feats: set[str] = set()
    prev = None
    for tok in sent:
        if tok.is_punct or tok.is_space or tok.like_num:
            prev = None
            continue
        lemma = tok.lemma_.lower()
        if tok.pos_ in CONTENT_POS and not tok.is_stop:
            feats.add(f"w={lemma}")
            if prev is not None:
                feats.add(f"b={prev}_{lemma}")
            prev = lemma
        else:
            prev = None
        if tok.pos_ == "VERB":
            feats.add(f"v={lemma}")
            if tok.dep_ == "ROOT":
                feats.add(f"root={lemma}")
            for child in tok.children:
                if child.dep_ in OBJECT_DEPS and child.pos_ != "PROPN":
                    feats.add(f"vo={lemma}_{child.lemma_.lower()}")
                elif child.dep_ in ("prep", "agent", "dative") and child.pos_ == "ADP":
                    feats.add(f"vp={lemma}_{child.lower_}")
                    for g in child.children:
                        if g.dep_ == "pobj" and g.pos_ != "PROPN":
                            feats.add(f"vpo={lemma}_{child.lower_}_{g.lemma_.lower()}")
                elif child.dep_ == "prt":
                    feats.add(f"vprt={lemma}_{child.lower_}")
                elif child.dep_ == "neg" or child.lower_ in NEGATION:
                    feats.add(f"neg={lemma}")
                    feats.add("neg")
                elif child.dep_ == "aux" and child.lower_ in MODAL_WORDS:
                    feats.add(f"modal={child.lower_}")
            if tok.dep_ == "auxpass" or any(c.dep_ == "auxpass" for c in tok.children):
                feats.add("passive")
        if tok.ent_type_:
            feats.add(f"ent={tok.ent_type_}")
    for code in lexicon_codes:
        feats.add(f"lex={code[:2]}")
        feats.add(f"lexcode={code}")
    if not lexicon_codes:
        feats.add("lex=none")
    return sorted(feats)


def sentence_vector(sent: Span, tensor: np.ndarray | None = None) -> np.ndarray:
    """Mean of the parser's context vectors over the sentence's words (free: already computed).
    Pass the document's ``tensor`` when calling for many sentences of it (fetching it copies)."""
    tensor = sent.doc.tensor if tensor is None else tensor
    if tensor is None or not len(tensor):
        return np.zeros(0, dtype=np.float32)
    rows = tensor[sent.start:sent.end]
    return rows.mean(axis=0).astype(np.float32) if len(rows) else np.zeros(tensor.shape[1], dtype=np.float32)
