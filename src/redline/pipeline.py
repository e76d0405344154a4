"""The pipeline: Documents -> spaCy parse -> actors -> events. It only composes the stages."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
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
from .ingest import parse_publication_date
from .ingest.normalise import mask_dateline
from .schema import Document, Event


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
    batch_size: int = 32
    batch_words: int = 12_000
    on_piece: Callable[[Document, int, int], None] | None = None  # (document, characters done, of) for long texts

    def __post_init__(self) -> None:
        self.nlp = self.nlp or nlp_module.load()
        self.actors = self.actors or builtin_actors()
        self.predicates = self.predicates or builtin_predicates()
        if not self.use_classifier:
            self.classifier = None
        elif self.classifier is None:
            self.classifier = builtin_classifier()

    def code_parsed(self, document: Document, doc: Doc) -> list[Event]:
        """Events of one already-parsed document."""
        actors = DocActors(doc, self.actors, document.date, text=document.text)
        coder = SentenceCoder(self.predicates, actors, document.id, document.date, self.classifier,
                              self.arbitration)
        events: list[Event] = []
        for index, sent in enumerate(doc.sents):
            events.extend(coder.code_sentence(sent, index))
        return events

    def code_documents(self, documents: Iterable[Document], n_process: int = 1,
                       on_error: Callable[[Document, Exception], None] | None = None,
                       ) -> Iterator[tuple[Document, list[Event]]]:
        """(document, events) for each document, parsing in batches of at most ``batch_size``
        documents and ``batch_words`` words (the parser's memory grows with the words in a batch).
        Publications of one text in a batch share its parse; each is coded with its own date.

        A text longer than ``nlp.PIECE_CHARS`` is parsed and coded piece by piece. With
        ``on_error``, a document whose coding raises is handed to it and skipped, and the others
        are still coded; without it the error propagates."""
        pairs = ((mask_dateline(d.text), d) for d in documents)
        for batch in _batches(pairs, self.batch_size, self.batch_words):
            yield from self._code_batch(batch, n_process, on_error)

    def _code_batch(self, batch: list[tuple[str, Document]], n_process: int,
                    on_error: Callable[[Document, Exception], None] | None) -> Iterator[tuple[Document, list[Event]]]:
        if len(batch) == 1 and len(batch[0][0]) > nlp_module.PIECE_CHARS:  # coded alone, in pieces
            yield from self._code_each(batch, {}, on_error)
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
                        yield from self._code_alone(one, on_error)
                    return
            doc = kept[text]
            remaining[text] -= 1
            if not remaining[text]:
                del kept[text]
            yield from self._code_each([(text, document)], {text: doc}, on_error)

    def _code_alone(self, one: tuple[str, Document],
                    on_error: Callable[[Document, Exception], None]) -> Iterator[tuple[Document, list[Event]]]:
        """One document parsed on its own (after its batch failed to parse): coded, or reported."""
        text, document = one
        try:
            doc = self.nlp(text)
        except Exception as error:
            on_error(document, error)
            return
        yield from self._code_each([one], {text: doc}, on_error)

    def _code_each(self, items: list[tuple[str, Document]], parsed: dict[str, Doc],
                   on_error: Callable[[Document, Exception], None] | None) -> Iterator[tuple[Document, list[Event]]]:
        """Code documents from their parses (a text without one is coded in pieces)."""
        for text, document in items:
            try:
                doc = parsed.get(text)
                events = self.code_parsed(document, doc) if doc is not None else self._code_long(document, text)
            except Exception as error:
                if on_error is None:
                    raise
                on_error(document, error)
                continue
            yield document, events

    def _code_long(self, document: Document, masked: str) -> list[Event]:
        """Events of a (long) document coded piece by piece, with offsets into the whole text."""
        events: list[Event] = []
        sentences = 0
        for start, end in nlp_module.pieces(masked, nlp_module.PIECE_CHARS):
            doc = self.nlp(masked[start:end])
            for e in self.code_parsed(replace(document, text=document.text[start:end]), doc):
                events.append(replace(e, sentence_index=e.sentence_index + sentences,
                                      span=(e.span[0] + start, e.span[1] + start)))
            sentences += sum(1 for _ in doc.sents)
            if self.on_piece is not None:
                self.on_piece(document, end, len(masked))
        return events

    def code_text(self, text: str, date: date | str | None = None, doc_id: str = "text") -> list[Event]:
        """Events of one text published on ``date``."""
        if isinstance(date, str):
            date = parse_publication_date(date)
        document = Document(id=doc_id, text=text, date=date)
        masked = mask_dateline(text)
        if len(masked) > nlp_module.PIECE_CHARS:
            return self._code_long(document, masked)
        return self.code_parsed(document, self.nlp(masked))


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
