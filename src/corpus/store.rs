//! Writes: one report with its extraction per call, or many in one transaction.
//!
//! Per-transaction caches (people by folded name, quote counts, teams seen) keep the
//! number of statements per report low; counters are written once at the end.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::db::{args, Backend};
use super::{pair_key, pair_key_folded, Added, Corpus, CorpusError, Doing, NewReport, ReportId};
use crate::extract::{Extraction, Person};
use crate::text::fold;

impl Corpus {
    /// Stores one report and what was extracted from it, in one transaction.
    /// The same text stored before yields [`Added::Duplicate`] and writes nothing.
    pub fn add(
        &mut self,
        report: &NewReport,
        extraction: &Extraction,
    ) -> Result<Added, CorpusError> {
        let mut added = self.add_many_refs(std::iter::once((report, extraction)))?;
        Ok(added.remove(0))
    }

    /// Stores many reports in one transaction (ingest speed); one [`Added`] per item, in order.
    pub fn add_many(
        &mut self,
        items: &[(NewReport, Extraction)],
    ) -> Result<Vec<Added>, CorpusError> {
        self.add_many_refs(items.iter().map(|(r, e)| (r, e)))
    }

    /// Stores `items` only if the corpus holds no report yet, checked under the write
    /// lock, so that of several processes opening a new corpus at once exactly one loads
    /// the samples. `None`: another process stored reports first, nothing was written.
    pub fn add_many_if_empty(
        &mut self,
        items: &[(NewReport, Extraction)],
    ) -> Result<Option<Vec<Added>>, CorpusError> {
        let tx = self.db.begin().doing("starting a write transaction")?;
        if tx.is_postgres() {
            // SQLite's write lock is PostgreSQL's advisory lock here: one loader at a time.
            tx.query("SELECT pg_advisory_xact_lock(0, 1)", &[])
                .doing("waiting for the sample loading lock")?;
        }
        let stored: bool = tx
            .query_one("SELECT EXISTS (SELECT 1 FROM reports)", &[])
            .and_then(|r| r.get(0))
            .doing("checking whether the corpus is empty")?;
        if stored {
            return Ok(None);
        }
        let added = Self::write_all(&tx, items.iter().map(|(r, e)| (r, e)))?;
        tx.commit().doing("committing stored reports")?;
        Ok(Some(added))
    }

    fn add_many_refs<'a>(
        &mut self,
        items: impl Iterator<Item = (&'a NewReport, &'a Extraction)>,
    ) -> Result<Vec<Added>, CorpusError> {
        let tx = self.db.begin().doing("starting a write transaction")?;
        let out = Self::write_all(&tx, items)?;
        tx.commit().doing("committing stored reports")?;
        Ok(out)
    }

    fn write_all<'a>(
        tx: &Backend,
        items: impl Iterator<Item = (&'a NewReport, &'a Extraction)>,
    ) -> Result<Vec<Added>, CorpusError> {
        let mut writer = Writer::default();
        let mut out = Vec::new();
        for (report, extraction) in items {
            out.push(writer.add(tx, report, extraction)?);
        }
        writer.flush(tx)?;
        Ok(out)
    }
}

/// A person row as cached during one transaction.
#[derive(Clone, Copy)]
struct CachedPerson {
    id: i64,
    /// The stored name has letters outside ASCII (so it is the better-written form).
    accented: bool,
}

/// State kept across the reports of one transaction.
#[derive(Default)]
struct Writer {
    people: HashMap<String, CachedPerson>,
    tokens: HashSet<(i64, String)>,
    quote_counts: HashMap<i64, i64>,
    teams: HashMap<String, (String, i64)>,
    now: Option<String>,
}

impl Writer {
    fn add(
        &mut self,
        tx: &Backend,
        report: &NewReport,
        extraction: &Extraction,
    ) -> Result<Added, CorpusError> {
        let hash = blake3::hash(report.text.as_bytes()).to_hex().to_string();
        let existing: Option<ReportId> = tx
            .query_opt(
                "SELECT id FROM reports WHERE content_hash = ?1",
                args![&hash],
            )
            .and_then(|r| r.map(|r| r.get(0)).transpose())
            .doing("checking for a stored copy of the report")?;
        if let Some(id) = existing {
            return Ok(Added::Duplicate(id));
        }
        let now = self
            .now
            .get_or_insert_with(|| chrono::Utc::now().to_rfc3339())
            .clone();
        let published = report.published.map(date_text);
        let values = args![
            &report.text,
            &report.title,
            &report.source,
            &published,
            &report.competition,
            &report.origin,
            hash,
            now
        ];
        let report_id: ReportId = if tx.is_postgres() {
            // The search vector is built from folded text: title words weigh more.
            let mut values = values.to_vec();
            values.push(fold(report.title.as_deref().unwrap_or("")).into());
            values.push(fold(&report.text).into());
            tx.insert_id(
                "INSERT INTO reports (text, title, source, published, competition, origin, \
                 content_hash, ingested_at, fts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, \
                 setweight(to_tsvector('simple', ?9), 'A') || \
                 setweight(to_tsvector('simple', ?10), 'B'))",
                &values,
            )
        } else {
            tx.insert_id(
                "INSERT INTO reports (text, title, source, published, competition, origin, \
                 content_hash, ingested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                values,
            )
        }
        .doing_with(|| format!("storing report {}", describe(report)))?;
        if !tx.is_postgres() {
            tx.execute(
                "INSERT INTO reports_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
                args![report_id, &report.title, &report.text],
            )
            .doing_with(|| format!("indexing report {} for search", describe(report)))?;
        }

        self.add_quotes(tx, report_id, published.as_deref(), extraction)?;
        self.add_results(tx, report_id, published.as_deref(), extraction)?;
        self.add_ties(tx, report_id, extraction)?;
        Ok(Added::New(report_id))
    }

    fn add_quotes(
        &mut self,
        tx: &Backend,
        report_id: ReportId,
        published: Option<&str>,
        extraction: &Extraction,
    ) -> Result<(), CorpusError> {
        if extraction.quotes.is_empty() {
            return Ok(());
        }
        // Every form of every person the report names, folded once per report.
        let mut named: HashMap<String, &Person> = HashMap::new();
        for p in &extraction.people {
            for form in std::iter::once(&p.name).chain(&p.aliases) {
                named.entry(fold(form)).or_insert(p);
            }
        }
        // Resolve each distinct speaker once per report.
        let mut speakers: HashMap<&str, Option<i64>> = HashMap::new();
        for quote in &extraction.quotes {
            let person_id = match quote.speaker.as_deref() {
                None => None,
                Some(name) => match speakers.get(name) {
                    Some(id) => *id,
                    None => {
                        let id = self.person(tx, name, published, &named)?;
                        speakers.insert(name, id);
                        id
                    }
                },
            };
            let values = args![
                report_id,
                person_id,
                &quote.speaker,
                quote.start as i64,
                quote.end as i64,
                &quote.text
            ];
            if tx.is_postgres() {
                let mut values = values.to_vec();
                values.push(fold(&quote.text).into());
                tx.execute(
                    "INSERT INTO quotes (report_id, person_id, speaker, span_start, span_end, \
                     text, fts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, to_tsvector('simple', ?7))",
                    &values,
                )
                .doing_with(|| format!("storing a quote of report {report_id}"))?;
            } else {
                let quote_id: i64 = tx
                    .insert_id(
                        "INSERT INTO quotes (report_id, person_id, speaker, span_start, span_end, \
                         text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        values,
                    )
                    .doing_with(|| format!("storing a quote of report {report_id}"))?;
                tx.execute(
                    "INSERT INTO quotes_fts (rowid, text, person) VALUES (?1, ?2, ?3)",
                    args![quote_id, &quote.text, person_id.map(person_tag)],
                )
                .doing_with(|| format!("indexing a quote of report {report_id} for search"))?;
            }
            if let Some(id) = person_id {
                *self.quote_counts.entry(id).or_default() += 1;
            }
        }
        Ok(())
    }

    /// The person row for a speaker name, created when new; role and team are
    /// taken from the report's people list, the newest report's word winning.
    fn person(
        &mut self,
        tx: &Backend,
        name: &str,
        published: Option<&str>,
        named: &HashMap<String, &Person>,
    ) -> Result<Option<i64>, CorpusError> {
        let folded = fold(name);
        if folded.is_empty() {
            return Ok(None);
        }
        let info = named.get(&folded).copied();
        let role = info.and_then(|p| p.role.as_deref());
        let team = info.and_then(|p| p.team.as_deref());
        let accented = !name.is_ascii();

        let cached = match self.people.get(&folded) {
            Some(c) => *c,
            None => {
                let found: Option<(i64, String)> = tx
                    .query_opt(
                        "SELECT id, name FROM people WHERE folded = ?1",
                        args![&folded],
                    )
                    .and_then(|r| r.map(|r| Ok((r.get(0)?, r.get(1)?))).transpose())
                    .doing_with(|| format!("looking up person {name:?}"))?;
                let cached = match found {
                    Some((id, stored)) => CachedPerson {
                        id,
                        accented: !stored.is_ascii(),
                    },
                    None => {
                        let id = self.create_person(tx, name, &folded, role, team, published)?;
                        CachedPerson { id, accented }
                    }
                };
                self.people.insert(folded.clone(), cached);
                cached
            }
        };
        let id = cached.id;
        if accented && !cached.accented {
            // "Jürgen Klopp" is a better display form than "Jurgen Klopp".
            tx.execute("UPDATE people SET name = ?2 WHERE id = ?1", args![id, name])
                .doing_with(|| format!("renaming person {name:?}"))?;
            if let Some(c) = self.people.get_mut(&folded) {
                c.accented = true;
            }
        }
        if role.is_some() || team.is_some() {
            tx.execute(
                "UPDATE people SET role = coalesce(?2, role), team = coalesce(?3, team), \
                 info_date = coalesce(?4, info_date) \
                 WHERE id = ?1 AND ((CAST(?4 AS TEXT) IS NOT NULL \
                                     AND (info_date IS NULL OR info_date <= ?4)) \
                                    OR (CAST(?4 AS TEXT) IS NULL AND info_date IS NULL))",
                args![id, role, team, published],
            )
            .doing_with(|| format!("updating role and team of {name:?}"))?;
        }
        if let Some(p) = info {
            // Aliases ("Mo Salah") make more tokens findable.
            for form in std::iter::once(&p.name).chain(&p.aliases) {
                for token in fold(form).split(' ') {
                    self.add_token(tx, id, token)?;
                }
            }
        }
        Ok(Some(id))
    }

    fn create_person(
        &mut self,
        tx: &Backend,
        name: &str,
        folded: &str,
        role: Option<&str>,
        team: Option<&str>,
        published: Option<&str>,
    ) -> Result<i64, CorpusError> {
        let id: i64 = tx
            .insert_id(
                "INSERT INTO people (name, folded, role, team, info_date) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                args![name, folded, role, team, published],
            )
            .doing_with(|| format!("storing person {name:?}"))?;
        for token in folded.split(' ') {
            self.add_token(tx, id, token)?;
        }
        Ok(id)
    }

    /// Indexes one name token of a person, once per transaction.
    fn add_token(&mut self, tx: &Backend, id: i64, token: &str) -> Result<(), CorpusError> {
        if token.is_empty() || self.tokens.contains(&(id, token.to_string())) {
            return Ok(());
        }
        tx.execute(
            "INSERT INTO person_tokens (token, person_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            args![token, id],
        )
        .doing_with(|| format!("indexing name token {token:?} of person {id}"))?;
        self.tokens.insert((id, token.to_string()));
        Ok(())
    }

    fn add_results(
        &mut self,
        tx: &Backend,
        report_id: ReportId,
        published: Option<&str>,
        extraction: &Extraction,
    ) -> Result<(), CorpusError> {
        for r in &extraction.results {
            let [a, b] = &r.teams;
            let (key_a, key_b) = (fold(a), fold(b));
            let match_date = r.date.map(date_text);
            let sort_date = match_date.as_deref().or(published);
            tx.execute(
                "INSERT INTO results (report_id, team_a, team_b, team_a_key, team_b_key, pair_key, \
                 home, goals_a, goals_b, aggregate, venue, competition, round, leg, extra_time, \
                 pens_a, pens_b, match_date, sort_date, span_start, span_end, certain) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, \
                 ?17, ?18, ?19, ?20, ?21, ?22)",
                args![
                    report_id,
                    a,
                    b,
                    &key_a,
                    &key_b,
                    pair_key_folded(&key_a, &key_b),
                    &r.home,
                    r.goals[0],
                    r.goals[1],
                    r.aggregate,
                    &r.venue,
                    &r.competition,
                    r.round.map(|x| x.label()),
                    r.leg,
                    r.extra_time,
                    r.penalties.map(|p| p[0]),
                    r.penalties.map(|p| p[1]),
                    &match_date,
                    sort_date,
                    r.start as i64,
                    r.end as i64,
                    r.certain
                ],
            )
            .doing_with(|| format!("storing result {a} v {b} of report {report_id}"))?;
            for (name, key) in [(a, key_a), (b, key_b)] {
                if !key.is_empty() {
                    self.teams.entry(key).or_insert_with(|| (name.clone(), 0)).1 += 1;
                }
            }
        }
        Ok(())
    }

    fn add_ties(
        &mut self,
        tx: &Backend,
        report_id: ReportId,
        extraction: &Extraction,
    ) -> Result<(), CorpusError> {
        for t in &extraction.ties {
            let [a, b] = &t.teams;
            tx.execute(
                "INSERT INTO tie_facts (report_id, team_a, team_b, pair_key, agg_a, agg_b, winner, \
                 decided_by, competition, round, next_opponent, next_round) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                args![
                    report_id,
                    a,
                    b,
                    pair_key(a, b),
                    t.aggregate.map(|x| x[0]),
                    t.aggregate.map(|x| x[1]),
                    &t.winner,
                    &t.decided_by,
                    &t.competition,
                    t.round.map(|x| x.label()),
                    &t.next_opponent,
                    t.next_round.map(|x| x.label())
                ],
            )
            .doing_with(|| format!("storing tie fact {a} v {b} of report {report_id}"))?;
        }
        Ok(())
    }

    /// Writes the counters gathered over the transaction.
    fn flush(&mut self, tx: &Backend) -> Result<(), CorpusError> {
        for (id, n) in self.quote_counts.drain() {
            tx.execute(
                "UPDATE people SET quote_count = quote_count + ?2 WHERE id = ?1",
                args![id, n],
            )
            .doing_with(|| format!("counting the quotes of person {id}"))?;
        }
        for (key, (name, n)) in self.teams.drain() {
            tx.execute(
                "INSERT INTO teams_seen (folded, name, result_count) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (folded) DO UPDATE \
                 SET result_count = teams_seen.result_count + excluded.result_count",
                args![&key, &name, n],
            )
            .doing_with(|| format!("recording team {name:?}"))?;
        }
        Ok(())
    }
}

/// The token under which a person's quotes are indexed in `quotes_fts.person`.
pub(crate) fn person_tag(id: i64) -> String {
    format!("p{id}")
}

/// The stored form of a date, `YYYY-MM-DD` (chrono's formatter is slow in bulk).
pub(crate) fn date_text(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// A short description of a report for error messages.
fn describe(report: &NewReport) -> String {
    report
        .origin
        .as_deref()
        .or(report.title.as_deref())
        .map(|s| format!("{s:?}"))
        .unwrap_or_else(|| "(untitled)".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Quote;

    fn quote(text: &str, speaker: Option<&str>) -> Quote {
        Quote {
            start: 0,
            end: text.len(),
            text: text.to_string(),
            speaker: speaker.map(str::to_string),
        }
    }

    fn report(text: &str, date: Option<&str>) -> NewReport {
        NewReport {
            text: text.to_string(),
            published: date.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
            ..NewReport::default()
        }
    }

    fn person(name: &str, role: Option<&str>, team: Option<&str>) -> Person {
        Person {
            name: name.into(),
            aliases: vec![],
            role: role.map(str::to_string),
            team: team.map(str::to_string),
        }
    }

    #[test]
    fn speakers_share_a_person_row_across_reports_and_spellings() {
        let mut c = Corpus::open_in_memory().unwrap();
        let e1 = Extraction {
            quotes: vec![quote("a", Some("Jurgen Klopp")), quote("b", None)],
            ..Extraction::default()
        };
        let e2 = Extraction {
            quotes: vec![quote("c", Some("Jürgen Klopp"))],
            ..Extraction::default()
        };
        c.add_many(&[(report("one", None), e1), (report("two", None), e2)])
            .unwrap();
        let people = c.find_people("klopp", 5).unwrap();
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].name, "Jürgen Klopp", "accented form preferred");
        assert_eq!(people[0].quote_count, 2);
        assert_eq!(c.counts().unwrap().quotes, 3);
    }

    #[test]
    fn newest_report_sets_role_and_team() {
        let mut c = Corpus::open_in_memory().unwrap();
        let said = |team: &str| Extraction {
            quotes: vec![quote("x", Some("Dean Harlow"))],
            people: vec![person("Dean Harlow", Some("manager"), Some(team))],
            ..Extraction::default()
        };
        c.add(
            &report("new", Some("2026-02-01")),
            &said("Castlebridge Rovers"),
        )
        .unwrap();
        c.add(&report("old", Some("2025-02-01")), &said("Harwood Town"))
            .unwrap();
        let p = &c.find_people("harlow", 1).unwrap()[0];
        assert_eq!(p.team.as_deref(), Some("Castlebridge Rovers"));
        assert_eq!(p.role.as_deref(), Some("manager"));
    }

    #[test]
    fn aliases_are_indexed_as_name_tokens() {
        let mut c = Corpus::open_in_memory().unwrap();
        let mut p = person("Mohamed Salah", None, Some("Liverpool"));
        p.aliases = vec!["Mo Salah".into(), "Salah".into()];
        let e = Extraction {
            quotes: vec![quote("x", Some("Mohamed Salah"))],
            people: vec![p],
            ..Extraction::default()
        };
        c.add(&report("r", None), &e).unwrap();
        assert_eq!(c.find_people("mo salah", 5).unwrap().len(), 1);
    }

    #[test]
    fn blank_speaker_names_store_no_person() {
        let mut c = Corpus::open_in_memory().unwrap();
        let e = Extraction {
            quotes: vec![quote("x", Some("  ?? "))],
            ..Extraction::default()
        };
        c.add(&report("r", None), &e).unwrap();
        assert_eq!(c.counts().unwrap().people, 0);
        assert_eq!(c.counts().unwrap().quotes, 1);
    }
}
