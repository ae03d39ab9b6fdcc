//! Subscriptions (a channel follows a team or a competition) and the announcement ledger.
//!
//! The ledger is what makes each announcement happen once per channel: a result is first
//! *claimed* for a subscription (in the same transaction that moves the subscription's scan
//! mark, and only when no subscription of the same channel holds that match already), then
//! marked *attempted* just before it is posted, then marked *sent* with the message id. A
//! claim left attempted by a crash is looked for in the channel before it is posted again
//! (with the same nonce, which Discord answers with the earlier message for a few minutes).
//! A later report giving the same match another score becomes a *correction*: the posted
//! announcement is edited, and the edit is recorded.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::db::{args, Backend, DbError, Row};

use super::query::{stored_quote, stored_result, stored_tie, QUOTE_COLUMNS, QUOTE_JOINS};
use super::query::{RESULT_COLUMNS, TIE_COLUMNS};
use super::{Corpus, CorpusError, Doing, StoredQuote, StoredResult, StoredTieFact};
use crate::announce::Schedule;
use crate::text::fold;

/// What a subscription follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Team(String),
    Competition(String),
}

impl Target {
    /// The stored kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Target::Team(_) => "team",
            Target::Competition(_) => "competition",
        }
    }

    /// The name as shown.
    pub fn name(&self) -> &str {
        match self {
            Target::Team(n) | Target::Competition(n) => n,
        }
    }

    fn from_row(kind: &str, name: String) -> Target {
        if kind == "competition" {
            Target::Competition(name)
        } else {
            Target::Team(name)
        }
    }
}

/// A stored subscription.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    pub id: i64,
    pub guild_id: u64,
    pub channel_id: u64,
    pub target: Target,
    pub schedule: Schedule,
    /// Results up to this id have been considered (claimed or skipped).
    pub scanned_to: i64,
    pub created_at: DateTime<Utc>,
    /// The last digest time handled (the creation time before the first).
    pub last_digest: DateTime<Utc>,
    /// Why posting stopped, when it did.
    pub paused: Option<String>,
}

/// A subscription as an admin asks for it.
#[derive(Debug, Clone)]
pub struct NewSubscription {
    pub guild_id: u64,
    pub channel_id: u64,
    pub target: Target,
    pub schedule: Schedule,
    pub created_by: Option<u64>,
}

/// What [`Corpus::subscribe`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Subscribed {
    New(Subscription),
    /// The channel already followed that target; its schedule was replaced and a pause lifted.
    Updated(Subscription),
}

/// A claimed announcement waiting to be posted (or posted again after a crash).
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub id: i64,
    pub subscription: Subscription,
    pub result_id: i64,
    /// The digest time this claim belongs to; `None` for an instant post.
    pub batch: Option<DateTime<Utc>>,
    pub nonce: String,
    /// A post was (perhaps) made before: the channel must be read before posting again.
    pub attempted: bool,
}

/// A posted announcement whose match a later report scored differently: edit it in.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingEdit {
    pub id: i64,
    pub subscription: Subscription,
    pub message_id: u64,
    /// The result shown now.
    pub result_id: i64,
    /// The result to show instead.
    pub correction_id: i64,
    pub batch: Option<DateTime<Utc>>,
    pub nonce: String,
}

/// One edit made to a posted announcement, as the ledger keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEdit {
    pub announcement_id: i64,
    pub message_id: u64,
    pub from_result: i64,
    pub to_result: i64,
}

/// What [`Corpus::claim_new_results`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Claimed {
    /// New announcements claimed.
    pub new: usize,
    /// Earlier announcements in the channel that a later score corrects.
    pub corrections: usize,
}

/// How long before its report a dated match counts as background, not news.
const BACKGROUND_DAYS: i64 = 3;
/// Two tellings of the same pair and score this close in date are one match.
const SAME_MATCH_DAYS: i64 = 3;

pub(crate) const SUBSCRIPTION_COLUMNS: &str =
    "s.id, s.guild_id, s.channel_id, s.kind, s.target, s.schedule, \
     s.scanned_to, s.created_at, s.last_digest, s.paused";

impl Corpus {
    /// Adds a subscription, or replaces the schedule of the same channel and target. Either
    /// way it starts from the newest stored result, so old results do not flood the channel.
    pub fn subscribe(
        &mut self,
        new: &NewSubscription,
        now: DateTime<Utc>,
    ) -> Result<Subscribed, CorpusError> {
        let tx = self.db.begin().doing("starting a subscription")?;
        let mark = max_result_id(&tx)?;
        let key = fold(new.target.name());
        let existing: Option<i64> = tx
            .map_opt(
                "SELECT id FROM subscriptions WHERE channel_id = ?1 AND kind = ?2 AND target_key = ?3",
                args![new.channel_id as i64, new.target.kind(), &key],
                |r| r.get(0),
            )
            .doing("looking for the same subscription")?;
        let stamp = now.to_rfc3339();
        let id = match existing {
            Some(id) => {
                tx.execute(
                    "UPDATE subscriptions SET schedule = ?2, scanned_to = ?3, last_digest = ?4, \
                     paused = NULL WHERE id = ?1",
                    args![id, new.schedule.to_string(), mark, &stamp],
                )
                .doing("updating a subscription")?;
                // Claims left by a paused subscription are old news by now.
                tx.execute(
                    "DELETE FROM announcements WHERE subscription_id = ?1 AND state = 'claimed'",
                    args![id],
                )
                .doing("dropping stale claims")?;
                id
            }
            None => tx
                .query_one(
                    "INSERT INTO subscriptions (guild_id, channel_id, kind, target, target_key, \
                     schedule, scanned_to, created_at, created_by, last_digest) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?8) RETURNING id",
                    args![
                        new.guild_id as i64,
                        new.channel_id as i64,
                        new.target.kind(),
                        new.target.name(),
                        &key,
                        new.schedule.to_string(),
                        mark,
                        &stamp,
                        new.created_by.map(|u| u as i64),
                    ],
                )
                .and_then(|r| r.get(0))
                .doing("storing a subscription")?,
        };
        let sub = subscription_in(&tx, id)?.ok_or_else(|| missing(id))?;
        tx.commit().doing("committing a subscription")?;
        Ok(match existing {
            Some(_) => Subscribed::Updated(sub),
            None => Subscribed::New(sub),
        })
    }

    /// Removes a guild's subscriptions to `target` (folded match), in `channel` only when given.
    pub fn unsubscribe(
        &mut self,
        guild_id: u64,
        channel_id: Option<u64>,
        target: &str,
    ) -> Result<Vec<Subscription>, CorpusError> {
        let key = fold(target);
        let gone: Vec<Subscription> = self
            .subscriptions_in(guild_id)?
            .into_iter()
            .filter(|s| fold(s.target.name()) == key)
            .filter(|s| channel_id.is_none_or(|c| c == s.channel_id))
            .collect();
        let tx = self.db.begin().doing("starting an unsubscribe")?;
        for s in &gone {
            // Sent rows stay (the channel remembers what it was shown); unsent claims go,
            // so that another subscription of the channel may still announce them.
            tx.execute(
                "DELETE FROM announcements WHERE subscription_id = ?1 AND state = 'claimed'",
                args![s.id],
            )
            .doing("dropping a subscription's unsent claims")?;
            tx.execute("DELETE FROM subscriptions WHERE id = ?1", args![s.id])
                .doing("removing a subscription")?;
        }
        tx.commit().doing("committing an unsubscribe")?;
        Ok(gone)
    }

    /// A guild's subscriptions, by channel then target.
    pub fn subscriptions_in(&self, guild_id: u64) -> Result<Vec<Subscription>, CorpusError> {
        let sql = format!(
            "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions s WHERE s.guild_id = ?1 \
             ORDER BY s.channel_id, s.kind, s.target_key"
        );
        self.db
            .map(&sql, args![guild_id as i64], subscription)
            .doing("listing a guild's subscriptions")
    }

    /// Every subscription that is not paused.
    pub fn active_subscriptions(&self) -> Result<Vec<Subscription>, CorpusError> {
        let sql = format!(
            "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions s WHERE s.paused IS NULL ORDER BY s.id"
        );
        self.db
            .map(&sql, &[], subscription)
            .doing("listing active subscriptions")
    }

    /// Stops posting for a subscription (channel gone, permission removed) and says why.
    pub fn pause_subscription(&mut self, id: i64, reason: &str) -> Result<(), CorpusError> {
        self.db
            .execute(
                "UPDATE subscriptions SET paused = ?2 WHERE id = ?1",
                args![id, reason],
            )
            .doing("pausing a subscription")?;
        Ok(())
    }

    /// Claims, for one subscription, every new result it follows above its scan mark and
    /// moves the mark, in one transaction. `batch` is the digest time being handled (also
    /// recorded as the last digest); results dated before `fresh_since` are skipped as
    /// stale, as are earlier legs and background scores told in a later match's report.
    ///
    /// The ledger is read by channel: a match any subscription of the same channel has
    /// claimed is not claimed again (the first claim wins; the announcer lets instant
    /// subscriptions claim before digests), and a match it holds with another score is
    /// recorded as a correction of that row instead.
    pub fn claim_new_results(
        &mut self,
        subscription_id: i64,
        batch: Option<DateTime<Utc>>,
        fresh_since: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Claimed, CorpusError> {
        let tx = self.db.begin().doing("starting a claim")?;
        // Several processes may claim at once on PostgreSQL: one at a time per channel, so
        // the channel's ledger read below is not raced (SQLite's write lock does the same).
        super::leases::lock_channel_claims(&tx, subscription_id)?;
        let Some(sub) = subscription_in(&tx, subscription_id)? else {
            return Ok(Claimed::default());
        };
        let candidates = new_results(&tx, &sub)?;
        let mark = candidates
            .iter()
            .map(|c| c.stored.id)
            .max()
            .unwrap_or(sub.scanned_to);
        let mut claimed = Claimed::default();
        for c in candidates
            .iter()
            .filter(|c| c.is_news(&candidates, fresh_since))
        {
            match in_channel(&tx, sub.channel_id, &c.match_key)? {
                Seen::Same => continue,
                Seen::OtherScore(row) => {
                    claimed.corrections += correct(&tx, &row, c)?;
                    continue;
                }
                Seen::New => {}
            }
            let nonce = nonce(&format!("{}:{}", sub.id, c.match_key));
            tx.execute(
                "INSERT INTO announcements \
                 (subscription_id, channel_id, match_key, result_id, batch, state, nonce, \
                 claimed_at) VALUES (?1, ?2, ?3, ?4, ?5, 'claimed', ?6, ?7) \
                 ON CONFLICT DO NOTHING",
                args![
                    sub.id,
                    sub.channel_id as i64,
                    &c.match_key,
                    c.stored.id,
                    batch.map(|b| b.to_rfc3339()),
                    nonce,
                    now.to_rfc3339()
                ],
            )
            .doing("claiming an announcement")?;
            claimed.new += 1;
        }
        tx.execute(
            "UPDATE subscriptions SET scanned_to = ?2, last_digest = coalesce(?3, last_digest) \
             WHERE id = ?1",
            args![sub.id, mark, batch.map(|b| b.to_rfc3339())],
        )
        .doing("moving a subscription's scan mark")?;
        tx.commit().doing("committing claims")?;
        Ok(claimed)
    }

    /// One stored result by id.
    pub fn result(&self, id: i64) -> Result<Option<StoredResult>, CorpusError> {
        let sql = format!(
            "SELECT {RESULT_COLUMNS} FROM results r JOIN reports p ON p.id = r.report_id WHERE r.id = ?1"
        );
        self.db
            .map_opt(&sql, args![id], stored_result)
            .doing_with(|| format!("reading result {id}"))
    }

    /// The tie facts one report states about a pair of teams.
    pub fn tie_facts_in_report(
        &self,
        report_id: i64,
        a: &str,
        b: &str,
    ) -> Result<Vec<StoredTieFact>, CorpusError> {
        let sql = format!(
            "SELECT {TIE_COLUMNS} FROM tie_facts t JOIN reports p ON p.id = t.report_id \
             WHERE t.report_id = ?1 AND t.pair_key = ?2 ORDER BY t.id"
        );
        self.db
            .map(&sql, args![report_id, super::pair_key(a, b)], stored_tie)
            .doing_with(|| format!("reading the tie facts of report {report_id}"))
    }

    /// The credited quotes of one report, in text order.
    pub fn quotes_in_report(&self, report_id: i64) -> Result<Vec<StoredQuote>, CorpusError> {
        let sql = format!(
            "SELECT {QUOTE_COLUMNS} FROM quotes q {QUOTE_JOINS} \
             WHERE q.report_id = ?1 AND q.person_id IS NOT NULL ORDER BY q.span_start"
        );
        self.db
            .map(&sql, args![report_id], stored_quote)
            .doing_with(|| format!("reading the quotes of report {report_id}"))
    }
}

/// A Discord nonce (at most 25 characters) that is the same for the same announcement.
pub fn nonce(seed: &str) -> String {
    let hash = blake3::hash(seed.as_bytes()).to_hex();
    format!("tl{}", &hash[..23])
}

/// A result above a subscription's mark that it follows, with what decides if it is news.
struct Candidate {
    stored: StoredResult,
    match_key: String,
}

impl Candidate {
    /// Not stale, not an earlier leg of a pair whose later leg the same report tells, and
    /// not a dated match well before the report that tells it.
    fn is_news(&self, all: &[Candidate], fresh_since: NaiveDate) -> bool {
        let r = &self.stored.result;
        let published = self.stored.report.published;
        let when = r.date.or(published);
        if when.is_some_and(|d| d < fresh_since) {
            return false;
        }
        if let (Some(d), Some(p)) = (r.date, published) {
            if d < p - Duration::days(BACKGROUND_DAYS) {
                return false;
            }
        }
        let pair = super::pair_key(&r.teams[0], &r.teams[1]);
        let later_leg = all.iter().any(|o| {
            o.stored.report.id == self.stored.report.id
                && super::pair_key(&o.stored.result.teams[0], &o.stored.result.teams[1]) == pair
                && o.stored.result.leg.unwrap_or(0) > r.leg.unwrap_or(0)
                && r.leg.is_some()
        });
        !later_leg
    }
}

/// New, non-aggregate results a subscription follows, oldest first. A result whose
/// sides or order are uncertain is never announced.
fn new_results(tx: &Backend, sub: &Subscription) -> Result<Vec<Candidate>, CorpusError> {
    let key = fold(sub.target.name());
    let (filter, arg) = match &sub.target {
        Target::Team(_) => ("AND (r.team_a_key = ?2 OR r.team_b_key = ?2)", key.clone()),
        // Competition names vary ("Champions League", "Uefa Champions League"): match in Rust.
        Target::Competition(_) => ("AND CAST(?2 AS TEXT) IS NOT NULL", key.clone()),
    };
    let sql = format!(
        "SELECT {RESULT_COLUMNS}, coalesce(r.competition, p.competition) \
         FROM results r JOIN reports p ON p.id = r.report_id \
         WHERE r.id > ?1 AND r.aggregate = 0 AND r.certain = 1 {filter} ORDER BY r.id"
    );
    let rows: Vec<(StoredResult, Option<String>)> = tx
        .map(&sql, args![sub.scanned_to, arg], |r| {
            Ok((stored_result(r)?, r.get::<Option<String>>(23)?))
        })
        .doing("reading new results")?;
    Ok(rows
        .into_iter()
        .filter(|(_, competition)| match &sub.target {
            Target::Team(_) => true,
            Target::Competition(_) => competition.as_deref().is_some_and(|c| {
                let c = fold(c);
                !c.is_empty() && (c.contains(&key) || key.contains(&c))
            }),
        })
        .map(|(stored, _)| Candidate {
            match_key: match_key(&stored),
            stored,
        })
        .collect())
}

/// `pair|goals|date`, goals in the order of the folded pair.
fn match_key(s: &StoredResult) -> String {
    let r = &s.result;
    let (a, b) = (fold(&r.teams[0]), fold(&r.teams[1]));
    let goals = if a <= b {
        [r.goals[0], r.goals[1]]
    } else {
        [r.goals[1], r.goals[0]]
    };
    let date = r
        .date
        .or(s.report.published)
        .map(|d| d.to_string())
        .unwrap_or_default();
    format!(
        "{}|{}-{}|{}",
        super::pair_key(&a, &b),
        goals[0],
        goals[1],
        date
    )
}

/// A ledger row of a channel for the same pair as a candidate.
struct ChannelRow {
    id: i64,
    state: String,
    attempted: bool,
}

/// What a channel's ledger holds of a candidate's match.
enum Seen {
    /// Nothing: claim it.
    New,
    /// The match with this score (or a correction to it): nothing to do.
    Same,
    /// The match with another score: the newest such row, which the candidate corrects.
    OtherScore(ChannelRow),
}

/// Looks for the candidate's match (same pair, dates a few days apart) in the channel's ledger.
fn in_channel(tx: &Backend, channel: u64, key: &str) -> Result<Seen, CorpusError> {
    let Some((pair, score, date)) = split_key(key) else {
        return Ok(Seen::New);
    };
    let rows: Vec<(i64, String, Option<String>, String, bool)> = tx
        .map(
            "SELECT id, match_key, correction_key, state, attempted_at IS NOT NULL \
             FROM announcements WHERE channel_id = ?1 AND match_key >= ?2 AND match_key < ?3 \
             ORDER BY id",
            args![channel as i64, format!("{pair}|"), format!("{pair}}}")],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .doing("checking the channel's ledger")?;
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok();
    let near = |k: &str| {
        let Some((p, _, d)) = split_key(k) else {
            return false;
        };
        let other = NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        p == pair
            && match (day, other) {
                (Some(a), Some(b)) => (a - b).num_days().abs() <= SAME_MATCH_DAYS,
                _ => true,
            }
    };
    let score_of = |k: &str| split_key(k).map(|(_, s, _)| s.to_string());
    let mut other = None;
    for (id, match_key, correction, state, attempted) in rows {
        if !near(&match_key) {
            continue;
        }
        let shown = correction.as_deref().unwrap_or(&match_key);
        if score_of(shown).as_deref() == Some(score)
            || score_of(&match_key).as_deref() == Some(score)
        {
            return Ok(Seen::Same);
        }
        // Nothing was posted for a failed row: there is nothing to correct.
        if state != "failed" {
            other = Some(ChannelRow {
                id,
                state,
                attempted,
            });
        }
    }
    Ok(other.map_or(Seen::New, Seen::OtherScore))
}

/// `pair|score|date` as its three parts (the pair holds a `|` of its own).
fn split_key(key: &str) -> Option<(&str, &str, &str)> {
    let (rest, date) = key.rsplit_once('|')?;
    let (pair, score) = rest.rsplit_once('|')?;
    Some((pair, score, date))
}

/// Applies a later score to a channel's row: a claim not yet posted simply takes the new
/// result; a posted (or perhaps posted) one keeps it as a correction to edit in.
fn correct(tx: &Backend, row: &ChannelRow, c: &Candidate) -> Result<usize, CorpusError> {
    if row.state == "claimed" && !row.attempted {
        tx.execute(
            "UPDATE announcements SET result_id = ?2, match_key = ?3 WHERE id = ?1 \
             AND NOT EXISTS (SELECT 1 FROM announcements o \
                 WHERE o.subscription_id = announcements.subscription_id AND o.match_key = ?3)",
            args![row.id, c.stored.id, &c.match_key],
        )
        .doing("replacing a claim's score")?;
    } else {
        tx.execute(
            "UPDATE announcements SET correction_id = ?2, correction_key = ?3 WHERE id = ?1",
            args![row.id, c.stored.id, &c.match_key],
        )
        .doing("recording a correction")?;
    }
    Ok(1)
}

fn max_result_id(tx: &Backend) -> Result<i64, CorpusError> {
    tx.query_one("SELECT coalesce(max(id), 0) FROM results", &[])
        .and_then(|r| r.get(0))
        .doing("reading the newest result")
}

fn subscription_in(tx: &Backend, id: i64) -> Result<Option<Subscription>, CorpusError> {
    let sql = format!("SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions s WHERE s.id = ?1");
    tx.map_opt(&sql, args![id], subscription)
        .doing("reading a subscription")
}

fn missing(id: i64) -> CorpusError {
    CorpusError::Query {
        doing: format!("reading back subscription {id}"),
        source: DbError::NoRow,
    }
}

fn subscription(r: &Row) -> Result<Subscription, DbError> {
    subscription_at(r, 0)
}

pub(crate) fn subscription_at(r: &Row, at: usize) -> Result<Subscription, DbError> {
    let kind: String = r.get(at + 3)?;
    let schedule: String = r.get(at + 5)?;
    let created: String = r.get(at + 7)?;
    let last_digest: Option<String> = r.get(at + 8)?;
    let created_at = parse_time(&created).unwrap_or_default();
    let guild: i64 = r.get(at + 1)?;
    let channel: i64 = r.get(at + 2)?;
    Ok(Subscription {
        id: r.get(at)?,
        guild_id: guild as u64,
        channel_id: channel as u64,
        target: Target::from_row(&kind, r.get(at + 4)?),
        // Stored schedules were written by `Display`; an unreadable one posts at once.
        schedule: schedule.parse().unwrap_or(Schedule::Instant),
        scanned_to: r.get(at + 6)?,
        created_at,
        last_digest: last_digest
            .as_deref()
            .and_then(parse_time)
            .unwrap_or(created_at),
        paused: r.get(at + 9)?,
    })
}

pub(crate) fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}
