//! A [`Reply`] as Discord builders. Every Discord size limit is enforced here, once.
//!
//! serenity checks only some limits (content length, embed count, 6000 per embed) and
//! fails the whole request when one is exceeded; we cut at a character boundary instead.

use serenity::all::{
    ButtonStyle, Colour, CreateActionRow, CreateAllowedMentions, CreateButton, CreateEmbed,
    CreateEmbedFooter, CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
    CreateMessage, CreateSelectMenu, CreateSelectMenuKind, CreateSelectMenuOption,
    EditInteractionResponse, Timestamp,
};

use crate::reply::{truncate, Reply, ReplyKind, Select};

/// Discord's limits on what one message may carry.
pub mod limits {
    /// Embed title, in characters.
    pub const TITLE: usize = 256;
    /// Embed description, in characters.
    pub const DESCRIPTION: usize = 4096;
    /// Fields per embed.
    pub const FIELDS: usize = 25;
    /// Field name, in characters.
    pub const FIELD_NAME: usize = 256;
    /// Field value, in characters.
    pub const FIELD_VALUE: usize = 1024;
    /// Footer text, in characters.
    pub const FOOTER: usize = 2048;
    /// Title, description, field names and values and footer of one embed together.
    pub const EMBED_TOTAL: usize = 6000;
    /// A component's custom id, in characters.
    pub const CUSTOM_ID: usize = 100;
    /// A button's label, in characters.
    pub const BUTTON_LABEL: usize = 80;
    /// Buttons in one action row.
    pub const BUTTONS_PER_ROW: usize = 5;
    /// Action rows in one message.
    pub const ROWS: usize = 5;
    /// Options of a select menu.
    pub const SELECT_OPTIONS: usize = 25;
    /// A select option's label, value or description, in characters.
    pub const SELECT_OPTION: usize = 100;
    /// A select menu's placeholder, in characters.
    pub const PLACEHOLDER: usize = 150;
    /// Autocomplete choices in one answer.
    pub const CHOICES: usize = 25;
    /// An autocomplete choice's name or string value, in characters.
    pub const CHOICE: usize = 100;
}

/// Colour of an answer that names none (a calm blue).
pub const DEFAULT_COLOUR: u32 = 0x2B6CB0;
/// Title used when a reply has none: Discord refuses an embed with nothing in it.
pub const FALLBACK_TITLE: &str = "Touchline";
/// Value used for an empty field name or value: Discord refuses empty ones.
pub const EMPTY_FIELD: &str = "\u{2014}";
/// The least of the description kept when the whole embed must shrink.
const DESCRIPTION_FLOOR: usize = 200;

/// An embed's text after every limit has been applied; what [`embed`] builds from.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedEmbed {
    /// Never empty, at most 256 chars.
    pub title: String,
    /// At most 4096 chars; empty means no description.
    pub description: String,
    /// (name, value, inline), at most 25, neither part empty.
    pub fields: Vec<(String, String, bool)>,
    /// The reply's footer and source joined, at most 2048 chars.
    pub footer: Option<String>,
    /// 0xRRGGBB.
    pub colour: u32,
    /// Unix time shown as the embed's timestamp.
    pub timestamp: Option<i64>,
}

impl FittedEmbed {
    /// Characters Discord counts towards the 6000 per embed.
    pub fn total_chars(&self) -> usize {
        count(&self.title)
            + count(&self.description)
            + self
                .fields
                .iter()
                .map(|(n, v, _)| count(n) + count(v))
                .sum::<usize>()
            + self.footer.as_deref().map_or(0, count)
    }
}

fn count(s: &str) -> usize {
    s.chars().count()
}

fn non_empty(s: &str, fallback: &str) -> String {
    if s.trim().is_empty() {
        fallback.to_string()
    } else {
        s.trim().to_string()
    }
}

/// Applies every embed limit to `reply`: per-item lengths, 25 fields, 6000 in all.
pub fn fit(reply: &Reply) -> FittedEmbed {
    let title = truncate(&non_empty(&reply.title, FALLBACK_TITLE), limits::TITLE);
    let description = truncate(reply.description.trim(), limits::DESCRIPTION);
    let mut fields: Vec<(String, String, bool)> = reply
        .fields
        .iter()
        .take(limits::FIELDS)
        .map(|f| {
            (
                truncate(&non_empty(&f.name, EMPTY_FIELD), limits::FIELD_NAME),
                truncate(&non_empty(&f.value, EMPTY_FIELD), limits::FIELD_VALUE),
                f.inline,
            )
        })
        .collect();
    let footer_text = match (reply.footer.as_deref(), reply.source.as_deref()) {
        (Some(f), Some(s)) if !f.trim().is_empty() && !s.trim().is_empty() => {
            Some(format!("{} · {}", f.trim(), s.trim()))
        }
        (Some(f), _) if !f.trim().is_empty() => Some(f.trim().to_string()),
        (_, Some(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    let footer = footer_text.map(|f| truncate(&f, limits::FOOTER));
    let mut fitted = FittedEmbed {
        title,
        description,
        fields: Vec::new(),
        footer,
        colour: reply.colour.unwrap_or(match reply.kind {
            ReplyKind::Answer => DEFAULT_COLOUR,
            ReplyKind::UserError => 0xE67E22,
            ReplyKind::InternalError => 0x992D22,
        }),
        timestamp: reply.timestamp,
    };

    // Over 6000 in all: shorten the description first (down to a floor), then drop the
    // last fields, then shorten the footer. The title is already at most 256.
    let fields_total: usize = fields.iter().map(|(n, v, _)| count(n) + count(v)).sum();
    let fixed = count(&fitted.title) + fitted.footer.as_deref().map_or(0, count);
    let over =
        (fixed + count(&fitted.description) + fields_total).saturating_sub(limits::EMBED_TOTAL);
    if over > 0 {
        let len = count(&fitted.description);
        let target = len.saturating_sub(over).max(DESCRIPTION_FLOOR.min(len));
        fitted.description = truncate(&fitted.description, target);
    }
    while fixed
        + count(&fitted.description)
        + fields
            .iter()
            .map(|(n, v, _)| count(n) + count(v))
            .sum::<usize>()
        > limits::EMBED_TOTAL
        && !fields.is_empty()
    {
        fields.pop();
    }
    fitted.fields = fields;
    let over = fitted.total_chars().saturating_sub(limits::EMBED_TOTAL);
    if over > 0 {
        if let Some(footer) = &fitted.footer {
            let keep = count(footer).saturating_sub(over).max(1);
            fitted.footer = Some(truncate(footer, keep));
        }
    }
    fitted
}

/// The reply as one embed, within every limit.
pub fn embed(reply: &Reply) -> CreateEmbed {
    let fitted = fit(reply);
    let mut embed = CreateEmbed::new()
        .title(fitted.title)
        .colour(Colour::new(fitted.colour));
    if !fitted.description.is_empty() {
        embed = embed.description(fitted.description);
    }
    if !fitted.fields.is_empty() {
        embed = embed.fields(fitted.fields);
    }
    if let Some(footer) = fitted.footer {
        embed = embed.footer(CreateEmbedFooter::new(footer));
    }
    if let Some(ts) = fitted
        .timestamp
        .and_then(|t| Timestamp::from_unix_timestamp(t).ok())
    {
        embed = embed.timestamp(ts);
    }
    embed
}

/// Cuts a custom id to Discord's 100 characters, at a character boundary (no ellipsis: the id is data).
pub fn cut_custom_id(id: &str) -> String {
    id.chars().take(limits::CUSTOM_ID).collect()
}

/// The reply's select menu (a row of its own, first) and buttons as action rows: at most
/// 5 buttons a row and 5 rows in all; empty or repeated ids and options are dropped.
pub fn components(reply: &Reply) -> Vec<CreateActionRow> {
    let mut seen = std::collections::HashSet::new();
    let mut rows: Vec<CreateActionRow> = Vec::new();
    if let Some(menu) = reply
        .select
        .as_ref()
        .and_then(|s| select_menu(s, &mut seen))
    {
        rows.push(CreateActionRow::SelectMenu(menu));
    }
    let buttons: Vec<CreateButton> = reply
        .buttons
        .iter()
        .filter_map(|b| {
            let id = cut_custom_id(b.custom_id.trim());
            // Discord refuses a message whose components repeat a custom id.
            if id.is_empty() || !seen.insert(id.clone()) {
                return None;
            }
            let label = truncate(&non_empty(&b.label, "More"), limits::BUTTON_LABEL);
            Some(
                CreateButton::new(id)
                    .label(label)
                    .style(ButtonStyle::Secondary),
            )
        })
        .take(limits::BUTTONS_PER_ROW * (limits::ROWS - rows.len()))
        .collect();
    rows.extend(
        buttons
            .chunks(limits::BUTTONS_PER_ROW)
            .map(|row| CreateActionRow::Buttons(row.to_vec())),
    );
    rows
}

/// A string select within Discord's limits, or none when no option is left to pick
/// (a menu with no options is refused).
fn select_menu(
    select: &Select,
    seen_ids: &mut std::collections::HashSet<String>,
) -> Option<CreateSelectMenu> {
    let id = cut_custom_id(select.custom_id.trim());
    if id.is_empty() || !seen_ids.insert(id.clone()) {
        return None;
    }
    let mut values = std::collections::HashSet::new();
    let options: Vec<CreateSelectMenuOption> = select
        .options
        .iter()
        .filter_map(|o| {
            // The value is data: cut, never decorated; Discord refuses repeated values.
            let value: String = o.value.trim().chars().take(limits::SELECT_OPTION).collect();
            if value.is_empty() || !values.insert(value.clone()) {
                return None;
            }
            let label = truncate(&non_empty(&o.label, &value), limits::SELECT_OPTION);
            let mut option = CreateSelectMenuOption::new(label, value);
            if let Some(d) = o.description.as_deref().filter(|d| !d.trim().is_empty()) {
                option = option.description(truncate(d.trim(), limits::SELECT_OPTION));
            }
            Some(option)
        })
        .take(limits::SELECT_OPTIONS)
        .collect();
    if options.is_empty() {
        return None;
    }
    let mut menu = CreateSelectMenu::new(id, CreateSelectMenuKind::String { options });
    if !select.placeholder.trim().is_empty() {
        menu = menu.placeholder(truncate(select.placeholder.trim(), limits::PLACEHOLDER));
    }
    Some(menu)
}

/// Mentions nobody: no `@everyone`, no roles, no users, whatever the text says.
pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
}

/// The reply as an interaction response (for a `Message` or `UpdateMessage` callback).
pub fn response_message(reply: &Reply) -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new()
        .embed(embed(reply))
        .components(components(reply))
        .allowed_mentions(no_mentions())
        .ephemeral(reply.ephemeral)
}

/// The reply as an edit of the original response (after a deferred callback).
pub fn edit_response(reply: &Reply) -> EditInteractionResponse {
    EditInteractionResponse::new()
        .embed(embed(reply))
        .components(components(reply))
        .allowed_mentions(no_mentions())
}

/// The reply as a followup message.
pub fn followup(reply: &Reply) -> CreateInteractionResponseFollowup {
    CreateInteractionResponseFollowup::new()
        .embed(embed(reply))
        .components(components(reply))
        .allowed_mentions(no_mentions())
        .ephemeral(reply.ephemeral)
}

/// The reply as a channel message (announcements); a channel post cannot be ephemeral.
pub fn channel_message(reply: &Reply) -> CreateMessage {
    CreateMessage::new()
        .embed(embed(reply))
        .components(components(reply))
        .allowed_mentions(no_mentions())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::Button;
    use serde_json::{json, Value};

    fn json_of(value: &impl serde::Serialize) -> Value {
        serde_json::to_value(value).unwrap()
    }

    fn chars(v: &Value) -> usize {
        v.as_str().map_or(0, |s| s.chars().count())
    }

    #[test]
    fn a_ten_thousand_char_description_is_cut_to_4096_with_an_ellipsis() {
        let reply = Reply::answer("Long", "x".repeat(10_000));
        let e = json_of(&embed(&reply));
        assert_eq!(chars(&e["description"]), 4096);
        assert!(e["description"].as_str().unwrap().ends_with('…'));
    }

    #[test]
    fn forty_fields_become_twenty_five() {
        let mut reply = Reply::answer("Many", "fields");
        for i in 0..40 {
            reply = reply.field(format!("f{i}"), "v", true);
        }
        let e = json_of(&embed(&reply));
        assert_eq!(e["fields"].as_array().unwrap().len(), 25);
        assert_eq!(e["fields"][24]["name"], "f24");
        assert_eq!(e["fields"][0]["inline"], true);
    }

    #[test]
    fn every_item_is_cut_to_its_own_limit() {
        let reply = Reply {
            title: "t".repeat(300),
            footer: Some("f".repeat(3000)),
            ..Reply::answer("", "")
        }
        .field("n".repeat(300), "v".repeat(2000), false);
        let fitted = fit(&reply);
        assert_eq!(count(&fitted.title), 256);
        assert_eq!(count(&fitted.fields[0].0), 256);
        assert_eq!(count(&fitted.fields[0].1), 1024);
        assert_eq!(count(fitted.footer.as_deref().unwrap()), 2048);
    }

    #[test]
    fn the_whole_embed_stays_within_6000_chars() {
        let mut reply = Reply {
            title: "T".repeat(256),
            footer: Some("F".repeat(2048)),
            ..Reply::answer("", "d".repeat(4096))
        };
        for i in 0..25 {
            reply = reply.field(format!("{i}{}", "n".repeat(250)), "v".repeat(1024), false);
        }
        let fitted = fit(&reply);
        assert!(fitted.total_chars() <= 6000, "{}", fitted.total_chars());
        // serenity's own check agrees: building the response does not fail on length.
        let e = json_of(&embed(&reply));
        let total = chars(&e["title"])
            + chars(&e["description"])
            + chars(&e["footer"]["text"])
            + e["fields"].as_array().map_or(0, |f| {
                f.iter()
                    .map(|f| chars(&f["name"]) + chars(&f["value"]))
                    .sum()
            });
        assert!(total <= 6000, "{total}");
        assert!(chars(&e["description"]) >= 200);
    }

    #[test]
    fn a_huge_footer_and_description_without_fields_fit() {
        let reply = Reply {
            title: "T".repeat(256),
            footer: Some("F".repeat(5000)),
            ..Reply::answer("", "d".repeat(5000))
        };
        assert!(fit(&reply).total_chars() <= 6000);
    }

    #[test]
    fn multi_byte_chars_are_cut_at_a_char_boundary() {
        let reply = Reply::answer("é".repeat(300), "⚽".repeat(5000)).field(
            "ü".repeat(300),
            "💬".repeat(1100),
            false,
        );
        let fitted = fit(&reply);
        assert_eq!(count(&fitted.title), 256);
        assert!(fitted.title.ends_with('…'));
        assert_eq!(count(&fitted.description), 4096);
        assert!(fitted.description.starts_with('⚽'));
        assert_eq!(count(&fitted.fields[0].1), 1024);
        assert!(fitted.fields[0].1.starts_with('💬'));
    }

    #[test]
    fn empty_title_and_field_values_are_replaced() {
        let reply = Reply::answer("  ", "").field("", " ", false);
        let e = json_of(&embed(&reply));
        assert_eq!(e["title"], FALLBACK_TITLE);
        assert_eq!(e["fields"][0]["name"], EMPTY_FIELD);
        assert_eq!(e["fields"][0]["value"], EMPTY_FIELD);
        assert!(e.get("description").is_none());
    }

    #[test]
    fn colour_footer_source_and_timestamp_are_shown() {
        let reply = Reply {
            colour: Some(0xC8102E),
            footer: Some("Champions League".into()),
            source: Some("The Report, 2024-04-10".into()),
            timestamp: Some(1_712_775_600),
            ..Reply::answer("Liverpool v Real", "3-1 on aggregate")
        };
        let e = json_of(&embed(&reply));
        assert_eq!(e["color"], 0xC8102E);
        assert_eq!(
            e["footer"]["text"],
            "Champions League · The Report, 2024-04-10"
        );
        assert!(e["timestamp"].as_str().unwrap().starts_with("2024-04-10T"));
        let plain = json_of(&embed(&Reply::answer("a", "b")));
        assert_eq!(plain["color"], DEFAULT_COLOUR);
        assert!(plain.get("footer").is_none());
    }

    #[test]
    fn buttons_fill_rows_of_five_up_to_five_rows_with_ids_cut_to_100() {
        let mut reply = Reply::answer("b", "b");
        for i in 0..30 {
            reply.buttons.push(Button {
                label: format!("Button {i}"),
                custom_id: format!("id:{i}:{}", "ß".repeat(150)),
            });
        }
        reply.buttons.push(Button {
            label: "dup".into(),
            custom_id: reply.buttons[0].custom_id.clone(),
        });
        let rows = json_of(&components(&reply));
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), 5);
        for row in rows {
            let buttons = row["components"].as_array().unwrap();
            assert_eq!(buttons.len(), 5);
            for b in buttons {
                let id = chars(&b["custom_id"]);
                assert!((1..=100).contains(&id), "{id}");
            }
        }
    }

    #[test]
    fn a_select_menu_comes_first_within_every_limit() {
        use crate::reply::{Select, SelectOption};
        let mut reply = Reply::answer("Chelsea v Barcelona", "2004-05");
        reply.select = Some(Select {
            custom_id: format!("tie:season:{}", "é".repeat(150)),
            placeholder: "p".repeat(200),
            options: (0..40)
                .map(|i| SelectOption {
                    label: format!("{i}{}", "l".repeat(150)),
                    value: format!("{:04}-{}", 1960 + i % 30, "v".repeat(150)),
                    description: Some("d".repeat(150)),
                })
                .collect(),
        });
        for i in 0..30 {
            reply.buttons.push(Button {
                label: format!("b{i}"),
                custom_id: format!("b{i}"),
            });
        }
        let rows = json_of(&components(&reply));
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), 5, "the menu's row counts towards the five");
        let menu = &rows[0]["components"][0];
        assert_eq!(menu["type"], 3);
        assert_eq!(chars(&menu["custom_id"]), 100);
        assert_eq!(chars(&menu["placeholder"]), 150);
        let options = menu["options"].as_array().unwrap();
        assert_eq!(options.len(), 25, "30 distinct values, 25 kept");
        for o in options {
            assert!(chars(&o["label"]) <= 100 && chars(&o["value"]) <= 100);
            assert!(chars(&o["description"]) <= 100);
        }
        let values: std::collections::HashSet<&str> = options
            .iter()
            .map(|o| o["value"].as_str().unwrap())
            .collect();
        assert_eq!(values.len(), 25);
        // A menu with nothing to pick is left out.
        reply.select.as_mut().unwrap().options.clear();
        let rows = json_of(&components(&reply));
        assert_eq!(rows[0]["components"][0]["type"], 2);
    }

    #[test]
    fn no_reply_may_mention_anyone() {
        let reply = Reply::answer("@everyone", "@here <@&123> <@456>");
        let expected = json!({"parse": [], "users": [], "roles": []});
        assert_eq!(
            json_of(&response_message(&reply))["allowed_mentions"],
            expected
        );
        assert_eq!(
            json_of(&edit_response(&reply))["allowed_mentions"],
            expected
        );
        assert_eq!(json_of(&followup(&reply))["allowed_mentions"], expected);
        assert_eq!(
            json_of(&channel_message(&reply))["allowed_mentions"],
            expected
        );
    }

    #[test]
    fn ephemeral_replies_carry_flag_64() {
        let e = json_of(&response_message(&Reply::user_error("No", "such team")));
        assert_eq!(e["flags"], 64);
        let f = json_of(&followup(&Reply::user_error("No", "such team")));
        assert_eq!(f["flags"], 64);
        let a = json_of(&response_message(&Reply::answer("Yes", "here")));
        assert!(a.get("flags").is_none() || a["flags"] == 0);
    }
}
