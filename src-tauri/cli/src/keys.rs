//! `tessera keys`: the client's key pair for `private_key_jwt`. The private
//! key goes to the OS keyring and nowhere else; stdout gets the public JWK
//! Set (to register with the provider), stderr a line naming the kid.

use tessera_engine::Engine;

use crate::args::KeysCommand;
use crate::failure::Failure;
use crate::output::print_json;

pub(crate) async fn run(engine: &Engine, command: KeysCommand) -> Result<(), Failure> {
    let (key, verb) = match command {
        KeysCommand::Generate { profile, alg } => (
            engine.generate_client_key(&profile, alg).await?,
            "Generated",
        ),
        KeysCommand::Import {
            profile,
            key,
            cert,
            alg,
        } => {
            let read = |path: &std::path::Path| {
                std::fs::read_to_string(path)
                    .map_err(|e| Failure::other(format!("cannot read {}: {e}", path.display())))
            };
            let key_pem = read(&key)?;
            let cert_pem = cert.as_deref().map(read).transpose()?;
            (
                engine
                    .import_client_key(&profile, &key_pem, cert_pem.as_deref(), alg)
                    .await?,
                "Imported",
            )
        }
        KeysCommand::Show { profile } => (engine.stored_client_key(&profile).await?, ""),
    };
    if !verb.is_empty() {
        eprintln!(
            "{verb} the {} key; its private key is in the OS keyring only. kid (RFC 7638 thumbprint): {}",
            key.alg(),
            key.kid()
        );
    }
    print_json(&key.public_jwks());
    Ok(())
}
