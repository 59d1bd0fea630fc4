//! The sidebar and the profile editor.

use tauri::{AppHandle, State};
use tessera_engine::presets;

use tessera_engine::session::resource::{ClientChoice, ResourceSetUpRequest};

use crate::dto::resource::{
    ClientChoiceForm, ConformanceView, ResourceDiscoveryView, ResourceSetUpView,
};
use crate::dto::{ClientKeyView, KeyAlg, Overview, Preset, ProfileForm, ProviderReport};
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

/// Removes a profile with its session and client secret (no revocation);
/// `delete_registration` first deletes the client Tessera registered for it
/// at the provider (RFC 7592), and a refusal keeps everything.
#[tauri::command]
pub async fn profile_remove(
    shell: State<'_, Shell>,
    name: String,
    delete_registration: bool,
) -> Result<Overview, IpcError> {
    if delete_registration {
        shell.engine.remove_profile_and_registration(&name).await?;
    } else {
        shell.engine.remove_profile(&name).await?;
    }
    shell.overview_after(shell.generation()).await
}

/// The walk from an API URL to its authorization servers (RFC 9728).
#[tauri::command]
pub async fn resource_discover(
    shell: State<'_, Shell>,
    url: String,
) -> Result<ResourceDiscoveryView, IpcError> {
    Ok(ResourceDiscoveryView::from(
        &shell.engine.discover_resource(&url).await?,
    ))
}

/// Sets a profile up from an API URL (registering Tessera when asked) and
/// makes it the active one; the sign-in is the usual one.
#[tauri::command]
pub async fn resource_set_up(
    shell: State<'_, Shell>,
    url: String,
    profile: Option<String>,
    client: ClientChoiceForm,
) -> Result<ResourceSetUpView, IpcError> {
    let set_up = shell
        .engine
        .set_up_from_resource(ResourceSetUpRequest {
            url,
            profile: profile
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty()),
            client: match client {
                ClientChoiceForm::Given { client_id } => {
                    ClientChoice::Given(client_id.trim().to_string())
                }
                ClientChoiceForm::Register => ClientChoice::Register,
            },
        })
        .await?;
    shell.set_active(Some(set_up.profile.name.clone()));
    Ok(ResourceSetUpView {
        overview: shell.overview_after(shell.generation()).await?,
        profile: set_up.profile.name.clone(),
        resource: set_up.resource.clone(),
        client_id: set_up.profile.client_id.clone(),
        registered: set_up.registered,
        reused: set_up.reused,
        discovery: ResourceDiscoveryView::from(&set_up.discovery),
    })
}

/// The profile's provider checked against the specifications (the
/// Provider tab's conformance report); the profile list marks errors after.
#[tauri::command]
pub async fn provider_conformance(
    shell: State<'_, Shell>,
    name: String,
) -> Result<ConformanceView, IpcError> {
    Ok(shell.engine.check_profile_provider(&name).await?.into())
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

/// Makes a new key pair for the profile's `private_key_jwt`; the private key
/// goes to the keyring, the view carries the public JWK Set.
#[tauri::command]
pub async fn client_key_generate(
    shell: State<'_, Shell>,
    name: String,
    alg: KeyAlg,
) -> Result<ClientKeyView, IpcError> {
    let key = shell.engine.generate_client_key(&name, alg).await?;
    Ok(ClientKeyView::from_key(&key))
}

/// Imports a PEM key (and certificate) from files the user names: the
/// private key is read by Rust, never by the webview.
#[tauri::command]
pub async fn client_key_import(
    shell: State<'_, Shell>,
    name: String,
    key_file: String,
    cert_file: Option<String>,
    alg: Option<KeyAlg>,
) -> Result<ClientKeyView, IpcError> {
    let read = |path: &str| {
        std::fs::read_to_string(path.trim())
            .map_err(|e| IpcError::plain(format!("cannot read {}: {e}", path.trim())))
    };
    let key_pem = read(&key_file)?;
    let cert_pem = match cert_file
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(path) => Some(read(path)?),
        None => None,
    };
    let key = shell
        .engine
        .import_client_key(&name, &key_pem, cert_pem.as_deref(), alg)
        .await?;
    Ok(ClientKeyView::from_key(&key))
}

/// The profile's key with its public JWK Set, or `None` when it has none.
#[tauri::command]
pub async fn client_key_get(
    shell: State<'_, Shell>,
    name: String,
) -> Result<Option<ClientKeyView>, IpcError> {
    match shell.engine.stored_client_key(&name).await {
        Ok(key) => Ok(Some(ClientKeyView::from_key(&key))),
        Err(tessera_engine::session::keys::KeysError::NoKey(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Copies the public JWK Set (public, but copied from Rust like the rest).
#[tauri::command]
pub async fn client_key_copy_jwks(
    app: AppHandle,
    shell: State<'_, Shell>,
    name: String,
) -> Result<(), IpcError> {
    let key = shell.engine.stored_client_key(&name).await?;
    let text = serde_json::to_string_pretty(&key.public_jwks()).unwrap_or_default();
    crate::clipboard::write(&app, &text)
}
