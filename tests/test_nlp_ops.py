"""The inference-only maxout and layer norm (redline.nlp_ops) give thinc's numbers exactly."""
from __future__ import annotations

from pathlib import Path

import numpy
import pytest
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG
from thinc.api import LayerNorm, Maxout, NumpyOps, use_ops

from redline import nlp
from redline.nlp_ops import RedlineOps, install

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ANNOTATIONS = [TAG, POS, DEP, HEAD, LEMMA, ENT_IOB, ENT_TYPE, MORPH, SENT_START]


def test_the_pipeline_runs_on_the_inference_ops():
    pipeline = nlp.load()
    assert isinstance(pipeline.get_pipe("tok2vec").model.ops, RedlineOps)
    assert isinstance(pipeline.get_pipe("ner").model.ops, RedlineOps)
    norms = [n for n in pipeline.get_pipe("tok2vec").model.walk() if n.name == "layernorm"]
    assert norms and all(n.attrs.get("redline_inference") for n in norms)


def test_parses_are_bit_for_bit_thincs():
    """Every annotation and the context vectors of the bundled articles, against plain thinc."""
    texts = [p.read_text("utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    assert len(texts) >= 10
    fast = list(nlp.load().pipe(texts))
    plain = list(nlp.load(fast_ops=False).pipe(texts))
    assert not isinstance(nlp.load(fast_ops=False).get_pipe("tok2vec").model.ops, RedlineOps)
    for a, b in zip(fast, plain):
        assert numpy.array_equal(a.to_array(ANNOTATIONS), b.to_array(ANNOTATIONS))
        assert a.tensor.dtype == b.tensor.dtype and a.tensor.tobytes() == b.tensor.tobytes()
        assert [(e.start, e.end, e.label_) for e in a.ents] == [(e.start, e.end, e.label_) for e in b.ents]


@pytest.mark.parametrize("pieces", [2, 3, 4])
def test_maxout_keeps_the_largest_piece_and_the_winners_on_demand(pieces):
    X = numpy.random.default_rng(pieces).normal(size=(257, 96, pieces)).astype("float32")
    X[0, 0, :] = 1.5  # a tie: thinc's winner is the first
    best, which = NumpyOps().maxout(X)
    fast_best, lazy = RedlineOps().maxout(X)
    assert numpy.array_equal(best, fast_best)
    dY = numpy.random.default_rng(0).normal(size=best.shape).astype("float32")
    assert numpy.array_equal(RedlineOps().backprop_maxout(dY, lazy, pieces), NumpyOps().backprop_maxout(dY, which, pieces))


def test_layers_still_train_through_the_fast_forward():
    """A backward pass (training) takes thinc's own path, so gradients are thinc's."""
    with use_ops(RedlineOps.name):
        model = Maxout(nO=8, nI=12, nP=3, normalize=True)
    X = numpy.random.default_rng(1).normal(size=(20, 12)).astype("float32")
    model.initialize(X=X)
    install(model)
    Y_infer = model.predict(X)
    Y_train, backprop = model.begin_update(X)
    assert numpy.array_equal(Y_infer, Y_train)
    assert backprop(numpy.ones_like(Y_train)).shape == X.shape


def test_an_inference_layer_norm_refuses_a_backward_pass():
    with use_ops(RedlineOps.name):
        model = LayerNorm(nI=4)
    X = numpy.arange(12, dtype="float32").reshape(3, 4)
    model.initialize(X=X)
    install(model)
    Y, backprop = model(X, is_train=False)
    mu, var = X.mean(axis=1, keepdims=True), X.var(axis=1, keepdims=True) + 1e-08
    assert numpy.array_equal(Y, (X - mu) * var ** -0.5)
    with pytest.raises(NotImplementedError, match="inference only"):
        backprop(Y)
