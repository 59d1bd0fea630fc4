//! The API-call panel: send a request with the access token, keep the
//! response for saving, saved requests and "Copy as curl".

use tauri::{AppHandle, Manager, State};
use tessera_engine::api::{curl_command, ApiRequest, CallOptions, CurlToken};
use tessera_engine::seams::private_files::write_private_atomically;

use crate::dto::api::{ApiRequestForm, ApiResponseView, SavedRequest};
use crate::error::IpcError;
use crate::state::Shell;

#[tauri::command]
pub async fn api_send(
    shell: State<'_, Shell>,
    profile: String,
    request: ApiRequestForm,
    refresh_first: bool,
) -> Result<ApiResponseView, IpcError> {
    let request = ApiRequest::from(&request);
    let options = CallOptions {
        refresh_first,
        ..CallOptions::default()
    };
    let outcome = shell
        .engine
        .call_api(Some(&profile), &request, options)
        .await?;
    let id = shell.keep_response(outcome.response.clone());
    let view = ApiResponseView::new(id, &outcome);
    Ok(view)
}

/// Writes a kept response's whole body to the Downloads folder; returns the
/// path.
#[tauri::command]
pub async fn api_save_response(
    app: AppHandle,
    shell: State<'_, Shell>,
    id: u64,
) -> Result<String, IpcError> {
    let response = shell.response(id).ok_or_else(|| {
        IpcError::plain("that response is no longer kept; send the request again")
    })?;
    let dir = app
        .path()
        .download_dir()
        .or_else(|_| app.path().home_dir())
        .map_err(|e| IpcError::plain(format!("no folder to save to: {e}")))?;
    let ext = match response.header("content-type") {
        Some(ct) if ct.contains("json") => "json",
        Some(ct) if ct.starts_with("text/") => "txt",
        _ => "bin",
    };
    let path = dir.join(format!("tessera-response-{id}.{ext}"));
    // A response body may hold anything the API returned: private, like
    // every file Tessera writes.
    let target = path.clone();
    tokio::task::spawn_blocking(move || write_private_atomically(&target, &response.body))
        .await
        .map_err(|e| IpcError::plain(format!("could not write {}: {e}", path.display())))?
        .map_err(|e| IpcError::plain(format!("could not write {}: {e}", path.display())))?;
    Ok(path.display().to_string())
}

#[tauri::command]
pub fn saved_requests(
    shell: State<'_, Shell>,
    profile: String,
) -> Result<Vec<SavedRequest>, IpcError> {
    Ok(shell
        .engine
        .saved_requests(&profile)?
        .iter()
        .map(SavedRequest::from)
        .collect())
}

#[tauri::command]
pub fn saved_request_put(
    shell: State<'_, Shell>,
    profile: String,
    saved: SavedRequest,
) -> Result<Vec<SavedRequest>, IpcError> {
    if saved.name.trim().is_empty() {
        return Err(IpcError::plain("give the request a name to save it"));
    }
    Ok(shell
        .engine
        .save_request(&profile, (&saved).into())?
        .iter()
        .map(SavedRequest::from)
        .collect())
}

#[tauri::command]
pub fn saved_request_delete(
    shell: State<'_, Shell>,
    profile: String,
    name: String,
) -> Result<Vec<SavedRequest>, IpcError> {
    Ok(shell
        .engine
        .delete_request(&profile, &name)?
        .iter()
        .map(SavedRequest::from)
        .collect())
}

/// The curl command with `$(tessera token --profile …)`: safe to show.
#[tauri::command]
pub fn curl_preview(
    shell: State<'_, Shell>,
    profile: String,
    request: ApiRequestForm,
) -> Result<String, IpcError> {
    let dpop = shell.engine.profile(Some(&profile))?.dpop;
    Ok(curl_command(
        &ApiRequest::from(&request),
        CurlToken::Substitution {
            profile: &profile,
            dpop,
        },
    )?)
}

/// Copies the curl command; with `inline`, the token itself is in it (the
/// user asked), otherwise the command fetches one when it runs.
#[tauri::command]
pub async fn copy_curl(
    app: AppHandle,
    shell: State<'_, Shell>,
    profile: String,
    request: ApiRequestForm,
    inline: bool,
) -> Result<(), IpcError> {
    let command = shell
        .engine
        .curl_for(&profile, &ApiRequest::from(&request), inline)
        .await?;
    crate::clipboard::write(&app, &command)
}
