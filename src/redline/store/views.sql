-- The store's views and indexes, created after its tables (whose columns are defined in
-- src/redline/data/columns.yaml, see redline.columns). Read by redline.store; one statement per `;`.

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

-- an event's mentions are found by its key (an event's page, the merge rebuilding an event): without
-- this index each lookup scans every mention
CREATE INDEX IF NOT EXISTS mentions_event_key ON mentions (event_key);
