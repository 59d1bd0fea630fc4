//! Seeing the flow in the real window: the sequence diagram of a sign-in
//! drawn from the HTTP log and the engine's steps, a click on its token step
//! landing on that exchange, the session timeline after a refresh, and the
//! exported SVG and Mermaid text carrying no token.

use tessera_testkit::{ok, one_app_at_a_time, stored_refresh_token, LocalProvider};

use crate::harness::{artifact, clipboard, home_with_profile, Driver, SIGN_IN_WAIT, UI_WAIT};

#[test]
fn a_sign_in_is_drawn_as_a_sequence_diagram_and_a_refresh_joins_the_timeline() {
    let _one = one_app_at_a_time();
    let provider = LocalProvider::start(&[]);
    let home = home_with_profile("e2e-flow", "flow", &provider.issuer);
    let driver = Driver::start(&home);
    let app = driver.app();
    app.click("sign-in");
    app.wait("session", SIGN_IN_WAIT);

    app.click("tab-flow");
    app.wait("flow-diagram", UI_WAIT);
    let steps = app.wait_until("the sign-in's steps", UI_WAIT, || {
        let labels: Vec<String> = app
            .find_all("[data-testid^=\"flow-step-\"]")
            .iter()
            .filter_map(|s| app.attribute(s, "aria-label"))
            .collect();
        (labels.len() >= 4).then_some(labels)
    });
    let joined = steps.join(" | ").to_lowercase();
    for part in ["discovery", "token", "redirect"] {
        assert!(
            joined.contains(part),
            "the diagram has a {part} step: {joined}"
        );
    }
    let list = app
        .property(&app.wait("flow-steps-list", UI_WAIT), "textContent")
        .unwrap_or_default()
        .to_lowercase();
    assert!(
        list.contains("token"),
        "the steps are also an ordered list: {list}"
    );
    app.screenshot(&artifact("flow-sign-in.png"));

    // The exported diagram: SVG and Mermaid, with no token in either.
    let access = ok(&home.tessera(&["token", "--profile", "flow"]));
    let refresh = stored_refresh_token(&home.keyring_profile("flow")).expect("a refresh token");
    app.click("copy-flow-svg");
    let svg = app.wait_until("the SVG on the clipboard", UI_WAIT, || {
        clipboard().filter(|c| c.contains("<svg"))
    });
    app.click("copy-flow-mermaid");
    let mermaid = app.wait_until("the Mermaid text on the clipboard", UI_WAIT, || {
        clipboard().filter(|c| c.contains("sequenceDiagram"))
    });
    for (name, text) in [("SVG", &svg), ("Mermaid", &mermaid)] {
        assert!(
            !text.contains(access.trim()) && !text.contains(&refresh),
            "the exported {name} carries no token"
        );
    }

    // The token step opens its exchange in the HTTP log.
    let token_step = app
        .find_all("[data-testid^=\"flow-step-\"]")
        .into_iter()
        .find(|s| {
            app.attribute(s, "aria-label")
                .is_some_and(|l| l.to_lowercase().contains("token"))
        })
        .expect("a token step");
    // A pointer lands on the arrow's drawing, not on its group.
    let index = app
        .attribute(&token_step, "data-index")
        .expect("the step's index");
    let css = format!("[data-testid=\"flow-step-{index}\"] .label");
    app.execute(&format!(
        "document.querySelector('{}').scrollIntoView({{block: 'center'}})",
        css.replace('\'', "\\'")
    ));
    app.click_element(&app.wait_css(&css, UI_WAIT));
    let detail = app.text_of("http-log-detail", UI_WAIT);
    assert!(
        detail.contains("token endpoint") || detail.contains("/token"),
        "the click lands on the token exchange: {detail}"
    );

    // A refresh adds an entry to the timeline.
    app.click("tab-profile");
    app.click("refresh-now");
    app.click("tab-flow");
    app.wait_until("the refresh on the timeline", UI_WAIT, || {
        (app.find_all("[data-testid^=\"timeline-entry-\"]").len() >= 2).then_some(())
    });
    app.execute(
        "document.querySelector('[data-testid=\"timeline\"]').scrollIntoView({block: 'start'})",
    );
    app.screenshot(&artifact("flow-timeline.png"));
    app.end();
}
