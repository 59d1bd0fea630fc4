//! Custom-scheme redirects (`dev.tessera.app:/callback`, RFC 8252 §7.1).
//!
//! The OS starts Tessera with the URL as an argument. A second instance
//! forwards its arguments to the running app ([`crate::single_instance`] on
//! Linux, the single-instance plugin elsewhere), where the deep-link plugin
//! turns them into `on_open_url`; the URL then goes to
//! the sign-in in flight, whose engine checks it is the redirect URI and its
//! state. On macOS the URL arrives as an Apple event to the running app.

use tauri::{AppHandle, Manager};
use tauri_plugin_deep_link::DeepLinkExt;

use crate::state::Shell;

pub fn install(app: &AppHandle) {
    let handle = app.clone();
    app.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            deliver(&handle, url.to_string());
        }
    });
    // A URL that started the app: no sign-in was waiting for it (its state
    // and verifier died with the process that began it), so it is dropped.
    if let Ok(Some(urls)) = app.deep_link().get_current() {
        if !urls.is_empty() {
            tracing::info!("ignored a redirect that arrived before any sign-in started");
        }
    }
}

/// Arguments another instance handed over (Linux): the deep-link plugin
/// picks out a redirect URL as it does for the plugin's hand-over, and the
/// window shows.
#[cfg(target_os = "linux")]
pub fn receive_handed_over(app: &AppHandle, handed_over: crate::single_instance::HandedOver) {
    let app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("handed-over".into())
        .spawn(move || {
            for argv in handed_over {
                app.deep_link().handle_cli_arguments(argv.iter());
                crate::window::show(&app);
            }
        });
    if let Err(e) = spawned {
        tracing::warn!("cannot take arguments from other instances: {e}");
    }
}

fn deliver(app: &AppHandle, url: String) {
    let shell = app.state::<Shell>();
    if shell.deliver_scheme_url(url) {
        crate::window::show(app);
    } else {
        tracing::info!("ignored a redirect with no sign-in waiting for it");
    }
}

/// Registers the scheme with the OS where that happens at run time (Linux
/// and Windows outside an installed bundle). Best effort: an installed
/// package has registered it already.
pub fn register(app: &AppHandle) {
    #[cfg(any(target_os = "linux", windows))]
    if let Err(e) = app.deep_link().register_all() {
        tracing::info!("could not register the URL scheme at run time: {e}");
    }
    #[cfg(not(any(target_os = "linux", windows)))]
    let _ = app;
}
