//! Tauri commands, one module per panel. Each does one engine call and maps
//! its types; errors cross as `{code, message}` ([`crate::error::IpcError`]).

pub mod api;
pub mod inspector;
pub mod profiles;
pub mod session;
