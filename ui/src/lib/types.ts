// The IPC types shared with the Rust shell. They are generated from the Rust
// DTOs (src-tauri/src/dto/, error.rs) into ./bindings.ts, and a Rust test
// fails when that file is stale; the commands' map is generated the same way
// into ./commands.ts. See ./contract.md for commands and events.
export type * from './bindings';
