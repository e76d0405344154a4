"""The pipeline: Documents -> spaCy parse -> actors -> events. It only composes the stages."""
from __future__ import annotations

import gc
from collections import Counter, deque
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from typing import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from . import nlp as nlp_module
from .actors import ActorLexicon, DocActors
from .actors import builtin as builtin_actors
from .events import PredicateLexicon, SentenceCoder
from .events import builtin as builtin_predicates
from .events.classifier import SentenceClassifier, builtin_classifier
from .events.coder import Arbitration
from .events.placing import dateline_place
from .ingest import parse_publication_date
from .when.expressions import warm as warm_dates
from .ingest.normalise import mask_dateline
from .redlines.extract import Extractor, load_words
from .redlines.record import Statement
from .schema import Document, Event

Coded = tuple[list[Event], list[Statement]]  # a document's events and its red-line statements
BATCH_DOCS = 32        # documents per parse batch
BATCH_WORDS = 8_000    # words per parse batch: the parse holds about 20 kB a word while it runs (a worker peaks at
                       # 511 MB with 12,000, 442 MB with 8,000, at the same speed)
TAIL_BATCHES = 4       # the input's last batches, cut smaller so that workers finish together


def _moved(location: dict | None, offset: int) -> dict | None:
    """A location dict with its character span moved by ``offset`` (a piece of a long text)."""
    if not location or location.get("start") is None or location.get("source") == "dateline" and offset:
        return location
    return {**location, "start": location["start"] + offset, "end": location["end"] + offset}


def _dateline_places(document: Document, doc: Doc, events: list[Event]) -> list[Event]:
    """Events placed by the wire dateline ("KYIV, March 3 (Reuters) -") when neither their clause
    nor their sentence says where, and their sentence names no place of its own."""
    if all(e.location is not None for e in events):
        return events
    line = dateline_place(document.text)
    if line is None:
        return events
    named = {i for i, sent in enumerate(doc.sents) if any(ent.label_ in ("GPE", "LOC", "FAC") for ent in sent.ents)}
    return [replace(e, location=dict(line)) if e.location is None and e.sentence_index not in named else e
            for e in events]


@dataclass
class Coder:
    """Codes documents into events. Build once, reuse: the model and tables load once.

    >>> coder = Coder()                                                    # doctest: +SKIP
    >>> events = coder.code_text("Russia attacked Ukraine.", date="2022-02-24")  # doctest: +SKIP
    """

    nlp: Language | None = None
    actors: ActorLexicon | None = None
    predicates: PredicateLexicon | None = None
    classifier: SentenceClassifier | None = None
    use_classifier: bool = True
    arbitration: Arbitration = Arbitration()
    batch_size: int = BATCH_DOCS
    batch_words: int = BATCH_WORDS
    on_piece: Callable[[Document, int, int], None] | None = None  # (document, characters done, of) for long texts
    redline_words: list[str] | None = None  # users' red-line word files (redlines/data/redlines.yaml format)

    def __post_init__(self) -> None:
        self.nlp = self.nlp or nlp_module.load()
        self.actors = self.actors or builtin_actors()
        self.predicates = self.predicates or builtin_predicates()
        if not self.use_classifier:
            self.classifier = None
        elif self.classifier is None:
            self.classifier = builtin_classifier()
        self._extractor: Extractor | None = None

    @property
    def extractor(self) -> Extractor:
        """The red-line extractor, built on first use (with the coder's predicate lexicon)."""
        if self._extractor is None:
            words = load_words(self.redline_words) if self.redline_words else None
            self._extractor = Extractor(self.predicates, words)
        return self._extractor

    def warm(self) -> None:
        """Load now every table the coder otherwise loads on first use (towns, date patterns,
        red-line words, ...) by coding a short text written for this: a process that forks
        workers after this shares those tables with them instead of each loading its own.
        Best effort: a warm-up that fails costs nothing but the saving (the tables then load
        when first used, where the real documents report what is wrong)."""
        text = (resources.files("redline") / "data" / "warmup.txt").read_text("utf-8")
        try:
            self.code_parsed_with_redlines(Document("warm-up", text, date(2024, 3, 4)), self.nlp(text))
            warm_dates()  # (what no short text is sure to reach: dates the patterns leave to dateparser)
        except Exception:  # noqa: BLE001 - see above
            pass

    def code_parsed(self, document: Document, doc: Doc) -> list[Event]:
        """Events of one already-parsed document."""
        return self.code_parsed_with_redlines(document, doc, redlines=False)[0]

    def code_parsed_with_redlines(self, document: Document, doc: Doc, redlines: bool = True) -> Coded:
        """Events and red-line statements of one already-parsed document (one parse, one actor
        scan for both; no statements when ``redlines`` is false)."""
        actors = DocActors(doc, self.actors, document.date, text=document.text)
        coder = SentenceCoder(self.predicates, actors, document.id, document.date, self.classifier,
                              self.arbitration)
        events: list[Event] = []
        for index, sent in enumerate(doc.sents):
            events.extend(coder.code_sentence(sent, index))
        events = _dateline_places(document, doc, events)
        statements = self.extractor.extract(document, doc, events, actors) if redlines else []
        return events, statements

    def code_documents(self, documents: Iterable[Document], n_process: int = 1,
                       on_error: Callable[[Document, Exception], None] | None = None,
                       redlines: bool = False) -> Iterator[tuple]:
        """(document, events) for each document, parsing in batches of at most ``batch_size``
        documents and ``batch_words`` words (the parser's memory grows with the words in a batch).
        Publications of one text in a batch share its parse; each is coded with its own date.

        A text longer than ``nlp.PIECE_CHARS`` is parsed and coded piece by piece. With
        ``on_error``, a document whose coding raises is handed to it and skipped, and the others
        are still coded; without it the error propagates.

        With ``redlines=True`` it yields (document, events, statements): the red-line statements
        (``redline.redlines.Statement``) read from the same parse."""
        pairs = ((mask_dateline(d.text), d) for d in documents)
        for batch in _batches(pairs, self.batch_size, self.batch_words):
            for document, (events, statements) in self._code_batch(batch, n_process, on_error, redlines):
                yield (document, events, statements) if redlines else (document, events)
            _release_batch()

    def _code_batch(self, batch: list[tuple[str, Document]], n_process: int,
                    on_error: Callable[[Document, Exception], None] | None,
                    redlines: bool = False) -> Iterator[tuple[Document, Coded]]:
        if len(batch) == 1 and len(batch[0][0]) > nlp_module.PIECE_CHARS:  # coded alone, in pieces
            yield from self._code_each(batch, {}, on_error, redlines)
            return
        # parse each distinct text once, streaming: a parse is coded as it arrives and kept only
        # while another publication of its text is still to come in the batch
        texts = list(dict.fromkeys(text for text, _ in batch))
        remaining = Counter(text for text, _ in batch)
        docs: Iterator[Doc] | None = None
        kept: dict[str, Doc] = {}
        for at, (text, document) in enumerate(batch):
            if text not in kept:
                try:
                    if docs is None:
                        docs = iter(self.nlp.pipe(texts, batch_size=len(texts), n_process=n_process))
                    kept[text] = next(docs)
                except Exception:
                    if on_error is None:
                        raise
                    for one in batch[at:]:  # find the one that fails: the rest parsed one by one
                        yield from self._code_alone(one, on_error, redlines)
                    return
            doc = kept[text]
            remaining[text] -= 1
            if not remaining[text]:
                del kept[text]
            yield from self._code_each([(text, document)], {text: doc}, on_error, redlines)

    def _code_alone(self, one: tuple[str, Document], on_error: Callable[[Document, Exception], None],
                    redlines: bool = False) -> Iterator[tuple[Document, Coded]]:
        """One document parsed on its own (after its batch failed to parse): coded, or reported."""
        text, document = one
        try:
            doc = self.nlp(text)
        except Exception as error:
            on_error(document, error)
            return
        yield from self._code_each([one], {text: doc}, on_error, redlines)

    def _code_each(self, items: list[tuple[str, Document]], parsed: dict[str, Doc],
                   on_error: Callable[[Document, Exception], None] | None,
                   redlines: bool = False) -> Iterator[tuple[Document, Coded]]:
        """Code documents from their parses (a text without one is coded in pieces)."""
        for text, document in items:
            try:
                doc = parsed.get(text)
                if doc is None:
                    coded = self._code_long_with_redlines(document, text, redlines)
                else:  # (without red lines through code_parsed: the one entry point of coding)
                    coded = self.code_parsed_with_redlines(document, doc) if redlines \
                        else (self.code_parsed(document, doc), [])
            except Exception as error:
                if on_error is None:
                    raise
                on_error(document, error)
                continue
            yield document, coded

    def _code_long(self, document: Document, masked: str) -> list[Event]:
        """Events of a (long) document coded piece by piece, with offsets into the whole text."""
        return self._code_long_with_redlines(document, masked, redlines=False)[0]

    def _code_long_with_redlines(self, document: Document, masked: str, redlines: bool) -> Coded:
        """Events (and red-line statements) of a long document coded piece by piece, with
        sentence indices and offsets into the whole text."""
        events: list[Event] = []
        statements: list[Statement] = []
        sentences = 0
        for start, end in nlp_module.pieces(masked, nlp_module.PIECE_CHARS):
            doc = self.nlp(masked[start:end])
            piece = replace(document, text=document.text[start:end])
            piece_events, piece_statements = self.code_parsed_with_redlines(piece, doc) if redlines \
                else (self.code_parsed(piece, doc), [])
            ids: dict[str, str] = {}
            for e in piece_events:
                moved = replace(e, sentence_index=e.sentence_index + sentences,
                                span=(e.span[0] + start, e.span[1] + start), location=_moved(e.location, start))
                ids[e.event_id] = moved.event_id
                events.append(moved)
            for s in piece_statements:
                statements.append(replace(s, sentence_index=s.sentence_index + sentences,
                                          span=(s.span[0] + start, s.span[1] + start),
                                          event_id=ids.get(s.event_id, s.event_id) if s.event_id else None))
            sentences += sum(1 for _ in doc.sents)
            if self.on_piece is not None:
                self.on_piece(document, end, len(masked))
        return events, statements

    def code_text(self, text: str, date: date | str | None = None, doc_id: str = "text") -> list[Event]:
        """Events of one text published on ``date``."""
        if isinstance(date, str):
            date = parse_publication_date(date)
        document = Document(id=doc_id, text=text, date=date)
        masked = mask_dateline(text)
        if len(masked) > nlp_module.PIECE_CHARS:
            return self._code_long(document, masked)
        return self.code_parsed(document, self.nlp(masked))

    def code_text_with_redlines(self, text: str, date: date | str | None = None, doc_id: str = "text") -> Coded:
        """Events and red-line statements of one text published on ``date``."""
        if isinstance(date, str):
            date = parse_publication_date(date)
        document = Document(id=doc_id, text=text, date=date)
        masked = mask_dateline(text)
        if len(masked) > nlp_module.PIECE_CHARS:
            return self._code_long_with_redlines(document, masked, redlines=True)
        return self.code_parsed_with_redlines(document, self.nlp(masked))


def _release_batch() -> None:
    """Free what a parsed batch left in reference cycles (spaCy's parser keeps each batch's
    precomputed hidden layer, megabytes per thousand words, in one): at once, where the model
    and tables are frozen (``gc.freeze``, as the engines do) and a collection costs next to
    nothing; otherwise the collector's own schedule frees it later (a full collection over an
    unfrozen model costs a twentieth of a second)."""
    if gc.get_freeze_count():
        gc.collect()


def batches(documents: Iterable[Document], max_docs: int = BATCH_DOCS,
            max_words: int = BATCH_WORDS) -> Iterator[list[Document]]:
    """``documents`` in the batches :meth:`Coder.code_documents` parses them in (at most
    ``max_docs`` documents and ``max_words`` words; a long text alone). An engine that hands these
    batches to worker processes has each parsed exactly as one process parses it, so the output
    is the same whatever the number of workers.

    The last ``TAIL_BATCHES`` batches' documents come in batches a quarter the size: workers
    that run out of input together do not wait on one long last batch (on 400 documents, 13
    batches on two cores, the last one held a core alone for a second)."""
    ahead: deque[list] = deque()
    for batch in _batches(((mask_dateline(d.text), d) for d in documents), max_docs, max_words):
        ahead.append(batch)
        if len(ahead) > TAIL_BATCHES:
            yield [document for _, document in ahead.popleft()]
    if len(ahead) == 1 and len(ahead[0]) < max_docs:  # a short input stays one batch (and one process)
        yield [document for _, document in ahead[0]]
        return
    small = max(1, max_docs // 4)
    for batch in _batches((pair for batch in ahead for pair in batch), small, max(1, max_words // 4)):
        yield [document for _, document in batch]


def _batches(pairs: Iterable[tuple[str, Document]], max_docs: int, max_words: int) -> Iterator[list]:
    batch: list = []
    words = 0
    for text, document in pairs:
        n = text.count(" ") + 1
        long = len(text) > nlp_module.PIECE_CHARS  # coded alone, in pieces
        if batch and (len(batch) >= max_docs or words + n > max_words or long):
            yield batch
            batch, words = [], 0
        batch.append((text, document))
        words += n
        if long:
            yield batch
            batch, words = [], 0
    if batch:
        yield batch


_default: Coder | None = None


def default_coder() -> Coder:
    global _default
    if _default is None:
        _default = Coder()
    return _default


def code(text: str, date: date | str | None = None, doc_id: str = "text") -> list[Event]:
    """Code one article: ``redline.code(text, date="2024-03-21")`` -> list of Event."""
    return default_coder().code_text(text, date=date, doc_id=doc_id)
