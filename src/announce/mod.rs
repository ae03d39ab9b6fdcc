//! Scheduled result announcements: subscriptions are matched against new results,
//! claimed in the ledger, and posted once, at once or as a daily digest.
//!
//! The flow: sources are polled and ingested (`ingest::sources`), which wakes the
//! [`worker::Announcer`]; it claims new results per subscription (`corpus::subscriptions`),
//! composes them ([`message`]) and hands them to a [`Poster`] (Discord's lives in `discord`).

pub mod clock;
pub mod message;
pub mod poster;
pub mod schedule;
pub mod worker;

pub use clock::{Clock, ManualClock, SystemClock};
pub use poster::{PostError, Poster, RecentMessage};
pub use schedule::{Schedule, ScheduleError};
pub use worker::{AnnounceSettings, Announcer};
