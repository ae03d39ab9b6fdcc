//! The announcer: claims new results for each subscription, then posts what is claimed.
//!
//! Every pass first finishes claims left from before (a crash, a failed post), so a
//! restart completes what was started. A claim whose post may have reached Discord is
//! first looked for among the channel's recent messages (by its nonce, or the marker in
//! its footer, which Discord keeps for good); only when it is not there is it posted, with
//! the nonce fixed by the claim.
//!
//! Channels are queued separately. A channel that must wait (a 429's `retry_after`, the
//! backoff after a server error) is set aside with its "not before" time and the pass goes
//! on with the others; the loop wakes again when the earliest wait ends. Waits are measured
//! on the announcer's [`Clock`], so tests move them with a manual clock.
//!
//! On a database several processes share (PostgreSQL), a channel is served only under
//! its lease, by one process at a time, and its queue is read again once the lease is
//! held. What this process learned about a channel (which nonces were not posted) holds
//! only while it keeps the lease: a process that died holding it may have posted since,
//! so the next holder reads the channel before posting any claim marked attempted.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::message::{digest, ResultNews};
use super::{Clock, PostError, Poster, RecentMessage, Schedule};
use crate::corpus::subscriptions::{nonce, PendingEdit};
use crate::corpus::{Claim, Subscription};
use crate::reply::{truncate, Reply};
use crate::state::Ctx;

/// How the announcer paces itself; the `[announce]` section of the configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnnounceSettings {
    /// Least time between two posts into one guild, so a burst of results is spread out.
    pub guild_gap_ms: u64,
    /// Results dated more than this many days ago are not news.
    pub max_age_days: i64,
    /// First wait after a server error; doubled on each retry.
    pub retry_base_ms: u64,
    /// Failures in a row after which the wait stops doubling (the channel keeps being retried).
    pub max_attempts: u32,
    /// A pass runs at least this often even when nothing wakes the announcer.
    pub idle_check_secs: u64,
}

impl Default for AnnounceSettings {
    fn default() -> Self {
        AnnounceSettings {
            guild_gap_ms: 1_000,
            max_age_days: 3,
            retry_base_ms: 1_000,
            max_attempts: 6,
            idle_check_secs: 60,
        }
    }
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PassReport {
    pub claimed: usize,
    /// Earlier announcements a later score corrects (edited when posted already).
    pub corrected: usize,
    pub sent: usize,
    /// Of `sent`: posts found in the channel after their answer was lost, not posted again.
    pub found: usize,
    /// Announcements edited to show a corrected score.
    pub edited: usize,
    /// Claims and edits left in channels set aside until a rate limit or a backoff ends.
    pub deferred: usize,
    pub paused: usize,
    pub failed: usize,
}

/// Channels posted to at the same time in one pass. Discord lets a channel take about
/// 5 messages per 5 s and a bot about 50 requests per second in all: 16 channels at
/// their steady rate stay well inside the global limit.
const CHANNELS_AT_ONCE: usize = 16;

/// The footer of a message, with the marker that finds it again after a lost answer.
const FOOTER_CHARS: usize = 2_048;

/// How one request for a channel ended.
enum Step {
    Sent(u64),
    /// Found among the channel's messages: it was posted before.
    Found(u64),
    /// The channel is set aside; why.
    Wait(String),
    Gone(String),
    Failed(String),
}

/// A channel set aside: no request before `until`; server errors in a row so far.
#[derive(Debug, Clone, Copy)]
struct Wait {
    until: DateTime<Utc>,
    failures: u32,
}

/// One thing to do in a channel, in order.
enum Job {
    /// A post: one instant claim, or a digest's claims.
    Post(Vec<Claim>),
    /// The corrections to one posted message.
    Edit(Vec<PendingEdit>),
}

impl Job {
    fn size(&self) -> usize {
        match self {
            Job::Post(c) => c.len(),
            Job::Edit(e) => e.len(),
        }
    }
}

/// A message to post: the reply, the claims it holds, its nonce, and whether it may
/// have been posted before.
struct Outgoing {
    reply: Reply,
    claims: Vec<i64>,
    nonce: String,
    attempted: bool,
}

/// Claims and posts announcements until dropped.
pub struct Announcer {
    ctx: Arc<Ctx>,
    poster: Arc<dyn Poster>,
    clock: Arc<dyn Clock>,
    settings: AnnounceSettings,
    /// Per guild, when its last post went (or is reserved to go).
    last_post: Mutex<HashMap<u64, tokio::time::Instant>>,
    /// Channels set aside, by channel id.
    waiting: Mutex<HashMap<u64, Wait>>,
    /// Nonces this process knows were not posted (the channel was read, or Discord
    /// answered with a refusal): no need to read the channel again before posting them.
    /// Kept with their channel, to be forgotten when the channel's lease is given back.
    absent: Mutex<HashSet<(u64, String)>>,
}

/// The marker a message carries in its footer: derived from its nonce, so it is found again.
pub fn marker(nonce: &str) -> String {
    format!("ref {}", nonce.get(2..10).unwrap_or(nonce))
}

/// The reply with its marker at the end of the footer (the footer is shortened to keep it).
fn with_marker(mut reply: Reply, nonce: &str) -> Reply {
    let m = marker(nonce);
    reply.footer = Some(match reply.footer.take() {
        Some(f) if !f.is_empty() => format!(
            "{} · {m}",
            truncate(&f, FOOTER_CHARS - m.chars().count() - 3)
        ),
        _ => m,
    });
    reply
}

/// Whether a channel's message is this announcement's post.
fn is_post_of(message: &RecentMessage, nonce: &str) -> bool {
    let m = marker(nonce);
    message.own
        && (message.nonce.as_deref() == Some(nonce)
            || message.footers.iter().any(|f| f.ends_with(&m)))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Announcer {
    /// An announcer timed by the context's clock.
    pub fn new(ctx: Arc<Ctx>, poster: Arc<dyn Poster>, settings: AnnounceSettings) -> Announcer {
        let clock = Arc::clone(&ctx.clock);
        Announcer {
            ctx,
            poster,
            clock,
            settings,
            last_post: Mutex::new(HashMap::new()),
            waiting: Mutex::new(HashMap::new()),
            absent: Mutex::new(HashSet::new()),
        }
    }

    /// Runs passes for ever: after new results are stored (`ctx.news`), at the next digest
    /// time, when the earliest channel set aside may post again, and at least every idle
    /// period.
    pub async fn run(mut self) {
        loop {
            let idle = match self.pass().await {
                Ok(report) => {
                    if report != PassReport::default() {
                        tracing::debug!(?report, "announcement pass");
                    }
                    Duration::from_secs(self.settings.idle_check_secs.max(1))
                }
                Err(e) => {
                    tracing::error!(error = format!("{e:#}"), "announcement pass failed");
                    Duration::from_millis(self.settings.retry_base_ms.max(100) * 4)
                }
            };
            let next_digest = self.next_digest();
            let next_retry = self.next_retry();
            let clock = Arc::clone(&self.clock);
            let due = |at: Option<DateTime<Utc>>| {
                let clock = Arc::clone(&clock);
                async move {
                    match at {
                        Some(at) => clock.sleep_until(at).await,
                        None => std::future::pending().await,
                    }
                }
            };
            tokio::select! {
                _ = self.ctx.news.notified() => {}
                _ = due(next_digest) => {}
                _ = due(next_retry) => {}
                _ = tokio::time::sleep(idle) => {}
            }
        }
    }

    /// The earliest coming digest time of any active subscription.
    fn next_digest(&self) -> Option<DateTime<Utc>> {
        let subs = self.ctx.with_corpus(|c| c.active_subscriptions()).ok()?;
        subs.iter()
            .filter_map(|s| s.schedule.next_after(s.last_digest))
            .min()
    }

    /// When the earliest channel set aside may be tried again. A wait already over is not
    /// counted (its channel may have nothing left to post), so the loop never spins on it.
    pub fn next_retry(&self) -> Option<DateTime<Utc>> {
        let now = self.clock.now();
        lock(&self.waiting)
            .values()
            .map(|w| w.until)
            .filter(|&until| until > now)
            .min()
    }

    /// Claims what is new (instant subscriptions, then digests that are due), then posts
    /// every pending claim and edit, except in channels set aside that must still wait.
    pub async fn pass(&mut self) -> anyhow::Result<PassReport> {
        let mut report = PassReport::default();
        let now = self.clock.now();
        let fresh_since = (now - chrono::Duration::days(self.settings.max_age_days)).date_naive();
        let mut subs = self.ctx.with_corpus(|c| c.active_subscriptions())?;
        // Instant subscriptions claim first: a match that reaches a channel through an
        // instant and a digest subscription is posted at once, and the digest leaves it out.
        subs.sort_by_key(|s| (s.schedule != Schedule::Instant, s.id));
        for sub in subs {
            let batch = match sub.schedule {
                Schedule::Instant => None,
                Schedule::Daily { .. } => match sub.schedule.due_between(sub.last_digest, now) {
                    Some(at) => Some(at),
                    None => continue,
                },
            };
            let claimed = self
                .ctx
                .with_corpus(|c| c.claim_new_results(sub.id, batch, fresh_since, now))?;
            report.claimed += claimed.new;
            report.corrected += claimed.corrections;
        }
        let channels = self.queues()?;
        let now = self.clock.now();
        let mut ready = Vec::with_capacity(channels.len());
        {
            let waiting = lock(&self.waiting);
            for (channel, jobs) in channels {
                match waiting.get(&channel) {
                    Some(w) if w.until > now => {
                        report.deferred += jobs.iter().map(Job::size).sum::<usize>();
                    }
                    _ => ready.push((channel, jobs)),
                }
            }
        }
        let totals = Mutex::new(report);
        let this = &*self;
        let outcomes: Vec<anyhow::Result<()>> = futures_util::stream::iter(ready)
            .map(|(channel, jobs)| this.serve_leased(channel, jobs, &totals))
            .buffer_unordered(CHANNELS_AT_ONCE)
            .collect()
            .await;
        outcomes.into_iter().collect::<anyhow::Result<Vec<()>>>()?;
        Ok(totals.into_inner().unwrap_or_else(|p| p.into_inner()))
    }

    /// One queue per channel, in claim order: posts first, then edits of posted messages.
    fn queues(&self) -> anyhow::Result<Vec<(u64, Vec<Job>)>> {
        let claims = self.ctx.with_corpus(|c| c.pending_claims())?;
        let edits = self.ctx.with_corpus(|c| c.pending_edits())?;
        let mut channels: Vec<(u64, Vec<Job>)> = Vec::new();
        let mut push =
            |channel: u64, job: Job| match channels.iter_mut().find(|(c, _)| *c == channel) {
                Some((_, queue)) => queue.push(job),
                None => channels.push((channel, vec![job])),
            };
        for group in groups(claims) {
            push(group[0].subscription.channel_id, Job::Post(group));
        }
        for group in edit_groups(edits) {
            push(group[0].subscription.channel_id, Job::Edit(group));
        }
        Ok(channels)
    }

    /// Serves a channel under its lease: skipped when another process holds it; on a
    /// shared database the queue is read again once the lease is held.
    async fn serve_leased(
        &self,
        channel: u64,
        queue: Vec<Job>,
        totals: &Mutex<PassReport>,
    ) -> anyhow::Result<()> {
        if !self.ctx.with_corpus(|c| c.shares_work()) {
            return self.serve_channel(queue, totals).await;
        }
        if !self.ctx.with_corpus(|c| c.try_lease_channel(channel))? {
            tracing::debug!(channel, "another process serves this channel");
            return Ok(());
        }
        let served = match self.channel_queue(channel) {
            Ok(queue) => self.serve_channel(queue, totals).await,
            Err(e) => Err(e),
        };
        lock(&self.absent).retain(|(c, _)| *c != channel);
        self.ctx.with_corpus(|c| c.release_channel(channel))?;
        served
    }

    /// One channel's queue as the ledger holds it now.
    fn channel_queue(&self, channel: u64) -> anyhow::Result<Vec<Job>> {
        let claims = self.ctx.with_corpus(|c| c.pending_claims_in(channel))?;
        let edits = self.ctx.with_corpus(|c| c.pending_edits_in(channel))?;
        let mut queue: Vec<Job> = groups(claims).into_iter().map(Job::Post).collect();
        queue.extend(edit_groups(edits).into_iter().map(Job::Edit));
        Ok(queue)
    }

    /// Works through one channel's queue in order; stops when the channel must wait.
    async fn serve_channel(
        &self,
        queue: Vec<Job>,
        totals: &Mutex<PassReport>,
    ) -> anyhow::Result<()> {
        let count = |f: &dyn Fn(&mut PassReport)| f(&mut lock(totals));
        let mut paused: Vec<i64> = Vec::new();
        let mut jobs = queue.into_iter();
        while let Some(job) = jobs.next() {
            let sub = match &job {
                Job::Post(g) => g[0].subscription.clone(),
                Job::Edit(e) => e[0].subscription.clone(),
            };
            if paused.contains(&sub.id) {
                continue;
            }
            let waited = match job {
                Job::Post(group) => self.post_group(&sub, &group, totals, &mut paused).await?,
                Job::Edit(edits) => self.edit_message(&sub, &edits, totals).await?,
            };
            if waited {
                // Keep the channel's order: nothing after it goes first.
                let rest: usize = jobs.map(|j| j.size()).sum();
                count(&|r| r.deferred += rest);
                return Ok(());
            }
        }
        Ok(())
    }

    /// Posts one group's messages; true when the channel was set aside.
    async fn post_group(
        &self,
        sub: &Subscription,
        group: &[Claim],
        totals: &Mutex<PassReport>,
        paused: &mut Vec<i64>,
    ) -> anyhow::Result<bool> {
        let count = |f: &dyn Fn(&mut PassReport)| f(&mut lock(totals));
        for out in self.compose(sub, group, totals)? {
            let n = out.claims.len();
            let step = self.deliver(sub, &out).await?;
            if let Step::Sent(message_id) | Step::Found(message_id) = step {
                let found = matches!(step, Step::Found(_));
                let now = self.clock.now();
                self.ctx
                    .with_corpus(|c| c.mark_sent(&out.claims, message_id, now))?;
                count(&|r| {
                    r.sent += n;
                    r.found += usize::from(found);
                });
                tracing::info!(
                    subscription = sub.id,
                    channel = sub.channel_id,
                    message = message_id,
                    results = n,
                    found,
                    "announcement posted"
                );
                continue;
            }
            match step {
                Step::Sent(_) | Step::Found(_) => {}
                Step::Wait(why) => {
                    count(&|r| r.deferred += n);
                    tracing::warn!(
                        subscription = sub.id,
                        channel = sub.channel_id,
                        reason = %why,
                        "channel set aside; the others go on"
                    );
                    return Ok(true);
                }
                Step::Gone(why) => {
                    let reason = format!("paused: {why}");
                    self.ctx
                        .with_corpus(|c| c.pause_subscription(sub.id, &reason))?;
                    paused.push(sub.id);
                    count(&|r| r.paused += 1);
                    tracing::warn!(
                        subscription = sub.id,
                        guild = sub.guild_id,
                        channel = sub.channel_id,
                        reason = %why,
                        "subscription paused: the channel refuses posts"
                    );
                    return Ok(false);
                }
                Step::Failed(why) => {
                    let now = self.clock.now();
                    self.ctx
                        .with_corpus(|c| c.mark_failed(&out.claims, &why, now))?;
                    count(&|r| r.failed += n);
                    tracing::error!(
                        subscription = sub.id,
                        channel = sub.channel_id,
                        error = %why,
                        "announcement refused; it will not be retried"
                    );
                }
            }
        }
        Ok(false)
    }

    /// A group's messages: one per instant claim, a digest split as Discord's limits ask.
    fn compose(
        &self,
        sub: &Subscription,
        group: &[Claim],
        totals: &Mutex<PassReport>,
    ) -> anyhow::Result<Vec<Outgoing>> {
        let mut news = Vec::with_capacity(group.len());
        let mut kept: Vec<&Claim> = Vec::with_capacity(group.len());
        for claim in group {
            match self
                .ctx
                .with_corpus(|c| ResultNews::load(c, claim.result_id))?
            {
                Some(n) => {
                    news.push(n);
                    kept.push(claim);
                }
                None => {
                    let now = self.clock.now();
                    self.ctx.with_corpus(|c| {
                        c.mark_failed(&[claim.id], "the result was removed", now)
                    })?;
                    lock(totals).failed += 1;
                }
            }
        }
        if news.is_empty() {
            return Ok(Vec::new());
        }
        Ok(match group[0].batch {
            None => vec![Outgoing {
                reply: with_marker(news[0].reply(&self.ctx.teams), &kept[0].nonce),
                claims: vec![kept[0].id],
                nonce: kept[0].nonce.clone(),
                attempted: kept[0].attempted,
            }],
            Some(at) => {
                let mut rest = kept.as_slice();
                digest(sub.target.name(), at, &news, &self.ctx.teams)
                    .into_iter()
                    .map(|(reply, n)| {
                        let (these, more) = rest.split_at(n.min(rest.len()));
                        rest = more;
                        // The first claim fixes the nonce: after a crash the remaining
                        // claims split again from the same place.
                        let nonce = digest_nonce(sub.id, at, these.first().map_or(0, |c| c.id));
                        Outgoing {
                            reply: with_marker(reply, &nonce),
                            claims: these.iter().map(|c| c.id).collect(),
                            attempted: these.iter().any(|c| c.attempted),
                            nonce,
                        }
                    })
                    .collect()
            }
        })
    }

    /// Posts one message once: first, when it may have been posted before, looks for it
    /// in the channel. A wait sets the channel aside instead of sleeping here.
    async fn deliver(&self, sub: &Subscription, out: &Outgoing) -> anyhow::Result<Step> {
        let channel = sub.channel_id;
        let key = (channel, out.nonce.clone());
        let known_absent = lock(&self.absent).contains(&key);
        if out.attempted && !known_absent {
            match self.poster.recent(channel).await {
                Ok(messages) => {
                    if let Some(m) = messages.iter().find(|m| is_post_of(m, &out.nonce)) {
                        tracing::info!(
                            channel,
                            message = m.id,
                            "an earlier post was found in the channel; not posting again"
                        );
                        self.clear_wait(channel);
                        return Ok(Step::Found(m.id));
                    }
                }
                Err(e @ (PostError::RateLimited { .. } | PostError::Transient(_))) => {
                    return Ok(self.set_aside(channel, &e));
                }
                // Without Read Message History the nonce is all there is.
                Err(e) => tracing::warn!(
                    channel,
                    error = %e,
                    "cannot read the channel to check for an earlier post; posting with its nonce"
                ),
            }
        } else if !out.attempted {
            let now = self.clock.now();
            self.ctx
                .with_corpus(|c| c.mark_attempted(&out.claims, now))?;
        }
        // From here until an unclear answer, this process knows the post is not made.
        lock(&self.absent).insert(key.clone());
        tokio::time::sleep_until(self.guild_slot(sub.guild_id)).await;
        Ok(
            match self.poster.post(channel, &out.reply, &out.nonce).await {
                Ok(id) => {
                    self.clear_wait(channel);
                    lock(&self.absent).remove(&key);
                    Step::Sent(id)
                }
                Err(e @ PostError::RateLimited { .. }) => self.set_aside(channel, &e),
                Err(e @ PostError::Transient(_)) => {
                    // Discord may have made it: read the channel before the next try.
                    lock(&self.absent).remove(&key);
                    self.set_aside(channel, &e)
                }
                Err(e @ PostError::Gone { .. }) => Step::Gone(e.to_string()),
                Err(e @ PostError::Rejected { .. }) => Step::Failed(e.to_string()),
            },
        )
    }

    /// Edits one posted message to show its corrections; true when the channel was set aside.
    async fn edit_message(
        &self,
        sub: &Subscription,
        edits: &[PendingEdit],
        totals: &Mutex<PassReport>,
    ) -> anyhow::Result<bool> {
        let first = &edits[0];
        let Some(reply) = self.corrected_reply(sub, first)? else {
            for e in edits {
                self.ctx
                    .with_corpus(|c| c.drop_correction(e.id, "the result was removed"))?;
            }
            return Ok(false);
        };
        tokio::time::sleep_until(self.guild_slot(sub.guild_id)).await;
        let outcome = self
            .poster
            .edit(sub.channel_id, first.message_id, &reply)
            .await;
        match outcome {
            Ok(_) => {
                self.clear_wait(sub.channel_id);
                let now = self.clock.now();
                for e in edits {
                    self.ctx.with_corpus(|c| c.mark_edited(e.id, now))?;
                }
                lock(totals).edited += edits.len();
                tracing::info!(
                    channel = sub.channel_id,
                    message = first.message_id,
                    "announcement edited to a corrected score"
                );
                Ok(false)
            }
            Err(e @ (PostError::RateLimited { .. } | PostError::Transient(_))) => {
                self.set_aside(sub.channel_id, &e);
                lock(totals).deferred += edits.len();
                Ok(true)
            }
            Err(e) => {
                // The message was deleted, or the bot may no longer touch it.
                let why = format!("cannot edit the announcement: {e}");
                tracing::warn!(channel = sub.channel_id, message = first.message_id, error = %e, "correction dropped");
                for edit in edits {
                    self.ctx.with_corpus(|c| c.drop_correction(edit.id, &why))?;
                }
                Ok(false)
            }
        }
    }

    /// What a corrected message shows: the new result alone, or its whole digest again
    /// (from this message's lines only: a digest split over several messages loses its
    /// part number in the edit). A digest subscription reads corrections at its digest time.
    fn corrected_reply(
        &self,
        sub: &Subscription,
        e: &PendingEdit,
    ) -> anyhow::Result<Option<Reply>> {
        let teams = &self.ctx.teams;
        let Some(at) = e.batch else {
            let news = self
                .ctx
                .with_corpus(|c| ResultNews::load(c, e.correction_id))?;
            return Ok(news.map(|n| with_marker(n.reply(teams), &e.nonce)));
        };
        let rows = self.ctx.with_corpus(|c| c.message_results(e.message_id))?;
        let mut news = Vec::with_capacity(rows.len());
        for (_, result) in &rows {
            if let Some(n) = self.ctx.with_corpus(|c| ResultNews::load(c, *result))? {
                news.push(n);
            }
        }
        let nonce = digest_nonce(sub.id, at, rows.first().map_or(0, |(id, _)| *id));
        Ok(digest(sub.target.name(), at, &news, teams)
            .into_iter()
            .next()
            .map(|(reply, _)| with_marker(reply, &nonce)))
    }

    /// Sets a channel aside after `error`: until `retry_after`, or for a backoff that
    /// doubles with each server error in a row (with jitter, so bots do not retry in step).
    fn set_aside(&self, channel: u64, error: &PostError) -> Step {
        let now = self.clock.now();
        let mut waiting = lock(&self.waiting);
        let w = waiting.entry(channel).or_insert(Wait {
            until: now,
            failures: 0,
        });
        let wait = match error {
            PostError::RateLimited { retry_after } => *retry_after,
            _ => {
                w.failures += 1;
                let doublings = (w.failures - 1).min(self.settings.max_attempts.saturating_sub(1));
                let backoff = self
                    .settings
                    .retry_base_ms
                    .saturating_mul(1 << doublings.min(10));
                Duration::from_millis(backoff + fastrand::u64(0..=backoff / 4 + 1))
            }
        };
        w.until = now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1));
        Step::Wait(format!("{error}; not before {}", w.until.to_rfc3339()))
    }

    fn clear_wait(&self, channel: u64) {
        lock(&self.waiting).remove(&channel);
    }

    /// The next moment a post into `guild` may go, reserved so that channels posting side
    /// by side still keep the gap between them.
    fn guild_slot(&self, guild: u64) -> tokio::time::Instant {
        let gap = Duration::from_millis(self.settings.guild_gap_ms);
        let now = tokio::time::Instant::now();
        let mut slots = lock(&self.last_post);
        let slot = slots.get(&guild).map_or(now, |last| (*last + gap).max(now));
        slots.insert(guild, slot);
        slot
    }
}

/// The nonce of a digest message: fixed by the subscription, the digest time and its first claim.
fn digest_nonce(subscription: i64, at: DateTime<Utc>, first_claim: i64) -> String {
    nonce(&format!("{subscription}:{}:{first_claim}", at.to_rfc3339()))
}

/// Pending edits by the message they change.
fn edit_groups(edits: Vec<PendingEdit>) -> Vec<Vec<PendingEdit>> {
    let mut by_message: Vec<Vec<PendingEdit>> = Vec::new();
    for e in edits {
        match by_message
            .iter_mut()
            .find(|g| g[0].message_id == e.message_id)
        {
            Some(g) => g.push(e),
            None => by_message.push(vec![e]),
        }
    }
    by_message
}

/// Pending claims as posts: each instant claim alone, digest claims by (subscription, time).
fn groups(claims: Vec<Claim>) -> Vec<Vec<Claim>> {
    let mut out: Vec<Vec<Claim>> = Vec::new();
    let mut digests: HashMap<(i64, DateTime<Utc>), usize> = HashMap::new();
    for claim in claims {
        match claim.batch {
            None => out.push(vec![claim]),
            Some(at) => match digests.get(&(claim.subscription.id, at)) {
                Some(&i) => out[i].push(claim),
                None => {
                    digests.insert((claim.subscription.id, at), out.len());
                    out.push(vec![claim]);
                }
            },
        }
    }
    out
}
