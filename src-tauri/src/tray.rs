//! The tray icon and its menu.
//!
//! The menu is rebuilt from the overview whenever state changes (and each
//! minute, for the time left). Linux trays deliver menu events only, no
//! clicks on the icon, so everything is reachable from the menu. Handlers
//! never unwrap: a panic here would take the whole app down.

use tauri::image::Image;
use tauri::menu::{CheckMenuItem, IsMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Wry};

use crate::dto::{Overview, SignOutMode};
use crate::signin::{self, Origin};
use crate::state::Shell;
use crate::{clipboard, events, notify, window};

const TRAY: &str = "main";

/// What a menu item does; its id is the only string form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    SignIn,
    CancelSignIn,
    SignOut,
    CopyToken,
    Switch(String),
    Show,
    Quit,
}

impl Action {
    pub fn id(&self) -> String {
        match self {
            Action::SignIn => "sign_in".into(),
            Action::CancelSignIn => "cancel_sign_in".into(),
            Action::SignOut => "sign_out".into(),
            Action::CopyToken => "copy_token".into(),
            Action::Switch(name) => format!("switch:{name}"),
            Action::Show => "show".into(),
            Action::Quit => "quit".into(),
        }
    }

    pub fn parse(id: &str) -> Option<Self> {
        Some(match id {
            "sign_in" => Action::SignIn,
            "cancel_sign_in" => Action::CancelSignIn,
            "sign_out" => Action::SignOut,
            "copy_token" => Action::CopyToken,
            "show" => Action::Show,
            "quit" => Action::Quit,
            other => Action::Switch(other.strip_prefix("switch:")?.to_string()),
        })
    }
}

/// The status line: profile, user and minutes left.
pub fn status_line(overview: &Overview, signing_in: Option<&str>, now: i64) -> String {
    let Some(active) = overview.active.as_deref() else {
        return "No profiles yet".into();
    };
    if signing_in == Some(active) {
        return format!("{active}: signing in…");
    }
    match overview.profiles.iter().find(|p| p.name == active) {
        Some(p) if p.signed_in => {
            let user = p.user.as_deref().unwrap_or("signed in");
            match p.expires_at {
                Some(exp) if exp <= now => format!("{active}: {user} · token expired"),
                Some(exp) => format!("{active}: {user} · {} min left", (exp - now).div_euclid(60)),
                None => format!("{active}: {user}"),
            }
        }
        _ => format!("{active}: signed out"),
    }
}

fn build_menu(
    app: &AppHandle,
    overview: &Overview,
    signing_in: Option<&str>,
) -> tauri::Result<Menu<Wry>> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let active = overview
        .active
        .as_deref()
        .and_then(|a| overview.profiles.iter().find(|p| p.name == a));
    let signed_in = active.is_some_and(|p| p.signed_in);
    let busy = signing_in.is_some();

    let status = MenuItem::with_id(
        app,
        "status",
        status_line(overview, signing_in, now),
        false,
        None::<&str>,
    )?;
    let sign_in_item = if busy {
        MenuItem::with_id(
            app,
            Action::CancelSignIn.id(),
            "Cancel sign-in",
            true,
            None::<&str>,
        )?
    } else {
        MenuItem::with_id(
            app,
            Action::SignIn.id(),
            "Sign in",
            active.is_some() && !signed_in,
            None::<&str>,
        )?
    };
    let sign_out = MenuItem::with_id(
        app,
        Action::SignOut.id(),
        "Sign out",
        signed_in && !busy,
        None::<&str>,
    )?;
    let copy = MenuItem::with_id(
        app,
        Action::CopyToken.id(),
        "Copy access token",
        signed_in && !busy,
        None::<&str>,
    )?;
    let switches = overview
        .profiles
        .iter()
        .map(|p| {
            let label = if p.signed_in {
                format!("{} ●", p.name)
            } else {
                p.name.clone()
            };
            CheckMenuItem::with_id(
                app,
                Action::Switch(p.name.clone()).id(),
                label,
                !busy,
                overview.active.as_deref() == Some(p.name.as_str()),
                None::<&str>,
            )
        })
        .collect::<tauri::Result<Vec<_>>>()?;
    let switch_refs: Vec<&dyn IsMenuItem<Wry>> =
        switches.iter().map(|i| i as &dyn IsMenuItem<Wry>).collect();
    let switch = Submenu::with_items(app, "Switch profile", !switches.is_empty(), &switch_refs)?;
    let show = MenuItem::with_id(app, Action::Show.id(), "Show window", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, Action::Quit.id(), "Quit Tessera", true, None::<&str>)?;
    Menu::with_items(
        app,
        &[
            &status,
            &PredefinedMenuItem::separator(app)?,
            &sign_in_item,
            &sign_out,
            &copy,
            &switch,
            &PredefinedMenuItem::separator(app)?,
            &show,
            &quit,
        ],
    )
}

/// Creates the tray icon with an empty-state menu; [`update`] fills it in.
pub fn install(app: &AppHandle) -> tauri::Result<()> {
    let icon = Image::from_bytes(include_bytes!("../../icons/tray@2x.png"))?;
    let menu = build_menu(
        app,
        &Overview {
            profiles: vec![],
            active: None,
        },
        None,
    )?;
    TrayIconBuilder::with_id(TRAY)
        .icon(icon)
        .icon_as_template(true)
        .tooltip("Tessera")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| handle(app, event.id().as_ref()))
        .on_tray_icon_event(|tray, event| {
            // macOS and Windows: a left click shows the window, the right
            // click opens the menu. Linux sends no icon events at all.
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                window::show(tray.app_handle());
            }
        })
        .build(app)?;
    Ok(())
}

/// Rebuilds the menu and tooltip from the overview.
pub fn update(app: &AppHandle, overview: &Overview, signing_in: Option<String>) {
    let Some(tray) = app.tray_by_id(TRAY) else {
        return;
    };
    match build_menu(app, overview, signing_in.as_deref()) {
        Ok(menu) => {
            if let Err(e) = tray.set_menu(Some(menu)) {
                tracing::warn!("could not update the tray menu: {e}");
            }
        }
        Err(e) => tracing::warn!("could not build the tray menu: {e}"),
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let _ = tray.set_tooltip(Some(format!(
        "Tessera: {}",
        status_line(overview, signing_in.as_deref(), now)
    )));
}

fn handle(app: &AppHandle, id: &str) {
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
            events::state_changed(&app).await;
        }
        (Action::CancelSignIn, _) => {
            if let Some(profile) = shell.cancel_sign_in() {
                events::sign_in(
                    &app,
                    &crate::dto::SignInEvent {
                        profile,
                        phase: crate::dto::SignInPhase::Failed {
                            error: crate::error::IpcError::cancelled(),
                        },
                    },
                );
                events::state_changed(&app).await;
            }
        }
        (Action::SignIn, Some(profile)) => {
            // The result reaches the user as a notification and events.
            let _ = signin::run(app.clone(), profile, Origin::Tray).await;
        }
        (Action::SignOut, Some(profile)) => {
            if let Err(e) = crate::signout::run(&app, &shell, &profile, SignOutMode::Local).await {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::ProfileSummary;

    fn overview(signed_in: bool, expires_at: Option<i64>) -> Overview {
        Overview {
            profiles: vec![ProfileSummary {
                name: "local".into(),
                issuer: "http://127.0.0.1:9090".into(),
                client_id: "tessera".into(),
                signed_in,
                user: signed_in.then(|| "demo@example.com".into()),
                expires_at,
            }],
            active: Some("local".into()),
        }
    }

    #[test]
    fn menu_ids_round_trip_including_profile_names_with_colons() {
        for action in [
            Action::SignIn,
            Action::CancelSignIn,
            Action::SignOut,
            Action::CopyToken,
            Action::Show,
            Action::Quit,
            Action::Switch("a:b".into()),
        ] {
            assert_eq!(
                Action::parse(&action.id()),
                Some(action.clone()),
                "{action:?} must survive its id"
            );
        }
        assert_eq!(
            Action::parse("status"),
            None,
            "the status line does nothing"
        );
    }

    #[test]
    fn the_status_line_shows_the_user_and_whole_minutes_left() {
        let line = status_line(&overview(true, Some(1_000 + 12 * 60 + 59)), None, 1_000);
        assert_eq!(
            line, "local: demo@example.com · 12 min left",
            "minutes round down"
        );
        assert_eq!(
            status_line(&overview(true, Some(900)), None, 1_000),
            "local: demo@example.com · token expired",
            "an expired token says so"
        );
        assert_eq!(
            status_line(&overview(false, None), None, 1_000),
            "local: signed out",
            "signed out"
        );
        assert_eq!(
            status_line(&overview(false, None), Some("local"), 1_000),
            "local: signing in…",
            "a sign-in in flight wins"
        );
    }
}
