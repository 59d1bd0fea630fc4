//! Tessera's desktop shell: the Tauri builder and its wiring, nothing else.
//! The window, the tray, the commands and the events are thin hosts over
//! `tessera-engine`; no OpenID Connect logic lives here.
//!
//! | module | job |
//! |---|---|
//! | [`commands`] | one Tauri command per engine call, by panel |
//! | [`dto`], [`error`] | what crosses IPC (TS bindings generated from them) |
//! | [`signin`], [`signout`], [`clipboard`] | flows shared by the window and the tray |
//! | [`tray`] | the tray icon and menu |
//! | [`refresher`] | auto-refresh ahead of expiry |
//! | [`deep_link`] | custom-scheme redirects from the OS |
//! | `single_instance` | one Tessera per session on Linux (the plugin elsewhere) |
//! | [`sync`] | the one subscription: state changes redraw the window and the tray |
//! | [`events`], [`window`], [`notify`], [`state`] | plumbing |

pub mod clipboard;
pub mod commands;
pub mod deep_link;
pub mod dto;
pub mod error;
pub mod events;
pub mod notify;
pub mod refresher;
pub mod signin;
pub mod signout;
#[cfg(target_os = "linux")]
pub mod single_instance;
pub mod state;
pub mod sync;
pub mod tray;
pub mod window;

use tauri::webview::PageLoadEvent;
use tauri::{Manager, RunEvent, WindowEvent};
use tessera_engine::Engine;

use crate::state::Shell;

/// Builds and runs the app. Errors at start-up are reported and end the
/// process; nothing after that may panic, inside event handlers least of all.
pub fn run() {
    window::prefer_software_compositing();
    init_logging();
    let engine = match Engine::system() {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("tessera-desktop: {e}");
            std::process::exit(1);
        }
    };
    // First, so a second instance hands over its arguments (a redirect URL)
    // and exits before anything else starts.
    #[cfg(target_os = "linux")]
    let handed_over = single_instance::claim();
    #[cfg(not(target_os = "linux"))]
    let handed_over = ();
    // What the first page load starts, taken by it: later loads find nothing.
    let after_first_frame = std::sync::Mutex::new(Some(handed_over));
    let builder = tauri::Builder::default();
    #[cfg(not(target_os = "linux"))]
    let builder = builder.plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
        window::show(app);
    }));
    let builder = builder.plugin(tauri_plugin_deep_link::init());
    // Linux keeps one instance, shows notifications and writes the clipboard
    // itself (single_instance.rs, notify.rs, clipboard.rs).
    #[cfg(not(target_os = "linux"))]
    let builder = builder
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_clipboard_manager::init());
    let app = builder
        .manage(Shell::new(engine))
        .manage(window::FirstShow::default())
        .invoke_handler(tauri::generate_handler![
            commands::profiles::overview,
            commands::profiles::set_active_profile,
            commands::profiles::presets,
            commands::profiles::profile_get,
            commands::profiles::profile_save,
            commands::profiles::profile_duplicate,
            commands::profiles::profile_remove,
            commands::profiles::discover,
            commands::profiles::resource_discover,
            commands::profiles::resource_set_up,
            commands::profiles::provider_conformance,
            commands::profiles::client_key_generate,
            commands::profiles::client_key_import,
            commands::profiles::client_key_get,
            commands::profiles::client_key_copy_jwks,
            commands::session::sign_in,
            commands::session::cancel_sign_in,
            commands::session::session,
            commands::session::session_picture,
            commands::session::refresh_session,
            commands::session::sign_out,
            commands::session::copy_access_token,
            commands::inspector::inspect_session,
            commands::inspector::reveal_token,
            commands::inspector::copy_token,
            commands::inspector::introspect_token,
            commands::inspector::revoke_token,
            commands::inspector::session_history,
            commands::inspector::history_diff,
            commands::inspector::decode_jwt,
            commands::inspector::verify_jwt,
            commands::inspector::provider_view,
            commands::inspector::http_log,
            commands::inspector::http_log_entry,
            commands::inspector::http_log_clear,
            commands::inspector::token_exchange,
            commands::inspector::exchanged_token_copy,
            commands::inspector::exchanged_token_introspect,
            commands::inspector::exchange_history,
            commands::inspector::operations,
            commands::api::api_send,
            commands::api::api_save_response,
            commands::api::saved_requests,
            commands::api::saved_request_put,
            commands::api::saved_request_delete,
            commands::api::curl_preview,
            commands::api::copy_curl,
        ])
        .setup(|app| {
            events::forward_http_log(app.handle());
            events::forward_operations(app.handle());
            window::FirstShow::show_at_the_latest(app.handle());
            Ok(())
        })
        .on_page_load(move |webview, payload| {
            if payload.event() != PageLoadEvent::Finished {
                return;
            }
            // The window is shown now, with its first frame ready
            // (window::FirstShow). The tray (D-Bus round trips to the panel
            // on Linux, on the main thread) and the rest start after, so
            // they never hold up that frame.
            let app = webview.app_handle();
            app.state::<window::FirstShow>().show_once(app);
            let pending = after_first_frame.lock().ok().and_then(|mut p| p.take());
            if let Some(handed_over) = pending {
                start_after_first_frame(app.clone(), handed_over);
            }
        })
        .on_window_event(|window, event| {
            // Closing the window keeps Tessera in the tray; Quit is in the menu.
            if let WindowEvent::CloseRequested { api, .. } = event {
                if !window.state::<Shell>().quit_requested() {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .build(tauri::generate_context!("tauri.conf.json"));
    match app {
        Ok(app) => app.run(|app, event| {
            if let RunEvent::ExitRequested { api, code, .. } = event {
                if code.is_none() && !app.state::<Shell>().quit_requested() {
                    api.prevent_exit();
                }
            }
        }),
        Err(error) => {
            eprintln!("tessera-desktop: could not start: {error}");
            std::process::exit(1);
        }
    }
}

/// Where another instance's arguments arrive, on Linux (`single_instance`;
/// `None` without a session bus); the plugin delivers them elsewhere.
#[cfg(target_os = "linux")]
type FromOtherInstances = Option<single_instance::HandedOver>;
#[cfg(not(target_os = "linux"))]
type FromOtherInstances = ();

/// The tray, deep links, the state subscription and the refresher: started
/// once, after the window's page has loaded.
fn start_after_first_frame(handle: tauri::AppHandle, handed_over: FromOtherInstances) {
    tauri::async_runtime::spawn(async move {
        let main = handle.clone();
        let (done, installed) = tokio::sync::oneshot::channel();
        let started = handle.run_on_main_thread(move || {
            if let Err(e) = tray::install(&main) {
                tracing::warn!("no tray icon: {e}");
            }
            deep_link::install(&main);
            #[cfg(target_os = "linux")]
            if let Some(handed_over) = handed_over {
                deep_link::receive_handed_over(&main, handed_over);
            }
            #[cfg(not(target_os = "linux"))]
            let () = handed_over;
            let _ = done.send(());
        });
        if let Err(e) = started {
            tracing::warn!("could not finish start-up: {e}");
        }
        // The first state fills in the tray menu, so it waits for it.
        let _ = installed.await;
        let shell = handle.state::<Shell>();
        sync::subscribe(&shell);
        refresher::spawn(handle.clone());
        sync::run(&shell, &sync::WindowAndTray::new(handle.clone())).await;
    });
}

/// `TESSERA_LOG` (e.g. `debug`) turns on logs on stderr. They name
/// endpoints and outcomes, never a token, code, secret or verifier.
/// The filter is tracing's `Targets` (a level, or `target=level` pairs),
/// which needs no regular expressions.
fn init_logging() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let written = std::env::var("TESSERA_LOG").unwrap_or_else(|_| "warn".into());
    let filter = written
        .parse::<tracing_subscriber::filter::Targets>()
        .unwrap_or_else(|e| {
            eprintln!("tessera-desktop: TESSERA_LOG ({e}); logging warnings instead");
            tracing_subscriber::filter::Targets::new().with_default(tracing::Level::WARN)
        });
    let layer = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(filter)
        .try_init();
}
