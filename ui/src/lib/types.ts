// The IPC types shared with the Rust shell. They are generated from the Rust
// DTOs (src-tauri/src/dto.rs, error.rs) into ./bindings.ts, and a Rust test
// fails when that file is stale; see ./contract.md for commands and events.
export type * from './bindings';
