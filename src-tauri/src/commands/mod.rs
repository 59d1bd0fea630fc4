//! Tauri commands, one module per panel. Each does one engine call and maps
//! its types; errors cross as `{code, message}` ([`crate::error::IpcError`]).

pub mod api;
pub mod inspector;
pub mod profiles;
pub mod session;

#[cfg(test)]
mod map {
    //! The UI's command map (`ui/src/lib/commands.ts`) is generated from the
    //! command functions here, and `generate_handler!` in lib.rs must list
    //! exactly those commands: a command added on one side only fails this
    //! test, and a wrapper missing in `ipc.ts` fails the UI's type check.

    use std::collections::BTreeSet;

    const MAP: &str = "ui/src/lib/commands.ts";
    const MODULES: [&str; 4] = ["profiles", "session", "inspector", "api"];

    struct Command {
        name: String,
        args: Vec<(String, String)>,
        result: String,
    }

    fn source(path: &str) -> String {
        let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("read {}: {e}", full.display()))
    }

    /// Splits at commas outside `<…>`.
    fn split_top(text: &str) -> Vec<String> {
        let (mut parts, mut depth, mut current) = (Vec::new(), 0, String::new());
        for c in text.chars() {
            match c {
                '<' => depth += 1,
                '>' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(std::mem::take(&mut current));
                    continue;
                }
                _ => {}
            }
            current.push(c);
        }
        parts.push(current);
        parts
            .into_iter()
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect()
    }

    /// A Rust type as TypeScript, as ts-rs and serde write it.
    fn ts(rust: &str) -> String {
        let rust = rust.trim();
        let inner = |prefix: &str| rust.strip_prefix(prefix).and_then(|r| r.strip_suffix('>'));
        if let Some(t) = inner("Option<") {
            return format!("{} | null", ts(t));
        }
        if let Some(t) = inner("Vec<") {
            return format!("{}[]", ts(t));
        }
        match rust {
            "String" | "&str" => "string".into(),
            "bool" => "boolean".into(),
            "u64" | "u32" | "i64" | "usize" => "number".into(),
            "()" | "" => "null".into(),
            other => other.rsplit("::").next().unwrap_or(other).to_string(),
        }
    }

    fn camel(name: &str) -> String {
        let mut out = String::new();
        let mut upper = false;
        for c in name.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.extend(c.to_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    }

    fn commands(module: &str) -> Vec<Command> {
        let text = source(&format!("src-tauri/src/commands/{module}.rs"));
        let mut found = Vec::new();
        for chunk in text.split("#[tauri::command]").skip(1) {
            let signature = &chunk[chunk.find("fn ").expect("a command is a fn") + 3..];
            let signature = &signature[..signature.find('{').expect("a body")];
            let open = signature.find('(').expect("arguments");
            // The ')' closing the argument list (a result may hold "()").
            let mut depth = 0;
            let close = signature
                .char_indices()
                .skip(open)
                .find(|&(_, c)| {
                    depth += match c {
                        '(' => 1,
                        ')' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map(|(i, _)| i)
                .expect("arguments end");
            let name = signature[..open].trim().to_string();
            let args = split_top(&signature[open + 1..close])
                .into_iter()
                .filter_map(|arg| {
                    let (n, t) = arg.split_once(':')?;
                    let t = t.trim();
                    (!t.starts_with("AppHandle") && !t.starts_with("State<"))
                        .then(|| (camel(n.trim()), ts(t)))
                })
                .collect();
            let result = signature[close + 1..]
                .trim()
                .trim_start_matches("->")
                .trim();
            let result = result
                .strip_prefix("Result<")
                .and_then(|r| r.strip_suffix(", IpcError>"))
                .unwrap_or(result);
            found.push(Command {
                name,
                args,
                result: ts(result),
            });
        }
        found
    }

    fn generated(all: &[Command]) -> String {
        let mut types = BTreeSet::new();
        for c in all {
            for t in c.args.iter().map(|(_, t)| t).chain([&c.result]) {
                let base = t.trim_end_matches("[]").trim_end_matches(" | null");
                if base.chars().next().is_some_and(char::is_uppercase) {
                    types.insert(base.to_string());
                }
            }
        }
        let mut out = String::from(
            "// Generated from the Rust commands by a test in src-tauri (cargo test -p tessera-desktop); do not edit.\nimport type {\n",
        );
        for t in &types {
            out.push_str(&format!("  {t},\n"));
        }
        out.push_str("} from './bindings';\n\n/** Each command's arguments and result, as the Rust side declares them. */\nexport type Commands = {\n");
        for c in all {
            let args = if c.args.is_empty() {
                "Record<string, never>".to_string()
            } else {
                let fields: Vec<String> = c.args.iter().map(|(n, t)| format!("{n}: {t}")).collect();
                format!("{{ {} }}", fields.join("; "))
            };
            out.push_str(&format!("  {}: [{args}, {}];\n", c.name, c.result));
        }
        out.push_str("};\n");
        out
    }

    #[test]
    fn the_ui_command_map_and_the_handler_list_match_the_rust_commands() {
        let all: Vec<Command> = MODULES.iter().flat_map(|m| commands(m)).collect();
        let lib = source("src-tauri/src/lib.rs");
        let handler = &lib[lib.find("generate_handler![").expect("the handler list")..];
        let handler = &handler[..handler.find(']').expect("its end")];
        let listed: BTreeSet<String> = handler
            .split(',')
            .filter_map(|p| p.trim().rsplit("::").next().map(str::to_string))
            .filter(|n| !n.is_empty() && !n.contains('['))
            .collect();
        let defined: BTreeSet<String> = all.iter().map(|c| c.name.clone()).collect();
        assert_eq!(
            listed, defined,
            "generate_handler! in lib.rs must list every command, and only those"
        );

        let expected = generated(&all);
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(MAP);
        if std::env::var_os("TESSERA_UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &expected).expect("write the command map");
        }
        let found = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            found == expected,
            "{MAP} is stale: run `TESSERA_UPDATE_BINDINGS=1 cargo test -p tessera-desktop --lib commands` and commit it"
        );
    }
}
