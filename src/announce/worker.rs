//! The announcer: claims new results for each subscription, then posts what is claimed.
//!
//! Every pass first finishes claims left from before (a crash, a failed post), so a
//! restart completes what was started; the nonce of each post is fixed by the claim,
//! so a post that reached Discord before the crash is answered with the same message.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::message::{digest, ResultNews};
use super::{Clock, PostError, Poster, Schedule};
use crate::commands::Ctx;
use crate::corpus::subscriptions::nonce;
use crate::corpus::{Claim, Subscription};
use crate::reply::Reply;

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
    /// Attempts at one post before it is left for a later pass.
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
    pub sent: usize,
    /// Posts left for a later pass after repeated server errors.
    pub deferred: usize,
    pub paused: usize,
    pub failed: usize,
}

/// Channels posted to at the same time in one pass. Discord lets a channel take about
/// 5 messages per 5 s and a bot about 50 requests per second in all: 16 channels at
/// their steady rate stay well inside the global limit.
const CHANNELS_AT_ONCE: usize = 16;

/// How a post attempt ended, after retries.
enum Outcome {
    Sent(u64),
    Deferred(String),
    Gone(String),
    Failed(String),
}

/// Claims and posts announcements until dropped.
pub struct Announcer {
    ctx: Arc<Ctx>,
    poster: Arc<dyn Poster>,
    clock: Arc<dyn Clock>,
    settings: AnnounceSettings,
    /// Per guild, when its last post went (or is reserved to go).
    last_post: Mutex<HashMap<u64, tokio::time::Instant>>,
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
        }
    }

    /// Runs passes for ever: after new results are stored (`ctx.news`), at the next digest
    /// time, after a retry delay when posts were deferred, and at least every idle period.
    pub async fn run(mut self) {
        loop {
            let report = match self.pass().await {
                Ok(r) => r,
                Err(e) => {
                    tracing::error!(error = format!("{e:#}"), "announcement pass failed");
                    PassReport {
                        deferred: 1,
                        ..PassReport::default()
                    }
                }
            };
            if report != PassReport::default() {
                tracing::debug!(?report, "announcement pass");
            }
            let next_digest = self.next_digest();
            let idle = if report.deferred > 0 {
                Duration::from_millis(self.settings.retry_base_ms.max(100) * 4)
            } else {
                Duration::from_secs(self.settings.idle_check_secs.max(1))
            };
            let clock = Arc::clone(&self.clock);
            let digest_due = async {
                match next_digest {
                    Some(at) => clock.sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = self.ctx.news.notified() => {}
                _ = digest_due => {}
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

    /// Claims what is new (instant subscriptions, and digests that are due), then posts
    /// every pending claim.
    pub async fn pass(&mut self) -> anyhow::Result<PassReport> {
        let mut report = PassReport::default();
        let now = self.clock.now();
        let fresh_since = (now - chrono::Duration::days(self.settings.max_age_days)).date_naive();
        for sub in self.ctx.with_corpus(|c| c.active_subscriptions())? {
            let batch = match sub.schedule {
                Schedule::Instant => None,
                Schedule::Daily { .. } => match sub.schedule.due_between(sub.last_digest, now) {
                    Some(at) => Some(at),
                    None => continue,
                },
            };
            report.claimed += self
                .ctx
                .with_corpus(|c| c.claim_new_results(sub.id, batch, fresh_since, now))?;
        }
        let claims = self.ctx.with_corpus(|c| c.pending_claims())?;
        // One queue per channel, in claim order. Channels are served side by side, so a
        // channel waiting for its rate-limit bucket does not hold up the others.
        let mut channels: Vec<(u64, Vec<Vec<Claim>>)> = Vec::new();
        for group in groups(claims) {
            let channel = group[0].subscription.channel_id;
            match channels.iter_mut().find(|(c, _)| *c == channel) {
                Some((_, queue)) => queue.push(group),
                None => channels.push((channel, vec![group])),
            }
        }
        let totals = Mutex::new(report);
        let this = &*self;
        let outcomes: Vec<anyhow::Result<()>> = futures_util::stream::iter(channels)
            .map(|(_, queue)| this.post_channel(queue, &totals))
            .buffer_unordered(CHANNELS_AT_ONCE)
            .collect()
            .await;
        outcomes.into_iter().collect::<anyhow::Result<Vec<()>>>()?;
        Ok(totals.into_inner().unwrap_or_else(|p| p.into_inner()))
    }

    /// Posts one channel's pending groups in order; stops at a pause or a deferral.
    async fn post_channel(
        &self,
        queue: Vec<Vec<Claim>>,
        totals: &Mutex<PassReport>,
    ) -> anyhow::Result<()> {
        let count = |f: &dyn Fn(&mut PassReport)| {
            f(&mut totals.lock().unwrap_or_else(|p| p.into_inner()));
        };
        let mut paused: Vec<i64> = Vec::new();
        for group in queue {
            let sub = group[0].subscription.clone();
            if paused.contains(&sub.id) {
                continue;
            }
            let mut news = Vec::with_capacity(group.len());
            let mut posted_claims = Vec::with_capacity(group.len());
            for claim in &group {
                match self
                    .ctx
                    .with_corpus(|c| ResultNews::load(c, claim.result_id))?
                {
                    Some(n) => {
                        news.push(n);
                        posted_claims.push(claim.id);
                    }
                    None => {
                        let now = self.clock.now();
                        self.ctx.with_corpus(|c| {
                            c.mark_failed(&[claim.id], "the result was removed", now)
                        })?;
                        count(&|r| r.failed += 1);
                    }
                }
            }
            if news.is_empty() {
                continue;
            }
            let messages: Vec<(Reply, Vec<i64>, String)> = match group[0].batch {
                None => vec![(
                    news[0].reply(&self.ctx.teams),
                    posted_claims,
                    group[0].nonce.clone(),
                )],
                Some(at) => {
                    let mut rest = posted_claims.as_slice();
                    digest(sub.target.name(), at, &news, &self.ctx.teams)
                        .into_iter()
                        .map(|(reply, n)| {
                            let (these, more) = rest.split_at(n.min(rest.len()));
                            rest = more;
                            // The first claim fixes the nonce: after a crash the remaining
                            // claims split again from the same place.
                            let nonce = nonce(&format!(
                                "{}:{}:{}",
                                sub.id,
                                at.to_rfc3339(),
                                these.first().copied().unwrap_or_default()
                            ));
                            (reply, these.to_vec(), nonce)
                        })
                        .collect()
                }
            };
            for (reply, claim_ids, nonce) in messages {
                match self.post(&sub, &reply, &nonce).await {
                    Outcome::Sent(message_id) => {
                        let now = self.clock.now();
                        self.ctx
                            .with_corpus(|c| c.mark_sent(&claim_ids, message_id, now))?;
                        count(&|r| r.sent += claim_ids.len());
                        tracing::info!(
                            subscription = sub.id,
                            channel = sub.channel_id,
                            message = message_id,
                            results = claim_ids.len(),
                            "announcement posted"
                        );
                    }
                    Outcome::Deferred(why) => {
                        count(&|r| r.deferred += claim_ids.len());
                        tracing::warn!(
                            subscription = sub.id,
                            channel = sub.channel_id,
                            error = %why,
                            "announcement deferred to a later pass"
                        );
                        // Keep the channel's order: nothing after it goes first.
                        return Ok(());
                    }
                    Outcome::Gone(why) => {
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
                        break;
                    }
                    Outcome::Failed(why) => {
                        let now = self.clock.now();
                        self.ctx
                            .with_corpus(|c| c.mark_failed(&claim_ids, &why, now))?;
                        count(&|r| r.failed += claim_ids.len());
                        tracing::error!(
                            subscription = sub.id,
                            channel = sub.channel_id,
                            error = %why,
                            "announcement refused; it will not be retried"
                        );
                    }
                }
            }
        }
        Ok(())
    }

    /// Posts one message, waiting out rate limits and retrying server errors with backoff.
    async fn post(&self, sub: &Subscription, reply: &Reply, nonce: &str) -> Outcome {
        let mut failures = 0u32;
        let mut rate_limits = 0u32;
        loop {
            tokio::time::sleep_until(self.guild_slot(sub.guild_id)).await;
            let outcome = self.poster.post(sub.channel_id, reply, nonce).await;
            match outcome {
                Ok(id) => return Outcome::Sent(id),
                Err(PostError::RateLimited { retry_after }) => {
                    rate_limits += 1;
                    tracing::warn!(
                        channel = sub.channel_id,
                        ?retry_after,
                        "rate limited by Discord; waiting"
                    );
                    if rate_limits > self.settings.max_attempts * 2 {
                        return Outcome::Deferred("rate limited again and again".into());
                    }
                    tokio::time::sleep(retry_after).await;
                }
                Err(PostError::Transient(why)) => {
                    failures += 1;
                    if failures >= self.settings.max_attempts {
                        return Outcome::Deferred(why);
                    }
                    let backoff = self
                        .settings
                        .retry_base_ms
                        .saturating_mul(1 << (failures - 1).min(10));
                    // Jitter so that several bots (or shards) do not retry in step.
                    let jitter = fastrand::u64(0..=backoff / 4 + 1);
                    tracing::warn!(
                        channel = sub.channel_id,
                        error = %why,
                        retry_in_ms = backoff + jitter,
                        "post failed; retrying"
                    );
                    tokio::time::sleep(Duration::from_millis(backoff + jitter)).await;
                }
                Err(e @ PostError::Gone { .. }) => return Outcome::Gone(e.to_string()),
                Err(e @ PostError::Rejected { .. }) => return Outcome::Failed(e.to_string()),
            }
        }
    }
}

impl Announcer {
    /// The next moment a post into `guild` may go, reserved so that channels posting side
    /// by side still keep the gap between them.
    fn guild_slot(&self, guild: u64) -> tokio::time::Instant {
        let gap = Duration::from_millis(self.settings.guild_gap_ms);
        let now = tokio::time::Instant::now();
        let mut slots = self.last_post.lock().unwrap_or_else(|p| p.into_inner());
        let slot = slots.get(&guild).map_or(now, |last| (*last + gap).max(now));
        slots.insert(guild, slot);
        slot
    }
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
