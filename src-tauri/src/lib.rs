//! Tessera's desktop shell: the Tauri builder and nothing else. The window,
//! the tray, the commands and the events are thin hosts over
//! `tessera-engine`; no OpenID Connect logic lives here.

/// Builds and runs the app. Errors at start-up are reported and end the
/// process; nothing here may panic later, inside event handlers.
pub fn run() {
    let result = tauri::Builder::default().run(tauri::generate_context!("tauri.conf.json"));
    if let Err(error) = result {
        eprintln!("tessera-desktop: could not start: {error}");
        std::process::exit(1);
    }
}
