//! Leases that let several processes share one PostgreSQL database without doing the
//! same work twice: a channel's announcements are posted by the one process holding the
//! channel's lease, a source is polled by the one holding the source's lease, and claims
//! for one channel are made one transaction at a time.
//!
//! They are PostgreSQL advisory locks. A session lock belongs to the connection, so it
//! ends when its holder dies (the server drops the connection of a killed process) and
//! another process takes the work over; what the dead one may have posted is then found
//! by the ledger's attempt mark and the channel read-back, never posted a second time.
//! On SQLite there is one process announcing and every lease is granted.
//!
//! Key spaces: a channel's lease is the one-key lock on its id; the two-key locks use
//! namespace 0 for schema and sample loading, 1 for sources and 2 for channel claims.

use super::db::{args, Backend};
use super::{Corpus, CorpusError, Doing};

/// Within a claim transaction: waits until no other transaction claims for the same
/// channel as `subscription_id` (released at commit).
pub(crate) fn lock_channel_claims(tx: &Backend, subscription_id: i64) -> Result<(), CorpusError> {
    if !tx.is_postgres() {
        return Ok(());
    }
    tx.query(
        "SELECT pg_advisory_xact_lock(2, hashtext(channel_id::text)) \
         FROM subscriptions WHERE id = ?1",
        args![subscription_id],
    )
    .doing("waiting for the channel's claim lock")?;
    Ok(())
}

impl Corpus {
    /// Whether several processes may share this corpus's work (PostgreSQL): then work is
    /// taken under a lease and read again once the lease is held.
    pub fn shares_work(&self) -> bool {
        self.db.is_postgres()
    }

    /// Takes the lease on posting into a channel, if no other process holds it.
    pub fn try_lease_channel(&self, channel_id: u64) -> Result<bool, CorpusError> {
        if !self.db.is_postgres() {
            return Ok(true);
        }
        self.db
            .query_one(
                "SELECT pg_try_advisory_lock(CAST(?1 AS BIGINT))",
                args![channel_id as i64],
            )
            .and_then(|r| r.get(0))
            .doing_with(|| format!("taking the lease on channel {channel_id}"))
    }

    /// Gives a channel's lease back.
    pub fn release_channel(&self, channel_id: u64) -> Result<(), CorpusError> {
        if !self.db.is_postgres() {
            return Ok(());
        }
        self.db
            .query(
                "SELECT pg_advisory_unlock(CAST(?1 AS BIGINT))",
                args![channel_id as i64],
            )
            .doing_with(|| format!("releasing the lease on channel {channel_id}"))?;
        Ok(())
    }

    /// Takes the lease on polling a source, if no other process holds it.
    pub fn try_lease_source(&self, name: &str) -> Result<bool, CorpusError> {
        if !self.db.is_postgres() {
            return Ok(true);
        }
        self.db
            .query_one(
                "SELECT pg_try_advisory_lock(1, hashtext(CAST(?1 AS TEXT)))",
                args![name],
            )
            .and_then(|r| r.get(0))
            .doing_with(|| format!("taking the lease on source {name:?}"))
    }

    /// Gives a source's lease back.
    pub fn release_source(&self, name: &str) -> Result<(), CorpusError> {
        if !self.db.is_postgres() {
            return Ok(());
        }
        self.db
            .query(
                "SELECT pg_advisory_unlock(1, hashtext(CAST(?1 AS TEXT)))",
                args![name],
            )
            .doing_with(|| format!("releasing the lease on source {name:?}"))?;
        Ok(())
    }
}
