//! The sidebar and the profile editor.

use tauri::State;
use tessera_engine::presets;

use crate::dto::{Overview, Preset, ProfileForm, ProviderReport};
use crate::error::IpcError;
use crate::state::Shell;

#[tauri::command]
pub async fn overview(shell: State<'_, Shell>) -> Result<Overview, IpcError> {
    shell.overview().await
}

#[tauri::command]
pub async fn set_active_profile(
    shell: State<'_, Shell>,
    name: String,
) -> Result<Overview, IpcError> {
    shell.engine.profile(Some(&name))?;
    let generation = shell.set_active(Some(name));
    shell.overview_after(generation).await
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
    shell: State<'_, Shell>,
    form: ProfileForm,
    replacing: Option<String>,
) -> Result<Overview, IpcError> {
    let saved = match &replacing {
        Some(name) => {
            let existing = shell.engine.profile(Some(name))?;
            let (profile, secret) = form.into_profile(Some(existing));
            shell.engine.save_profile(profile, secret).await?
        }
        None => {
            let (profile, secret) = form.into_profile(None);
            shell.engine.create_profile(profile, secret).await?
        }
    };
    shell.set_active(Some(saved.name));
    shell.overview_after(shell.generation()).await
}

#[tauri::command]
pub async fn profile_duplicate(
    shell: State<'_, Shell>,
    name: String,
    new_name: String,
) -> Result<Overview, IpcError> {
    let copy = shell.engine.duplicate_profile(&name, &new_name).await?;
    shell.set_active(Some(copy.name));
    shell.overview_after(shell.generation()).await
}

/// Removes a profile with its session and client secret (no revocation).
#[tauri::command]
pub async fn profile_remove(shell: State<'_, Shell>, name: String) -> Result<Overview, IpcError> {
    shell.engine.remove_profile(&name).await?;
    shell.overview_after(shell.generation()).await
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
