//! For the tests that start the desktop app.

use std::path::PathBuf;
use std::process::Command;
use std::sync::{Mutex, MutexGuard};

use crate::repo_root;

/// A binary of this workspace's build (`tessera`, `tessera-desktop`), found
/// beside the running test's own executable (`<target>/debug/deps/`), so a
/// custom target directory works too. Panics when it is not built.
pub fn built_binary(name: &str) -> PathBuf {
    let target = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent()?.parent().map(PathBuf::from))
        .unwrap_or_else(|| repo_root().join("target/debug"));
    let path = target.join(name);
    assert!(
        path.exists(),
        "{} is missing: build the workspace first (cargo build --workspace)",
        path.display()
    );
    path
}

/// Held by each test that starts the desktop app: the app is single-instance
/// per session bus, so a second one would only hand its arguments to the
/// first. A test that failed while holding it does not block the rest.
pub fn one_app_at_a_time() -> MutexGuard<'static, ()> {
    static APP: Mutex<()> = Mutex::new(());
    APP.lock().unwrap_or_else(|e| e.into_inner())
}

/// The clipboard's text, read the way another X client would (`xclip`).
pub fn clipboard() -> Option<String> {
    let out = Command::new("xclip")
        .args(["-o", "-selection", "clipboard"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
