//! Signing out, shared by the window and the tray.

use tauri::AppHandle;
use tessera_engine::LogoutOptions;

use crate::dto::SignOutMode;
use crate::error::IpcError;
use crate::events;
use crate::state::Shell;

/// Signs out of `profile`. With `Revoke` the local session is kept when
/// revocation fails, so the user can retry (the engine's rule).
pub async fn run(
    app: &AppHandle,
    shell: &Shell,
    profile: &str,
    mode: SignOutMode,
) -> Result<(), IpcError> {
    let options = LogoutOptions {
        revoke: mode == SignOutMode::Revoke,
        end_session: mode == SignOutMode::EndSession,
    };
    let env = std::env::var("TESSERA_BROWSER").ok();
    let settings = shell.engine.profile(Some(profile))?;
    let launcher =
        tessera_engine::browser::launcher(settings.browser.as_deref().or(env.as_deref()))
            .map_err(|e| IpcError::plain(e.to_string()))?;
    let result = shell
        .engine
        .logout(Some(profile), options, launcher.as_ref())
        .await;
    events::state_changed(app).await;
    result.map(|_| ()).map_err(IpcError::from)
}
