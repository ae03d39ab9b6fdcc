//! The neutral answer every command returns. The terminal and Discord each render it;
//! Discord's size limits are applied where a `Reply` becomes a Discord message.

use serde::Serialize;

/// One answer to a command.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Reply {
    pub title: String,
    pub description: String,
    pub fields: Vec<Field>,
    /// Embed colour as 0xRRGGBB (the club's colour where there is one).
    pub colour: Option<u32>,
    pub footer: Option<String>,
    /// Where the answer comes from: a report's title and source.
    pub source: Option<String>,
    /// A moment the answer is about (the match or report date), as a Unix time.
    pub timestamp: Option<i64>,
    pub buttons: Vec<Button>,
    /// A menu to pick a variant of the answer (another season of a tie).
    pub select: Option<Select>,
    /// Only the asker sees it (user mistakes and our own failures).
    pub ephemeral: bool,
    pub kind: ReplyKind,
}

/// Whether the reply is an answer or an error, and whose.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReplyKind {
    #[default]
    Answer,
    /// The user asked for something we cannot find: unknown team, no tie, no quote.
    UserError,
    /// Something failed on our side.
    InternalError,
}

/// A titled block of the answer (a leg, the aggregate).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

/// A button the user can press; `custom_id` carries all the state it needs.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Button {
    pub label: String,
    pub custom_id: String,
}

/// A menu of options; `custom_id` and the picked option's `value` carry all the state.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Select {
    pub custom_id: String,
    pub placeholder: String,
    pub options: Vec<SelectOption>,
}

/// One option of a [`Select`].
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SelectOption {
    pub label: String,
    pub value: String,
    pub description: Option<String>,
}

impl Reply {
    /// A plain answer with a title and description.
    pub fn answer(title: impl Into<String>, description: impl Into<String>) -> Reply {
        Reply {
            title: title.into(),
            description: description.into(),
            ..Reply::default()
        }
    }

    /// A mistake of the user's, shown only to them.
    pub fn user_error(title: impl Into<String>, description: impl Into<String>) -> Reply {
        Reply {
            title: title.into(),
            description: description.into(),
            ephemeral: true,
            kind: ReplyKind::UserError,
            colour: Some(0xE67E22),
            ..Reply::default()
        }
    }

    /// A failure of ours: a short apology, shown only to the asker.
    pub fn internal_error() -> Reply {
        Reply {
            title: "Sorry, something went wrong on our side".into(),
            description: "The problem has been logged. Please try again in a moment.".into(),
            ephemeral: true,
            kind: ReplyKind::InternalError,
            colour: Some(0x992D22),
            ..Reply::default()
        }
    }

    /// Adds a field.
    pub fn field(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
        inline: bool,
    ) -> Reply {
        self.fields.push(Field {
            name: name.into(),
            value: value.into(),
            inline,
        });
        self
    }
}

/// Cuts `s` to at most `max` characters at a character boundary, ending in an ellipsis when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let keep: String = s.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", keep.trim_end())
}

#[cfg(test)]
mod tests {
    use super::truncate;

    #[test]
    fn truncate_cuts_at_char_boundary_with_ellipsis() {
        assert_eq!(truncate("héllo", 10), "héllo");
        assert_eq!(truncate("ééééé", 3), "éé…");
        assert_eq!(truncate("ab cd", 4), "ab…");
    }
}
