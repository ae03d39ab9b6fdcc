//! The announcement ledger after the claim: what is waiting to be posted or edited, and
//! what each post and edit did. See `subscriptions.rs` for how claims are made.

use chrono::{DateTime, Utc};

use super::db::{args, DbError, Row};
use super::subscriptions::{parse_time, subscription_at, LedgerEdit, PendingEdit};
use super::subscriptions::{Claim, SUBSCRIPTION_COLUMNS};
use super::{Corpus, CorpusError, Doing};

/// An announcement being edited: channel, message, result shown, correction and its key.
type EditedRow = (i64, i64, i64, Option<i64>, Option<String>);

fn claim(r: &Row) -> Result<Claim, DbError> {
    let batch: Option<String> = r.get(2)?;
    Ok(Claim {
        id: r.get(0)?,
        result_id: r.get(1)?,
        batch: batch.as_deref().and_then(parse_time),
        nonce: r.get(3)?,
        attempted: r.get(4)?,
        subscription: subscription_at(r, 5)?,
    })
}

fn pending_edit(r: &Row) -> Result<PendingEdit, DbError> {
    let batch: Option<String> = r.get(4)?;
    Ok(PendingEdit {
        id: r.get(0)?,
        message_id: r.get(1)?,
        result_id: r.get(2)?,
        correction_id: r.get(3)?,
        batch: batch.as_deref().and_then(parse_time),
        nonce: r.get(5)?,
        subscription: subscription_at(r, 6)?,
    })
}

const CLAIMS: &str = "SELECT a.id, a.result_id, a.batch, a.nonce, a.attempted_at IS NOT NULL";
const EDITS: &str = "SELECT a.id, a.message_id, a.result_id, a.correction_id, a.batch, a.nonce";

impl Corpus {
    /// Claims not yet sent, of subscriptions that are not paused, oldest first.
    pub fn pending_claims(&self) -> Result<Vec<Claim>, CorpusError> {
        let sql = format!(
            "{CLAIMS}, {SUBSCRIPTION_COLUMNS} \
             FROM announcements a JOIN subscriptions s ON s.id = a.subscription_id \
             WHERE a.state = 'claimed' AND s.paused IS NULL ORDER BY a.id"
        );
        self.db
            .map(&sql, &[], claim)
            .doing("listing pending announcements")
    }

    /// [`Corpus::pending_claims`] of one channel: read again once its lease is held, so
    /// that what another process finished meanwhile is not posted twice.
    pub fn pending_claims_in(&self, channel_id: u64) -> Result<Vec<Claim>, CorpusError> {
        let sql = format!(
            "{CLAIMS}, {SUBSCRIPTION_COLUMNS} \
             FROM announcements a JOIN subscriptions s ON s.id = a.subscription_id \
             WHERE a.state = 'claimed' AND s.paused IS NULL AND a.channel_id = ?1 ORDER BY a.id"
        );
        self.db
            .map(&sql, args![channel_id as i64], claim)
            .doing("listing a channel's pending announcements")
    }

    /// Records, before a post goes out, that it may reach Discord: from now on the channel
    /// is read before the claims are posted again.
    pub fn mark_attempted(
        &mut self,
        claims: &[i64],
        now: DateTime<Utc>,
    ) -> Result<(), CorpusError> {
        let tx = self.db.begin().doing("starting a ledger update")?;
        for id in claims {
            tx.execute(
                "UPDATE announcements SET attempted_at = coalesce(attempted_at, ?2) WHERE id = ?1",
                args![*id, now.to_rfc3339()],
            )
            .doing("recording a post attempt")?;
        }
        tx.commit().doing("committing a ledger update")
    }

    /// Posted announcements of active subscriptions that a later score corrects, oldest first.
    pub fn pending_edits(&self) -> Result<Vec<PendingEdit>, CorpusError> {
        let sql = format!(
            "{EDITS}, {SUBSCRIPTION_COLUMNS} \
             FROM announcements a JOIN subscriptions s ON s.id = a.subscription_id \
             WHERE a.correction_id IS NOT NULL AND a.state = 'sent' \
             AND a.message_id IS NOT NULL AND s.paused IS NULL ORDER BY a.id"
        );
        self.db
            .map(&sql, &[], pending_edit)
            .doing("listing pending corrections")
    }

    /// [`Corpus::pending_edits`] of one channel, read again once its lease is held.
    pub fn pending_edits_in(&self, channel_id: u64) -> Result<Vec<PendingEdit>, CorpusError> {
        let sql = format!(
            "{EDITS}, {SUBSCRIPTION_COLUMNS} \
             FROM announcements a JOIN subscriptions s ON s.id = a.subscription_id \
             WHERE a.correction_id IS NOT NULL AND a.state = 'sent' \
             AND a.message_id IS NOT NULL AND s.paused IS NULL AND a.channel_id = ?1 \
             ORDER BY a.id"
        );
        self.db
            .map(&sql, args![channel_id as i64], pending_edit)
            .doing("listing a channel's pending corrections")
    }

    /// The results one posted message shows, in order, corrections in place of what they
    /// correct (a digest is composed again from these when one of its lines is corrected).
    /// Returns (announcement id, result id) pairs.
    pub fn message_results(&self, message_id: u64) -> Result<Vec<(i64, i64)>, CorpusError> {
        self.db
            .map(
                "SELECT id, coalesce(correction_id, result_id) FROM announcements \
                 WHERE message_id = ?1 AND state = 'sent' ORDER BY id",
                args![message_id as i64],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .doing("reading the results of a posted message")
    }

    /// Records that announcement `id`'s message now shows its correction.
    pub fn mark_edited(&mut self, id: i64, now: DateTime<Utc>) -> Result<(), CorpusError> {
        let tx = self.db.begin().doing("starting a ledger update")?;
        let row: Option<EditedRow> = tx
            .map_opt(
                "SELECT channel_id, message_id, result_id, correction_id, correction_key \
                 FROM announcements WHERE id = ?1 AND message_id IS NOT NULL",
                args![id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .doing("reading a corrected announcement")?;
        let Some((channel, message, from, Some(to), key)) = row else {
            return Ok(());
        };
        // The match key follows the score shown, unless the subscription holds that key on
        // another row already (then the old key stays; the correction is done either way).
        tx.execute(
            "UPDATE announcements SET match_key = ?2 WHERE id = ?1 AND NOT EXISTS \
             (SELECT 1 FROM announcements o WHERE o.subscription_id = announcements.subscription_id \
              AND o.match_key = ?2)",
            args![id, key],
        )
        .doing("recording an edit")?;
        tx.execute(
            "UPDATE announcements SET result_id = ?2, correction_id = NULL, \
             correction_key = NULL WHERE id = ?1",
            args![id, to],
        )
        .doing("recording an edit")?;
        tx.execute(
            "INSERT INTO announcement_edits \
             (announcement_id, channel_id, message_id, from_result, to_result, edited_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            args![id, channel, message, from, to, now.to_rfc3339()],
        )
        .doing("recording an edit")?;
        tx.commit().doing("committing a ledger update")
    }

    /// Gives up a correction that cannot be edited in (the message was deleted).
    pub fn drop_correction(&mut self, id: i64, detail: &str) -> Result<(), CorpusError> {
        self.db
            .execute(
                "UPDATE announcements SET correction_id = NULL, correction_key = NULL, \
                 detail = ?2 WHERE id = ?1",
                args![id, detail],
            )
            .doing("dropping a correction")?;
        Ok(())
    }

    /// The edits made to announcements in a channel, oldest first.
    pub fn ledger_edits(&self, channel_id: u64) -> Result<Vec<LedgerEdit>, CorpusError> {
        self.db
            .map(
                "SELECT announcement_id, message_id, from_result, to_result \
                 FROM announcement_edits WHERE channel_id = ?1 ORDER BY id",
                args![channel_id as i64],
                |r| {
                    Ok(LedgerEdit {
                        announcement_id: r.get(0)?,
                        message_id: r.get(1)?,
                        from_result: r.get(2)?,
                        to_result: r.get(3)?,
                    })
                },
            )
            .doing("listing a channel's edits")
    }

    /// Records that the claims were posted as `message_id`.
    pub fn mark_sent(
        &mut self,
        claims: &[i64],
        message_id: u64,
        now: DateTime<Utc>,
    ) -> Result<(), CorpusError> {
        self.set_state(claims, "sent", Some(message_id), None, now)
    }

    /// Records that the claims will never be posted (Discord refused the message itself).
    pub fn mark_failed(
        &mut self,
        claims: &[i64],
        detail: &str,
        now: DateTime<Utc>,
    ) -> Result<(), CorpusError> {
        self.set_state(claims, "failed", None, Some(detail), now)
    }

    fn set_state(
        &mut self,
        claims: &[i64],
        state: &str,
        message_id: Option<u64>,
        detail: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), CorpusError> {
        let tx = self.db.begin().doing("starting a ledger update")?;
        for id in claims {
            tx.execute(
                "UPDATE announcements SET state = ?2, message_id = ?3, detail = ?4, sent_at = ?5 \
                 WHERE id = ?1 AND state = 'claimed'",
                args![
                    *id,
                    state,
                    message_id.map(|m| m as i64),
                    detail,
                    now.to_rfc3339()
                ],
            )
            .doing("updating the ledger")?;
        }
        tx.commit().doing("committing a ledger update")
    }

    /// How many announcements a subscription has in each state: (claimed, sent, failed).
    pub fn ledger_counts(&self, subscription_id: i64) -> Result<(u64, u64, u64), CorpusError> {
        self.db
            .query_one(
                "SELECT count(*) FILTER (WHERE state = 'claimed'), \
                 count(*) FILTER (WHERE state = 'sent'), count(*) FILTER (WHERE state = 'failed') \
                 FROM announcements WHERE subscription_id = ?1",
                args![subscription_id],
            )
            .and_then(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .doing("counting a subscription's announcements")
    }

    /// Announcements still claimed, in every channel (none are left when all is posted).
    pub fn claimed_count(&self) -> Result<u64, CorpusError> {
        self.db
            .query_one(
                "SELECT count(*) FROM announcements WHERE state = 'claimed'",
                &[],
            )
            .and_then(|r| r.get(0))
            .doing("counting claimed announcements")
    }
}
