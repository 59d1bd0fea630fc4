//! What the tray menu's items do. Each action is one shared flow (sign in,
//! sign out, copy) or a change of the active profile; the menu is redrawn by
//! [`crate::sync`] when the state changes, never from here.

use tauri::{AppHandle, Manager};

use super::menu::Action;
use crate::dto::SignOutMode;
use crate::signin::{self, Origin};
use crate::state::Shell;
use crate::{clipboard, notify, window};

/// Runs the menu item with this id.
pub fn handle(app: &AppHandle, id: &str) {
    let Some(action) = Action::parse(id) else {
        return;
    };
    let app = app.clone();
    match action {
        Action::Show => window::show(&app),
        Action::Quit => {
            app.state::<Shell>().request_quit();
            app.exit(0);
        }
        action => {
            tauri::async_runtime::spawn(async move { run(app, action).await });
        }
    }
}

async fn run(app: AppHandle, action: Action) {
    let shell = app.state::<Shell>();
    let active = shell.active();
    match (action, active) {
        (Action::Switch(name), _) => {
            shell.set_active(Some(name));
        }
        (Action::CancelSignIn, _) => signin::cancel(&app, &shell),
        (Action::SignIn, Some(profile)) => {
            // The result reaches the user as a notification and events.
            let _ = signin::run(app.clone(), profile, Origin::Tray).await;
        }
        (Action::SignOut, Some(profile)) => {
            if let Err(e) = crate::signout::run(&shell, &profile, SignOutMode::Local).await {
                notify::show(&app, "Sign-out failed", &e.message);
            }
        }
        (Action::CopyToken, Some(profile)) => {
            match clipboard::copy_access_token(&app, &shell, &profile).await {
                Ok(()) => notify::show(&app, "Access token copied", &format!("Profile {profile}")),
                Err(e) => notify::show(&app, "Could not copy the access token", &e.message),
            }
        }
        _ => {}
    }
}
