//! Who runs a command and where, for the server-admin commands (subscriptions, URL ingest).

use serenity::all::{InteractionContext, Permissions};
use serenity::builder::CreateCommand;

use crate::reply::Reply;

/// The caller of a command. Discord fills it in; the terminal has no guild.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Caller {
    pub guild_id: Option<u64>,
    pub user_id: Option<u64>,
    /// The member has Manage Server (or Administrator) where the command was used.
    pub can_manage_guild: bool,
}

impl Caller {
    /// The guild, when the caller may change this server's settings; else the refusal.
    /// Discord hides admin commands from others by default, but server admins can change
    /// who sees them, so the permission is checked again on every use.
    pub fn admin_guild(&self, command: &str) -> Result<u64, Box<Reply>> {
        let Some(guild) = self.guild_id else {
            return Err(Box::new(Reply::user_error(
                format!("/{command} works in a server only"),
                "Use it in a channel of the server whose settings you want to change.",
            )));
        };
        if !self.can_manage_guild {
            return Err(Box::new(Reply::user_error(
                "You need the Manage Server permission",
                format!(
                    "/{command} changes this server's settings, so only its managers may use it."
                ),
            )));
        }
        Ok(guild)
    }
}

/// A command only server managers see, and only in servers.
pub fn admin_command(name: &str, description: &str) -> CreateCommand {
    CreateCommand::new(name)
        .description(description)
        .default_member_permissions(Permissions::MANAGE_GUILD)
        .contexts(vec![InteractionContext::Guild])
}

/// Whether a member's permission bits allow managing the server.
pub fn manages_guild(permissions: Permissions) -> bool {
    permissions.contains(Permissions::MANAGE_GUILD)
        || permissions.contains(Permissions::ADMINISTRATOR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_commands_need_a_guild_and_the_permission() {
        let dm = Caller::default();
        assert!(dm
            .admin_guild("subscribe")
            .unwrap_err()
            .title
            .contains("server only"));
        let member = Caller {
            guild_id: Some(7),
            ..Caller::default()
        };
        assert!(member.admin_guild("subscribe").unwrap_err().ephemeral);
        let admin = Caller {
            can_manage_guild: true,
            ..member
        };
        assert_eq!(admin.admin_guild("subscribe"), Ok(7));
        assert!(manages_guild(Permissions::ADMINISTRATOR));
        assert!(!manages_guild(Permissions::SEND_MESSAGES));
    }
}
