//! Text from outside Tessera (claims, issuers, provider errors, API answers)
//! is shown on a terminal, which obeys escape sequences: a token's claim could
//! otherwise recolour the report into a fake "All checks passed", move the
//! cursor, set the window title or write the clipboard (OSC 52). Everything
//! the command line prints for people goes through [`escape`]; JSON goes
//! through [`json_text`].

use std::borrow::Cow;

/// Characters a terminal may act on instead of showing: C0 and C1 controls
/// and DEL, and the bidirectional overrides that reorder what is displayed.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character written as a visible `\u{…}` escape.
/// Line breaks and tabs stay as they are.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c) && c != '\n' && c != '\t') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c) && c != '\n' && c != '\t' {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One line: [`escape`], with line breaks turned into spaces.
pub fn escape_line(text: &str) -> String {
    escape(&text.replace(['\r', '\n'], " ")).into_owned()
}

/// JSON text whose unsafe characters are all `\u` escapes. serde_json
/// escapes C0 controls already; DEL, C1 controls and bidi overrides it
/// writes raw, which is valid JSON but not safe on a terminal.
pub fn json_text(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if is_unsafe(c) && c != '\n' {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_from_a_token_are_shown_not_obeyed() {
        let hostile = "Dana\u{1b}[2K\u{1b}[32mAll checks passed\u{7}\u{9b}31m\u{202e}cba";
        let shown = escape(hostile);
        assert!(
            !shown.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "no control or bidi character reaches the terminal: {shown:?}"
        );
        assert!(
            shown.contains("\\u{1b}[32m"),
            "the escape is visible: {shown}"
        );
        assert_eq!(
            escape("plain text\n"),
            "plain text\n",
            "ordinary text is untouched"
        );
    }

    #[test]
    fn json_stays_valid_and_safe() {
        let value = serde_json::json!({"name": "a\u{1b}]52;c;aGk=\u{7}b\u{9b}c\u{202e}"});
        let text = json_text(&serde_json::to_string(&value).expect("JSON"));
        assert!(
            !text.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{text:?}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).expect("still valid JSON");
        assert_eq!(back, value, "the escapes decode to the same value");
    }
}
