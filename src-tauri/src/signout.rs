//! Signing out, shared by the window and the tray.

use tessera_engine::LogoutOptions;

use crate::dto::SignOutMode;
use crate::error::IpcError;
use crate::state::Shell;

/// Signs out of `profile`. With `Revoke` the local session is kept when
/// revocation fails, so the user can retry (the engine's rule).
pub async fn run(shell: &Shell, profile: &str, mode: SignOutMode) -> Result<(), IpcError> {
    let options = LogoutOptions {
        revoke: mode == SignOutMode::Revoke,
        end_session: mode == SignOutMode::EndSession,
    };
    let settings = shell.engine.profile(Some(profile))?;
    let launcher = tessera_engine::browser::choose(None, settings.browser.as_deref())?;
    shell
        .engine
        .logout(Some(profile), options, launcher.as_ref())
        .await?;
    Ok(())
}
