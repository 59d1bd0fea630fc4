//! The sidebar and the profile editor.

use tauri::{AppHandle, State};
use tessera_engine::presets;

use crate::dto::{Overview, Preset, ProfileForm, ProviderReport};
use crate::error::IpcError;
use crate::events;
use crate::state::Shell;

#[tauri::command]
pub async fn overview(shell: State<'_, Shell>) -> Result<Overview, IpcError> {
    shell.overview().await
}

#[tauri::command]
pub async fn set_active_profile(
    app: AppHandle,
    shell: State<'_, Shell>,
    name: String,
) -> Result<Overview, IpcError> {
    shell.engine.profile(Some(&name))?;
    shell.set_active(Some(name));
    events::state_changed(&app).await;
    shell.overview().await
}

#[tauri::command]
pub fn presets() -> Vec<Preset> {
    presets::presets().into_iter().map(Preset::from).collect()
}

#[tauri::command]
pub fn profile_get(shell: State<'_, Shell>, name: String) -> Result<ProfileForm, IpcError> {
    Ok(ProfileForm::from_profile(
        &shell.engine.profile(Some(&name))?,
    ))
}

/// Saves the form; `replacing` names the profile being edited (its fields
/// the form does not show are kept).
#[tauri::command]
pub async fn profile_save(
    app: AppHandle,
    shell: State<'_, Shell>,
    form: ProfileForm,
    replacing: Option<String>,
) -> Result<Overview, IpcError> {
    let existing = match &replacing {
        Some(name) => Some(shell.engine.profile(Some(name))?),
        None => {
            if shell
                .engine
                .profiles()?
                .profiles
                .contains_key(form.name.trim())
            {
                return Err(IpcError::coded(
                    crate::error::ErrorCode::InvalidProfile,
                    format!(
                        "a profile named \"{}\" already exists; choose another name",
                        form.name.trim()
                    ),
                ));
            }
            None
        }
    };
    let (profile, secret) = form.into_profile(existing);
    let saved = shell.engine.save_profile(profile, secret).await?;
    shell.set_active(Some(saved.name));
    events::state_changed(&app).await;
    shell.overview().await
}

#[tauri::command]
pub async fn profile_duplicate(
    app: AppHandle,
    shell: State<'_, Shell>,
    name: String,
    new_name: String,
) -> Result<Overview, IpcError> {
    let copy = shell
        .engine
        .duplicate_profile(&name, new_name.trim())
        .await?;
    shell.set_active(Some(copy.name));
    events::state_changed(&app).await;
    shell.overview().await
}

/// Removes a profile with its session and client secret (no revocation).
#[tauri::command]
pub async fn profile_remove(
    app: AppHandle,
    shell: State<'_, Shell>,
    name: String,
) -> Result<Overview, IpcError> {
    shell.engine.remove_profile(&name).await?;
    events::state_changed(&app).await;
    shell.overview().await
}

#[tauri::command]
pub async fn discover(
    shell: State<'_, Shell>,
    url: String,
    allow_insecure_http: bool,
) -> Result<ProviderReport, IpcError> {
    Ok(shell
        .engine
        .inspect_provider(&url, allow_insecure_http)
        .await?
        .into())
}
