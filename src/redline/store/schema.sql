-- Redline's store: documents, the event mentions coded from them, and the events the mentions
-- merge into. Read by redline.store; one statement per `;`. A store written with an earlier
-- schema is brought up to this one when it is opened for writing (redline.store.migrate).

-- the schema this file defines, and the version of Redline's schema (store.migrate.SCHEMA_VERSION)
CREATE TABLE IF NOT EXISTS store_info (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR
);

CREATE TABLE IF NOT EXISTS documents (
    doc_key      VARCHAR PRIMARY KEY,   -- hash of the text and its publisher, url and date: one publication
    text_key     VARCHAR,               -- hash of the text: the publications of one text share it
    doc_id       VARCHAR,               -- the id it came with (file name, JSONL id)
    title        VARCHAR,
    url          VARCHAR,               -- the 'url' (or 'link') field of the input
    publisher    VARCHAR,               -- the 'source' (or 'publisher', 'outlet') field of the input
    published    DATE,                  -- the 'date' (or 'published') field of the input
    n_words      INTEGER,
    n_mentions   INTEGER,
    origin       VARCHAR,               -- file (and line) it was read from
    metadata     VARCHAR,               -- JSON object: the input's other fields, as given
    text         VARCHAR,
    ingested_at  TIMESTAMP
);

CREATE TABLE IF NOT EXISTS mentions (
    mention_id       VARCHAR PRIMARY KEY,  -- hash of the publication, the text and the coded event
    doc_key          VARCHAR NOT NULL,
    doc_id           VARCHAR,
    sentence_index   INTEGER,
    span_start       INTEGER,
    span_end         INTEGER,
    evidence         VARCHAR,
    date             DATE,
    date_precision   VARCHAR,
    date_text        VARCHAR,
    source_text      VARCHAR,
    source_code      VARCHAR,
    source_country   VARCHAR,
    source_sector    VARCHAR,
    source_name      VARCHAR,
    target_text      VARCHAR,
    target_code      VARCHAR,
    target_country   VARCHAR,
    target_sector    VARCHAR,
    target_name      VARCHAR,
    cameo            VARCHAR,
    cameo_root       VARCHAR,
    plover           VARCHAR,
    plover_mode      VARCHAR,
    quad_class       TINYINT,
    goldstein        DOUBLE,
    modality         VARCHAR,
    reported_by_code VARCHAR,
    reported_by_text VARCHAR,
    numbers          VARCHAR,              -- JSON list of {value, of}
    location_name    VARCHAR,
    location_country VARCHAR,
    lat              DOUBLE,
    lon              DOUBLE,
    confidence       DOUBLE,
    explanation      VARCHAR,
    group_key        VARCHAR NOT NULL,     -- source, target, CAMEO root and modality: what may merge
    event_key        VARCHAR               -- the event this mention is told of
);

CREATE TABLE IF NOT EXISTS events (
    event_key        VARCHAR PRIMARY KEY,
    group_key        VARCHAR,
    date             DATE,
    date_precision   VARCHAR,
    source_code      VARCHAR,
    source_country   VARCHAR,
    source_sector    VARCHAR,
    source_name      VARCHAR,
    source_text      VARCHAR,
    target_code      VARCHAR,
    target_country   VARCHAR,
    target_sector    VARCHAR,
    target_name      VARCHAR,
    target_text      VARCHAR,
    cameo            VARCHAR,
    cameo_root       VARCHAR,
    plover           VARCHAR,
    plover_mode      VARCHAR,
    quad_class       TINYINT,
    goldstein        DOUBLE,
    modality         VARCHAR,
    location_name    VARCHAR,
    location_country VARCHAR,
    lat              DOUBLE,
    lon              DOUBLE,
    confidence       DOUBLE,
    evidence         VARCHAR,              -- the most confident mention's sentence
    n_mentions       INTEGER,              -- GDELT NumMentions
    n_articles       INTEGER,              -- GDELT NumArticles: distinct documents (publications)
    n_sources        INTEGER,              -- GDELT NumSources: distinct publishers
    first_doc_key    VARCHAR
);

-- every actor seen in an event, with how often and when
CREATE OR REPLACE VIEW actors AS
SELECT code, country, sector, name, count(*) AS n_events, min(date) AS first_date, max(date) AS last_date
FROM (
    SELECT source_code AS code, source_country AS country, source_sector AS sector, source_name AS name, date
    FROM events WHERE source_code IS NOT NULL
    UNION ALL
    SELECT target_code, target_country, target_sector, target_name, date
    FROM events WHERE target_code IS NOT NULL
)
GROUP BY ALL;

-- red-line alerts (redline watch): each alert lists the events behind it; an event fires a rule
-- at most once
CREATE TABLE IF NOT EXISTS alerts (
    alert_id      VARCHAR PRIMARY KEY,
    rule          VARCHAR NOT NULL,
    kind          VARCHAR,               -- count or escalation
    window_start  DATE,
    window_end    DATE,
    n_events      INTEGER,               -- events in the window
    n_new         INTEGER,               -- of which not in an earlier alert of this rule
    detail        VARCHAR,
    fired_at      TIMESTAMP
);

CREATE TABLE IF NOT EXISTS alert_events (
    alert_id   VARCHAR NOT NULL,
    rule       VARCHAR NOT NULL,
    event_key  VARCHAR NOT NULL,
    PRIMARY KEY (rule, event_key)
);

-- the red-line ledger (redline.redlines): each statement of a red line as extracted from a
-- sentence, the red lines they merge into (same declarer, same trigger pattern), and the events
-- found crossing them (redline watch); their alerts are in `alerts` (rule 'redline:ID')
CREATE TABLE IF NOT EXISTS redline_statements (
    statement_id     VARCHAR PRIMARY KEY,  -- Statement.statement_id: document, sentence, span, trigger
    redline_id       VARCHAR NOT NULL,     -- Statement.redline_key: declarer and trigger pattern
    doc_id           VARCHAR,
    sentence_index   INTEGER,
    span_start       INTEGER,
    span_end         INTEGER,
    evidence         VARCHAR,
    date             DATE,                 -- when it was declared
    date_precision   VARCHAR,              -- day, month, year, or document (the article's date)
    declarer         VARCHAR,              -- JSON actor {text, code, country, sector, name}
    addressee        VARCHAR,              -- JSON actor or NULL
    trigger          VARCHAR,              -- JSON Trigger
    consequence      VARCHAR,              -- JSON Consequence
    stance           VARCHAR,              -- declared, softened or redefined
    event_id         VARCHAR,              -- the THREATEN event it belongs to
    explanation      VARCHAR,
    added_at         TIMESTAMP
);

CREATE TABLE IF NOT EXISTS redlines (
    redline_id        VARCHAR PRIMARY KEY,
    declarer_code     VARCHAR,
    declarer_country  VARCHAR,
    declarer_text     VARCHAR,
    addressee_code    VARCHAR,             -- of the latest statement naming one
    trigger           VARCHAR,             -- JSON Trigger: the first statement's words, every statement's CAMEO codes
    consequence       VARCHAR,             -- JSON Consequence: the latest statement naming a type, else the latest
    severity          VARCHAR,
    stance            VARCHAR,             -- the latest statement's: declared, softened or redefined (current stance)
    first_declared    DATE,
    first_precision   VARCHAR,             -- the first declaration's date precision (document: the article's date)
    last_declared     DATE,
    n_statements      INTEGER,
    n_restatements    INTEGER,             -- statements after the first
    first_evidence    VARCHAR,
    last_evidence     VARCHAR
);

CREATE TABLE IF NOT EXISTS redline_crossings (
    redline_id    VARCHAR NOT NULL,
    event_key     VARCHAR NOT NULL,
    date          DATE,
    status        VARCHAR,                 -- confirmed, claimed or announced
    prospective   BOOLEAN,                 -- the act is planned or prepared, not (yet) done
    modality      VARCHAR,                 -- the event's
    reporters     VARCHAR,                 -- JSON list of reported_by codes of its mentions (null: the article's own voice)
    detected_at   TIMESTAMP,
    PRIMARY KEY (redline_id, event_key)
);
