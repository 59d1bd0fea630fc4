//! The tray menu as a view of state: which items there are, which are
//! enabled, and the status line. It reads the overview and does nothing;
//! what the items do is in [`super::actions`].

use tauri::menu::{CheckMenuItem, IsMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::{AppHandle, Wry};

use crate::dto::Overview;

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
        Some(p) if p.problem.is_some() => format!("{active}: session damaged, sign in again"),
        _ => format!("{active}: signed out"),
    }
}

/// The whole menu for this state, enabled items by state.
pub fn build_menu(
    app: &AppHandle,
    overview: &Overview,
    signing_in: Option<&str>,
    now: i64,
) -> tauri::Result<Menu<Wry>> {
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
                grant: Default::default(),
                signed_in,
                user: signed_in.then(|| "demo@example.com".into()),
                expires_at,
                problem: None,
                conformance_errors: None,
                registered_client: false,
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
