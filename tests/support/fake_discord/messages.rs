//! Channel message payloads of the fake: Discord's error bodies, rate-limit headers, and
//! the checks Discord makes of a message body.

use serde_json::{json, Value};

use super::POST_BUCKET;

/// What the fake does with one channel post.
pub(super) enum PostOutcome {
    Answer {
        status: u16,
        body: Value,
        headers: Vec<(&'static str, String)>,
    },
    /// Never answer.
    Hang,
}

/// Discord's error body for `status` on a channel post.
pub fn post_error_body(status: u16) -> Value {
    match status {
        400 => json!({"message": "Invalid Form Body", "code": 50035}),
        401 => json!({"message": "401: Unauthorized", "code": 0}),
        403 => json!({"message": "Missing Permissions", "code": 50013}),
        404 => json!({"message": "Unknown Channel", "code": 10003}),
        500 => json!({"message": "500: Internal Server Error", "code": 0}),
        502 => json!({"message": "502: Bad Gateway", "code": 0}),
        503 => json!({"message": "503: Service Unavailable", "code": 0}),
        s => json!({"message": format!("{s}: fake failure"), "code": 0}),
    }
}

/// The 429 body Discord sends.
pub fn rate_limited_body(retry_after: f64, global: bool) -> Value {
    json!({"message": "You are being rate limited.", "retry_after": retry_after, "global": global})
}

pub(super) fn rate_limit_headers(
    limit: u32,
    remaining: u32,
    reset_after: f64,
) -> Vec<(&'static str, String)> {
    let reset_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
        + reset_after;
    vec![
        ("x-ratelimit-limit", limit.to_string()),
        ("x-ratelimit-remaining", remaining.to_string()),
        ("x-ratelimit-reset", format!("{reset_at:.3}")),
        ("x-ratelimit-reset-after", format!("{reset_after:.3}")),
        ("x-ratelimit-bucket", POST_BUCKET.to_string()),
    ]
}

pub(super) fn rate_limited(retry_after: f64, global: bool, limit: u32) -> PostOutcome {
    let mut headers = rate_limit_headers(limit, 0, retry_after);
    headers.push(("retry-after", (retry_after.ceil() as u64).to_string()));
    let scope = if global { "global" } else { "user" };
    headers.push(("x-ratelimit-scope", scope.to_string()));
    if global {
        headers.push(("x-ratelimit-global", "true".to_string()));
    }
    PostOutcome::Answer {
        status: 429,
        body: rate_limited_body(retry_after, global),
        headers,
    }
}

pub(super) fn error(status: u16) -> PostOutcome {
    PostOutcome::Answer {
        status,
        body: post_error_body(status),
        headers: Vec::new(),
    }
}

/// A channel post's `nonce` as a string (Discord takes a string or an integer).
pub fn nonce_of(body: &Value) -> Option<String> {
    match body.get("nonce")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

/// Discord's checks of a message body: `Err` is the 400 answer's body.
pub fn validate_message(body: &Value) -> Result<(), Value> {
    let mut errors: Vec<String> = Vec::new();
    let content = chars(&body["content"]);
    let embeds = body["embeds"].as_array().cloned().unwrap_or_default();
    let components = body["components"].as_array().map_or(0, Vec::len);
    let stickers = body["sticker_ids"].as_array().map_or(0, Vec::len);
    let attachments = body["attachments"].as_array().map_or(0, Vec::len);
    if content == 0
        && embeds.is_empty()
        && components == 0
        && stickers == 0
        && attachments == 0
        && body["poll"].is_null()
    {
        return Err(json!({"message": "Cannot send an empty message", "code": 50006}));
    }
    if content > 2000 {
        errors.push(format!("content: {content} > 2000 chars"));
    }
    if let Some(n) = nonce_of(body) {
        if n.chars().count() > 25 {
            errors.push(format!("nonce: {n:?} is longer than 25 chars"));
        }
    }
    if embeds.len() > 10 {
        errors.push(format!("embeds: {} > 10", embeds.len()));
    }
    let mut total = 0;
    for (i, e) in embeds.iter().enumerate() {
        let mut limit = |what: &str, v: &Value, max: usize| {
            let n = chars(v);
            total += n;
            if n > max {
                errors.push(format!("embeds.{i}.{what}: {n} > {max} chars"));
            }
        };
        limit("title", &e["title"], 256);
        limit("description", &e["description"], 4096);
        limit("footer.text", &e["footer"]["text"], 2048);
        limit("author.name", &e["author"]["name"], 256);
        let fields = e["fields"].as_array().cloned().unwrap_or_default();
        for f in &fields {
            limit("fields.name", &f["name"], 256);
            limit("fields.value", &f["value"], 1024);
        }
        if fields.len() > 25 {
            errors.push(format!("embeds.{i}.fields: {} > 25", fields.len()));
        }
    }
    if total > 6000 {
        errors.push(format!("embeds: {total} > 6000 chars together"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(json!({"message": "Invalid Form Body", "code": 50035, "errors": errors}))
    }
}
