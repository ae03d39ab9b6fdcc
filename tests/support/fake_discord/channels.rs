//! The fake's channel messages: posts (with nonces remembered for a while, scripted
//! failures and rate limits), reading a channel's recent messages back, and edits.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::messages::{error, rate_limit_headers, rate_limited, PostOutcome};
use super::{
    channel_message, nonce_of, post_error_body, validate_message, Inner, PostAttempt, Posted,
    Posts, Scripted, POST_LIMIT, POST_WINDOW, TOKEN,
};

impl Inner {
    /// Handles one `POST /channels/{channel}/messages` and records the attempt.
    pub(super) fn post_message(
        &self,
        channel: &str,
        authorization: Option<&str>,
        body: &Value,
    ) -> PostOutcome {
        let nonce = nonce_of(body);
        let now = Instant::now();
        let channel_id: u64 = channel.parse().unwrap_or(0);
        let mut posts = self.posts.lock().unwrap();
        posts.attempt_count += 1;
        let n = posts.attempt_count;
        let outcome = self.decide_post(&mut posts, n, channel_id, authorization, body, now);
        let status = match &outcome {
            PostOutcome::Answer { status, .. } => *status,
            PostOutcome::Hang => 0,
        };
        posts
            .attempts
            .entry(channel_id)
            .or_default()
            .push(PostAttempt {
                at: now,
                status,
                nonce,
            });
        drop(posts);
        self.posts_changed.send_modify(|n| *n += 1);
        outcome
    }

    fn decide_post(
        &self,
        posts: &mut Posts,
        n: usize,
        channel_id: u64,
        authorization: Option<&str>,
        body: &Value,
        now: Instant,
    ) -> PostOutcome {
        if authorization != Some(format!("Bot {TOKEN}").as_str()) {
            return error(401);
        }
        if channel_id == 0 {
            return error(404);
        }
        if posts.reject_before_create.contains(&n) {
            return error(500);
        }
        if posts.hang_before_create.contains(&n) || std::mem::take(&mut posts.hang_next_attempt) {
            return PostOutcome::Hang;
        }
        if let Some(step) = posts
            .scripts
            .get_mut(&channel_id)
            .and_then(VecDeque::pop_front)
        {
            return match step {
                Scripted::Status(s) => error(s),
                Scripted::RateLimited {
                    retry_after,
                    global,
                } => rate_limited(retry_after, global, POST_LIMIT),
            };
        }
        if let Some(&s) = posts.channel_status.get(&channel_id) {
            return error(s);
        }
        // The window: this channel's earlier attempts within it (Discord counts them all).
        let (limit, window) = posts.enforce_limit.unwrap_or((POST_LIMIT, POST_WINDOW));
        let recent: Vec<Instant> = posts
            .attempts
            .get(&channel_id)
            .into_iter()
            .flatten()
            .filter(|a| a.status != 429 && now.duration_since(a.at) < window)
            .map(|a| a.at)
            .collect();
        let reset_after = recent
            .first()
            .map_or(window, |t| window.saturating_sub(now.duration_since(*t)))
            .as_secs_f64();
        if posts.enforce_limit.is_some() && recent.len() >= limit as usize {
            return rate_limited(reset_after, false, limit);
        }
        let headers = rate_limit_headers(
            limit,
            limit.saturating_sub(recent.len() as u32 + 1),
            reset_after,
        );
        if let Err(answer) = validate_message(body) {
            return PostOutcome::Answer {
                status: 400,
                body: answer,
                headers,
            };
        }
        let nonce = nonce_of(body);
        let memory = posts.nonce_memory();
        if body["enforce_nonce"].as_bool() == Some(true) {
            if let Some(earlier) = posts.posted.iter().find(|p| {
                p.channel_id == channel_id
                    && p.nonce.is_some()
                    && p.nonce == nonce
                    && now.duration_since(p.at) < memory
            }) {
                let answer = channel_message(earlier.id, channel_id, &earlier.body);
                *posts.deduplicated.entry(channel_id).or_default() += 1;
                return PostOutcome::Answer {
                    status: 200,
                    body: answer,
                    headers,
                };
            }
        }
        let id = self.next_snowflake();
        posts.posted.push(Posted {
            id,
            channel_id,
            nonce,
            body: body.clone(),
            at: now,
            edits: Vec::new(),
        });
        if posts.hang_after_create.contains(&n) || std::mem::take(&mut posts.hang_next_create) {
            return PostOutcome::Hang;
        }
        PostOutcome::Answer {
            status: 200,
            body: channel_message(id, channel_id, body),
            headers,
        }
    }
}

/// How long the fake remembers nonces unless told otherwise.
const NONCE_MEMORY: Duration = Duration::from_secs(300);

impl Posts {
    fn nonce_memory(&self) -> Duration {
        self.nonce_memory.unwrap_or(NONCE_MEMORY)
    }
}

impl Inner {
    /// `GET /channels/{channel}/messages?limit=N`: the newest messages first, as Discord
    /// answers; a nonce is shown only while it is remembered.
    pub(super) fn read_messages(
        &self,
        channel: &str,
        query: Option<&str>,
        authorization: Option<&str>,
    ) -> (StatusCode, Value) {
        if authorization != Some(format!("Bot {TOKEN}").as_str()) {
            return (StatusCode::UNAUTHORIZED, post_error_body(401));
        }
        let Ok(channel_id) = channel.parse::<u64>() else {
            return (StatusCode::NOT_FOUND, post_error_body(404));
        };
        let limit = query
            .into_iter()
            .flat_map(|q| q.split('&'))
            .find_map(|kv| kv.strip_prefix("limit="))
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(50)
            .clamp(1, 100);
        let mut posts = self.posts.lock().unwrap();
        *posts.reads.entry(channel_id).or_default() += 1;
        let memory = posts.nonce_memory();
        let now = Instant::now();
        let list: Vec<Value> = posts
            .posted
            .iter()
            .rev()
            .filter(|p| p.channel_id == channel_id)
            .take(limit)
            .map(|p| {
                let mut m = channel_message(p.id, channel_id, p.current());
                if now.duration_since(p.at) >= memory {
                    m.as_object_mut().unwrap().remove("nonce");
                }
                m
            })
            .collect();
        (StatusCode::OK, Value::Array(list))
    }

    /// `PATCH /channels/{channel}/messages/{message}`: replaces a message's embeds.
    pub(super) fn edit_message(
        &self,
        channel: &str,
        message: &str,
        authorization: Option<&str>,
        body: &Value,
    ) -> (StatusCode, Value) {
        if authorization != Some(format!("Bot {TOKEN}").as_str()) {
            return (StatusCode::UNAUTHORIZED, post_error_body(401));
        }
        let (Ok(channel_id), Ok(message_id)) = (channel.parse::<u64>(), message.parse::<u64>())
        else {
            return (StatusCode::NOT_FOUND, post_error_body(404));
        };
        if let Err(answer) = validate_message(body) {
            return (StatusCode::BAD_REQUEST, answer);
        }
        let mut posts = self.posts.lock().unwrap();
        let Some(p) = posts
            .posted
            .iter_mut()
            .find(|p| p.id == message_id && p.channel_id == channel_id)
        else {
            return (
                StatusCode::NOT_FOUND,
                json!({"message": "Unknown Message", "code": 10008}),
            );
        };
        p.edits.push(body.clone());
        let mut answer = channel_message(p.id, channel_id, p.current());
        answer["edited_timestamp"] = json!("2024-04-10T21:05:00.000000+00:00");
        drop(posts);
        self.posts_changed.send_modify(|n| *n += 1);
        (StatusCode::OK, answer)
    }
}
