//! The corpus schema as an ordered list of migrations, tracked in `PRAGMA user_version`.
//!
//! Migration `i` (0-based) brings the file from version `i` to `i + 1`. Never edit a
//! migration that has shipped: append a new one.

use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior};

use super::{CorpusError, Doing};

/// Version 1: reports, people and their name tokens, quotes, results, tie facts,
/// teams seen in scores, and FTS5 indexes. Rows enter the FTS tables from `store.rs`
/// in the same transaction, not from insert triggers: a trigger makes every insert
/// open a statement savepoint, and FTS5 flushes its pending index at each savepoint,
/// which made bulk ingest three times slower. Deletes and updates use triggers.
const V1: &str = r#"
CREATE TABLE reports (
    id           INTEGER PRIMARY KEY,
    text         TEXT NOT NULL,
    title        TEXT,
    source       TEXT,
    published    TEXT,            -- YYYY-MM-DD
    competition  TEXT,
    origin       TEXT,
    content_hash TEXT NOT NULL UNIQUE,   -- blake3 of text, hex
    ingested_at  TEXT NOT NULL           -- RFC 3339, UTC
);

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    folded      TEXT NOT NULL UNIQUE,    -- crate::text::fold(name)
    role        TEXT,
    team        TEXT,
    info_date   TEXT,                    -- published date of the report role/team came from
    quote_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX people_by_quotes ON people(quote_count DESC);

-- Every folded token of a person's name and aliases, for order-free lookup and prefix scans.
CREATE TABLE person_tokens (
    token     TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (token, person_id)
) WITHOUT ROWID;

CREATE TABLE quotes (
    id         INTEGER PRIMARY KEY,
    report_id  INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    person_id  INTEGER REFERENCES people(id),
    speaker    TEXT,                     -- as the extractor gave it
    span_start INTEGER NOT NULL,         -- byte offsets into reports.text
    span_end   INTEGER NOT NULL,
    text       TEXT NOT NULL
);
CREATE INDEX quotes_by_person ON quotes(person_id);
CREATE INDEX quotes_by_report ON quotes(report_id);

CREATE TABLE results (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    team_a      TEXT NOT NULL,
    team_b      TEXT NOT NULL,
    team_a_key  TEXT NOT NULL,           -- fold(team_a)
    team_b_key  TEXT NOT NULL,
    pair_key    TEXT NOT NULL,           -- see corpus::pair_key
    home        TEXT,
    goals_a     INTEGER NOT NULL,
    goals_b     INTEGER NOT NULL,
    aggregate   INTEGER NOT NULL,
    venue       TEXT,
    competition TEXT,
    round       TEXT,                    -- Round::label
    leg         INTEGER,
    extra_time  INTEGER NOT NULL,
    pens_a      INTEGER,
    pens_b      INTEGER,
    match_date  TEXT,
    sort_date   TEXT,                    -- match_date, else the report's published date
    span_start  INTEGER NOT NULL,
    span_end    INTEGER NOT NULL
);
CREATE INDEX results_by_pair ON results(pair_key);
CREATE INDEX results_by_team_a ON results(team_a_key);
CREATE INDEX results_by_team_b ON results(team_b_key);
CREATE INDEX results_by_report ON results(report_id);

CREATE TABLE tie_facts (
    id            INTEGER PRIMARY KEY,
    report_id     INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    team_a        TEXT NOT NULL,
    team_b        TEXT NOT NULL,
    pair_key      TEXT NOT NULL,
    agg_a         INTEGER,
    agg_b         INTEGER,
    winner        TEXT,
    decided_by    TEXT,
    competition   TEXT,
    round         TEXT,
    next_opponent TEXT,
    next_round    TEXT
);
CREATE INDEX tie_facts_by_pair ON tie_facts(pair_key);
CREATE INDEX tie_facts_by_report ON tie_facts(report_id);

-- Every team named in a stored score, known to the team book or not.
CREATE TABLE teams_seen (
    folded       TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    result_count INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE VIRTUAL TABLE reports_fts USING fts5(
    title, text,
    content = 'reports', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER reports_fts_delete AFTER DELETE ON reports BEGIN
    INSERT INTO reports_fts(reports_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER reports_fts_update AFTER UPDATE OF title, text ON reports BEGIN
    INSERT INTO reports_fts(reports_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO reports_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;

-- Contentless: quote text is read from `quotes`. `person` holds one token, `p<person id>`,
-- so that a search within one person's quotes is an FTS AND, not a scan of every quote
-- holding a common word.
CREATE VIRTUAL TABLE quotes_fts USING fts5(
    text, person,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
    DELETE FROM quotes_fts WHERE rowid = old.id;
    UPDATE people SET quote_count = quote_count - 1 WHERE id = old.person_id;
END;

-- Counters follow deletes too (a report removed by hand cascades to its facts).
CREATE TRIGGER results_delete AFTER DELETE ON results BEGIN
    UPDATE teams_seen SET result_count = result_count - 1
        WHERE folded IN (old.team_a_key, old.team_b_key);
END;
CREATE TRIGGER quotes_fts_update AFTER UPDATE OF text, person_id ON quotes BEGIN
    DELETE FROM quotes_fts WHERE rowid = old.id;
    INSERT INTO quotes_fts(rowid, text, person) VALUES (new.id, new.text, 'p' || new.person_id);
END;
"#;

/// Version 2: announcements. Subscriptions (a channel follows a team or a competition
/// on a schedule), the ledger that makes each announcement happen once, and what each
/// polled source has already given.
const V2: &str = r#"
CREATE TABLE subscriptions (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    kind        TEXT NOT NULL,           -- 'team' | 'competition'
    target      TEXT NOT NULL,           -- as shown
    target_key  TEXT NOT NULL,           -- fold(target)
    schedule    TEXT NOT NULL,           -- announce::Schedule, as displayed
    scanned_to  INTEGER NOT NULL,        -- results up to this id were considered
    created_at  TEXT NOT NULL,           -- RFC 3339, UTC
    created_by  INTEGER,
    last_digest TEXT,                    -- RFC 3339 of the last digest time handled
    paused      TEXT,                    -- why posting stopped (403/404); NULL when active
    UNIQUE (channel_id, kind, target_key)
);
CREATE INDEX subscriptions_by_guild ON subscriptions(guild_id);

-- The ledger: one row per (subscription, match). 'claimed' rows are posted (again, with
-- the same nonce) until they are 'sent'; a crash between the two is finished on restart.
CREATE TABLE announcements (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
    match_key       TEXT NOT NULL,       -- pair|score|date: one match however many reports tell it
    result_id       INTEGER NOT NULL,
    batch           TEXT,                -- digest time (RFC 3339); NULL for an instant post
    state           TEXT NOT NULL,       -- 'claimed' | 'sent' | 'failed'
    nonce           TEXT NOT NULL,
    message_id      INTEGER,
    detail          TEXT,                -- why it failed
    claimed_at      TEXT NOT NULL,
    sent_at         TEXT,
    UNIQUE (subscription_id, match_key)
);
CREATE INDEX announcements_pending ON announcements(state) WHERE state = 'claimed';

CREATE TABLE source_state (
    name          TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    failures      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    next_attempt  TEXT,                  -- RFC 3339
    last_success  TEXT
) WITHOUT ROWID;

-- Feed items and files a source has delivered, so a poll only ingests what is new.
CREATE TABLE source_items (
    source    TEXT NOT NULL,
    item_key  TEXT NOT NULL,
    report_id INTEGER,
    seen_at   TEXT NOT NULL,
    PRIMARY KEY (source, item_key)
) WITHOUT ROWID;
"#;

/// Version 3: the ledger is kept per channel, not per subscription. A channel that follows
/// a team and that team's competition gets each match once: `channel_id` is stored with
/// every row, and a row outlives the subscription that claimed it (`ON DELETE SET NULL`) so
/// the channel still remembers what it was shown. `attempted_at` marks a claim whose post
/// may have reached Discord (the channel is read before posting it again); a later report
/// with another score for the same match is kept as a pending correction, and each edit
/// made to a posted announcement is recorded in `announcement_edits`.
const V3: &str = r#"
CREATE TABLE announcements_v3 (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER REFERENCES subscriptions(id) ON DELETE SET NULL,
    channel_id      INTEGER NOT NULL,
    match_key       TEXT NOT NULL,       -- pair|score|date: one match however many reports tell it
    result_id       INTEGER NOT NULL,
    batch           TEXT,                -- digest time (RFC 3339); NULL for an instant post
    state           TEXT NOT NULL,       -- 'claimed' | 'sent' | 'failed'
    nonce           TEXT NOT NULL,
    message_id      INTEGER,
    detail          TEXT,                -- why it failed
    claimed_at      TEXT NOT NULL,
    attempted_at    TEXT,                -- first post attempt; set before the request goes out
    sent_at         TEXT,
    correction_id   INTEGER,             -- a later result with another score, to edit in
    correction_key  TEXT,                -- its match_key
    UNIQUE (subscription_id, match_key)
);
INSERT INTO announcements_v3 (id, subscription_id, channel_id, match_key, result_id, batch,
    state, nonce, message_id, detail, claimed_at, attempted_at, sent_at)
SELECT a.id, a.subscription_id, s.channel_id, a.match_key, a.result_id, a.batch, a.state,
    a.nonce, a.message_id, a.detail, a.claimed_at,
    -- A claim left by an older program may have been posted: read the channel first.
    CASE WHEN a.state = 'claimed' THEN a.claimed_at END, a.sent_at
FROM announcements a JOIN subscriptions s ON s.id = a.subscription_id;
DROP TABLE announcements;
ALTER TABLE announcements_v3 RENAME TO announcements;
CREATE INDEX announcements_pending ON announcements(state) WHERE state = 'claimed';
CREATE INDEX announcements_by_channel ON announcements(channel_id, match_key);
CREATE INDEX announcements_corrections ON announcements(channel_id)
    WHERE correction_id IS NOT NULL;

CREATE TABLE announcement_edits (
    id              INTEGER PRIMARY KEY,
    announcement_id INTEGER NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
    channel_id      INTEGER NOT NULL,
    message_id      INTEGER NOT NULL,
    from_result     INTEGER NOT NULL,
    to_result       INTEGER NOT NULL,
    edited_at       TEXT NOT NULL
);
CREATE INDEX announcement_edits_by_channel ON announcement_edits(channel_id);
"#;

/// Version 4: whether a result's sides and order were read from its own clause. An
/// uncertain result (one side taken from the report's own match) is shown, never announced.
const V4: &str = r#"
ALTER TABLE results ADD COLUMN certain INTEGER NOT NULL DEFAULT 1;
"#;

/// Page size of new corpus files.
const PAGE_SIZE: i64 = 16_384;

/// All migrations, oldest first.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4];

/// The schema version this program writes.
pub fn known_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Connection settings: WAL, `synchronous=NORMAL`, foreign keys, 5 s busy timeout.
pub(crate) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    // Only takes effect on a new, empty file (before WAL is switched on). Reports are a
    // few KiB of text each; 16 KiB pages hold one without overflow pages and made bulk
    // ingest about a fifth faster than the 4 KiB default.
    conn.pragma_update(None, "page_size", PAGE_SIZE)?;
    // An in-memory database answers "memory"; either is fine.
    let _mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // 32 MiB page cache: ingest touches many index pages per transaction.
    conn.pragma_update(None, "cache_size", -32_000)?;
    Ok(())
}

/// The file's schema version.
pub fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Brings the schema up to [`known_version`]; refuses a file written by a newer program.
pub(crate) fn migrate(conn: &mut Connection, path: &str) -> Result<(), CorpusError> {
    let too_new = |found: i64| CorpusError::TooNew {
        path: path.to_string(),
        found,
        known: known_version(),
    };
    let found = user_version(conn).doing("reading the schema version")?;
    if found > known_version() {
        return Err(too_new(found));
    }
    if found == known_version() {
        return Ok(());
    }
    // IMMEDIATE: a second process opening the same fresh file waits instead of
    // racing to create the same tables.
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .doing("starting the schema migration")?;
    let found = user_version(&tx).doing("reading the schema version")?;
    if found > known_version() {
        return Err(too_new(found));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
        let to = index as i64 + 1;
        tx.execute_batch(sql)
            .doing_with(|| format!("migrating the schema to version {to}"))?;
        tx.pragma_update(None, "user_version", to)
            .doing_with(|| format!("recording schema version {to}"))?;
    }
    tx.commit().doing("committing the schema migration")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_database_reaches_the_known_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        configure(&conn).unwrap();
        migrate(&mut conn, "mem").unwrap();
        assert_eq!(user_version(&conn).unwrap(), known_version());
        // Running it again is a no-op.
        migrate(&mut conn, "mem").unwrap();
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN \
                 ('reports', 'people', 'person_tokens', 'quotes', 'results', 'tie_facts', 'teams_seen')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 7);
    }

    #[test]
    fn deleting_a_report_keeps_indexes_and_counters_consistent() {
        use crate::corpus::{Added, Corpus, NewReport};
        use crate::extract::{Extraction, MatchResult, Quote};
        let mut c = Corpus::open_in_memory().unwrap();
        let text = "\"Unforgettable night\" said Dean Harlow after Rovers beat Town 2-1.";
        let e = Extraction {
            quotes: vec![Quote {
                start: 1,
                end: 20,
                text: "Unforgettable night".into(),
                speaker: Some("Dean Harlow".into()),
            }],
            results: vec![MatchResult {
                end: text.len(),
                ..MatchResult::score("Rovers", "Town", [2, 1], false)
            }],
            ..Extraction::default()
        };
        let report = NewReport {
            text: text.into(),
            title: Some("Night".into()),
            ..NewReport::default()
        };
        let Added::New(id) = c.add(&report, &e).unwrap() else {
            panic!("not new")
        };
        let harlow = c.find_people("harlow", 1).unwrap()[0].id;
        c.sqlite()
            .execute("DELETE FROM reports WHERE id = ?1", [id])
            .unwrap();
        assert!(c.search("unforgettable", 5).unwrap().is_empty());
        assert!(c
            .search_quotes(harlow, "unforgettable", 5)
            .unwrap()
            .is_empty());
        assert!(
            c.find_people("harlow", 1).unwrap().is_empty(),
            "nothing left to quote"
        );
        assert!(c.teams_seen(None, 5).unwrap().is_empty());
        let counts = c.counts().unwrap();
        assert_eq!((counts.reports, counts.quotes, counts.results), (0, 0, 0));
        let seen: i64 = c
            .sqlite()
            .query_row("SELECT sum(result_count) FROM teams_seen", [], |r| r.get(0))
            .unwrap();
        assert_eq!(seen, 0);
        // Storing it again works and is new, not a duplicate.
        assert!(matches!(c.add(&report, &e).unwrap(), Added::New(_)));
        assert_eq!(
            c.search_quotes(harlow, "unforgettable", 5).unwrap().len(),
            1
        );
    }

    #[test]
    fn version_3_keeps_the_ledger_and_files_each_row_under_its_channel() {
        let mut conn = Connection::open_in_memory().unwrap();
        configure(&conn).unwrap();
        conn.execute_batch(V1).unwrap();
        conn.execute_batch(V2).unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute_batch(
            "INSERT INTO subscriptions (id, guild_id, channel_id, kind, target, target_key, \
             schedule, scanned_to, created_at) VALUES \
             (7, 1, 42, 'team', 'Liverpool', 'liverpool', 'instant', 0, '2026-11-26T00:00:00Z');
             INSERT INTO announcements (subscription_id, match_key, result_id, state, nonce, \
             message_id, claimed_at) VALUES \
             (7, 'a|b|1-0|2026-11-26', 1, 'sent', 'n1', 99, '2026-11-26T01:00:00Z'), \
             (7, 'a|b|2-0|2026-11-27', 2, 'claimed', 'n2', NULL, '2026-11-27T01:00:00Z');",
        )
        .unwrap();
        migrate(&mut conn, "mem").unwrap();
        assert_eq!(user_version(&conn).unwrap(), known_version());
        let rows: Vec<(i64, Option<i64>, Option<String>)> = conn
            .prepare("SELECT channel_id, message_id, attempted_at FROM announcements ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            vec![
                (42, Some(99), None),
                // An old claim may have been posted: it is checked in the channel first.
                (42, None, Some("2026-11-27T01:00:00Z".into())),
            ]
        );
        // Removing the subscription keeps what the channel was shown.
        conn.execute("DELETE FROM subscriptions WHERE id = 7", [])
            .unwrap();
        let left: i64 = conn
            .query_row(
                "SELECT count(*) FROM announcements WHERE channel_id = 42",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 2);
    }

    #[test]
    fn newer_version_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", known_version() + 1)
            .unwrap();
        let err = migrate(&mut conn, "future.db").unwrap_err();
        assert!(matches!(err, CorpusError::TooNew { found, .. } if found == known_version() + 1));
        assert!(err.to_string().contains("future.db"), "{err}");
    }

    #[test]
    fn connection_settings_apply() {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join("c.db")).unwrap();
        configure(&conn).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 1, "NORMAL");
        let timeout: i64 = conn
            .query_row("PRAGMA busy_timeout", [], |r| r.get(0))
            .unwrap();
        assert_eq!(timeout, 5000);
        let page: i64 = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        assert_eq!(page, PAGE_SIZE);
    }
}
