//! The tray icon: [`menu`] draws the menu from state, [`actions`] does what
//! its items say. Linux trays deliver menu events only, no clicks on the
//! icon, so everything is reachable from the menu. Handlers never unwrap: a
//! panic here would take the whole app down.

pub mod actions;
pub mod menu;

use tauri::image::Image;
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager};

use crate::dto::Overview;
use crate::state::Shell;
use crate::window;
use menu::{build_menu, status_line};

const TRAY: &str = "main";

/// Creates the tray icon with an empty-state menu; [`update`] fills it in.
pub fn install(app: &AppHandle) -> tauri::Result<()> {
    let icon = Image::from_bytes(include_bytes!("../../../icons/tray@2x.png"))?;
    let menu = build_menu(
        app,
        &Overview {
            profiles: vec![],
            active: None,
        },
        None,
        0,
    )?;
    TrayIconBuilder::with_id(TRAY)
        .icon(icon)
        .icon_as_template(true)
        .tooltip("Tessera")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| actions::handle(app, event.id().as_ref()))
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
pub fn update(app: &AppHandle, overview: &Overview, signing_in: Option<&str>) {
    let Some(tray) = app.tray_by_id(TRAY) else {
        return;
    };
    let now = app.state::<Shell>().engine.now();
    match build_menu(app, overview, signing_in, now) {
        Ok(menu) => {
            if let Err(e) = tray.set_menu(Some(menu)) {
                tracing::warn!("could not update the tray menu: {e}");
            }
        }
        Err(e) => tracing::warn!("could not build the tray menu: {e}"),
    }
    let _ = tray.set_tooltip(Some(format!(
        "Tessera: {}",
        status_line(overview, signing_in, now)
    )));
}
