//! The command line's arguments, as clap parses them. Each subcommand's
//! handling lives in its own module; this one only declares.

use clap::{Args, Parser, Subcommand, ValueEnum};

use tessera_engine::profile::KeyAlg;

use crate::call::CallArgs;
use crate::decode::DecodeArgs;

#[derive(Parser)]
#[command(name = "tessera", version, about = "Sign in to OpenID Connect providers and use the tokens", long_about = None)]
pub(crate) struct Cli {
    /// Log HTTP calls (method, URL without query, status, timing) to stderr; never tokens.
    #[arg(short, long, global = true)]
    pub(crate) verbose: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Sign in through the browser and save the session in the OS keyring.
    Login(Box<LoginArgs>),
    /// Print a valid access token, refreshing it first when needed.
    Token {
        #[arg(long, env = "TESSERA_PROFILE")]
        profile: Option<String>,
        /// Print a JSON object with the token and its metadata.
        #[arg(long)]
        json: bool,
        /// Print the session's ID token instead (e.g. for `tessera decode -`).
        #[arg(long, conflicts_with = "json")]
        id_token: bool,
    },
    /// Refresh the session now, even if the access token is still valid.
    Refresh {
        #[arg(long, env = "TESSERA_PROFILE")]
        profile: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Sign out: delete the local session, optionally revoke and end the provider session.
    Logout {
        #[arg(long, env = "TESSERA_PROFILE")]
        profile: Option<String>,
        /// Revoke the refresh and access tokens at the provider (RFC 7009) first.
        #[arg(long)]
        revoke: bool,
        /// Open the provider's end-session page (RP-initiated logout).
        #[arg(long)]
        end_session: bool,
        /// Command that opens the end-session URL instead of the system browser.
        #[arg(long, env = "TESSERA_BROWSER")]
        browser: Option<String>,
    },
    /// Ask the provider about a token (RFC 7662) and print its answer as JSON.
    Introspect {
        #[arg(long, env = "TESSERA_PROFILE")]
        profile: Option<String>,
        #[arg(long, value_enum, default_value = "access")]
        token: WhichToken,
    },
    /// Decode a JWT (header and claims, offline); --verify adds the validation report.
    Decode(DecodeArgs),
    /// Call an API with the access token (refreshed when needed); non-2xx exits 22.
    Call(CallArgs),
    /// Manage saved profiles.
    #[command(subcommand)]
    Profiles(ProfilesCommand),
    /// The client's key pair for private_key_jwt: its private key lives only in the OS keyring.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Trade the session's token for another (RFC 8693 token exchange); prints the issued token.
    Exchange(ExchangeArgs),
    /// Check a provider's metadata and keys against the specifications; exits 1 on an error-level finding.
    Lint {
        /// An issuer or a metadata URL (…/.well-known/openid-configuration).
        #[arg(required_unless_present = "file")]
        target: Option<String>,
        /// A saved discovery document, checked offline.
        #[arg(long, conflicts_with = "target")]
        file: Option<std::path::PathBuf>,
        /// Print `{issuer, findings: [{id, level, message, reference}]}`.
        #[arg(long)]
        json: bool,
    },
    /// Walk from an API URL to its authorization servers (RFC 9728, RFC 8414);
    /// exits 1 when none is usable.
    Discover {
        /// The API's URL, as called without a token.
        url: String,
        /// Print `{resource, resource_metadata_url, scopes, authorization_servers, checks, …}`.
        #[arg(long)]
        json: bool,
    },
    /// Print a fresh DPoP proof for a request, bound to the current access token.
    DpopProof {
        #[arg(long, env = "TESSERA_PROFILE")]
        profile: Option<String>,
        /// The request's method, e.g. GET.
        method: String,
        /// The request's URL.
        url: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum KeysCommand {
    /// Make a new key pair; prints the public JWK Set to register with the provider.
    Generate {
        #[arg(long, env = "TESSERA_PROFILE")]
        profile: String,
        /// Signing algorithm (Ed25519 is EdDSA under its RFC 9864 name).
        #[arg(long, default_value = "ES256", value_parser = parse_alg)]
        alg: KeyAlg,
    },
    /// Import a PEM private key (PKCS#8), with the certificate issued for it if any.
    Import {
        #[arg(long, env = "TESSERA_PROFILE")]
        profile: String,
        /// The private key, PEM.
        #[arg(long)]
        key: std::path::PathBuf,
        /// The certificate for the key, PEM (adds x5c, x5t#S256 and x5t).
        #[arg(long)]
        cert: Option<std::path::PathBuf>,
        /// Signing algorithm, when the key's default is not wanted (PS256 for RSA, Ed25519).
        #[arg(long, value_parser = parse_alg)]
        alg: Option<KeyAlg>,
    },
    /// Print the public JWK Set of the profile's key.
    Show {
        #[arg(long, env = "TESSERA_PROFILE")]
        profile: String,
    },
}

fn parse_alg(s: &str) -> Result<KeyAlg, String> {
    KeyAlg::parse(s).ok_or_else(|| format!("{s} is not one of ES256, RS256, PS256, EdDSA, Ed25519"))
}

#[derive(Args)]
pub(crate) struct ExchangeArgs {
    #[arg(long, env = "TESSERA_PROFILE")]
    pub(crate) profile: Option<String>,
    /// Which of the session's tokens to send as the subject token.
    #[arg(long, value_enum, default_value = "access")]
    pub(crate) subject_token: SubjectToken,
    /// `audience` (repeatable).
    #[arg(long)]
    pub(crate) audience: Vec<String>,
    /// `resource` (repeatable).
    #[arg(long)]
    pub(crate) resource: Vec<String>,
    /// `scope`, space-separated.
    #[arg(long)]
    pub(crate) scope: Option<String>,
    /// `requested_token_type`, a URN.
    #[arg(long)]
    pub(crate) requested_token_type: Option<String>,
    /// A signed-in profile whose access token is sent as the actor token.
    #[arg(long)]
    pub(crate) actor_profile: Option<String>,
    /// Print a JSON object with the issued token and its metadata.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum SubjectToken {
    Access,
    Id,
    Refresh,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum WhichToken {
    Access,
    Refresh,
}

#[derive(Subcommand)]
pub(crate) enum ProfilesCommand {
    /// List profiles.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show a profile and its session status.
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Create or update a profile without signing in (the flags of `login`).
    Save(Box<LoginArgs>),
    /// Remove a profile, its session and its client secret.
    Remove {
        name: String,
        /// Also delete the client Tessera registered for it at the provider (RFC 7592).
        #[arg(long)]
        delete_registration: bool,
    },
}

#[derive(Args)]
pub(crate) struct LoginArgs {
    /// Profile to use or create.
    #[arg(long, env = "TESSERA_PROFILE")]
    pub(crate) profile: Option<String>,
    /// Issuer URL (discovery at <issuer>/.well-known/openid-configuration).
    #[arg(long)]
    pub(crate) issuer: Option<String>,
    /// Set the profile up from an API URL: its protected resource metadata
    /// names the issuer, the resource and the scopes (RFC 9728, RFC 8707).
    #[arg(long, conflicts_with_all = ["issuer", "resource"])]
    pub(crate) resource_url: Option<String>,
    /// With --resource-url: register Tessera as a client (RFC 7591) instead
    /// of using a client id.
    #[arg(long, requires = "resource_url", conflicts_with = "client_id")]
    pub(crate) register: bool,
    /// OAuth client id. Opaque: one that starts with `-` (random ids do) is
    /// still the value, not an option.
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) client_id: Option<String>,
    /// Client secret, for confidential clients; stored in the OS keyring. Prefer TESSERA_CLIENT_SECRET.
    #[arg(
        long,
        env = "TESSERA_CLIENT_SECRET",
        hide_env_values = true,
        allow_hyphen_values = true
    )]
    pub(crate) client_secret: Option<String>,
    /// How the client authenticates: none (public), a secret (basic, post,
    /// client-secret-jwt), its key (private-key-jwt; see `tessera keys`), or
    /// its TLS certificate (tls, self-signed-tls; give --client-cert and --client-key).
    #[arg(long, value_enum)]
    pub(crate) client_auth: Option<ClientAuth>,
    /// How to get tokens: through the browser (authorization-code), with a
    /// code typed on another device (device), or as the client itself
    /// (client-credentials).
    #[arg(long, value_enum)]
    pub(crate) grant: Option<GrantArg>,
    /// Device flow: do not open a browser; only print the code and the URI.
    #[arg(long)]
    pub(crate) no_browser: bool,
    /// The client certificate (PEM) for mutual TLS; its key goes to the OS keyring.
    #[arg(long, requires = "client_key")]
    pub(crate) client_cert: Option<std::path::PathBuf>,
    /// The client certificate's private key (PEM), stored in the OS keyring only.
    #[arg(long, requires = "client_cert")]
    pub(crate) client_key: Option<std::path::PathBuf>,
    /// Push the authorization request first (PAR, RFC 9126).
    #[arg(long)]
    pub(crate) par: bool,
    /// Bind tokens to a DPoP key kept in the OS keyring (RFC 9449).
    #[arg(long)]
    pub(crate) dpop: bool,
    /// The DPoP key's algorithm, when it is made.
    #[arg(long, value_parser = parse_alg, requires = "dpop")]
    pub(crate) dpop_alg: Option<KeyAlg>,
    /// Send the authorization request as a request object signed with the
    /// client key (JAR, RFC 9101); needs --client-auth private-key-jwt.
    #[arg(long)]
    pub(crate) request_object: bool,
    /// `jwt`: the authorization response as a signed JWT (JARM), checked
    /// before its code is used.
    #[arg(long, value_enum)]
    pub(crate) response_mode: Option<ResponseModeArg>,
    /// The `aud` of client assertions: the issuer (default) or the token endpoint URL.
    #[arg(long, value_enum)]
    pub(crate) assertion_audience: Option<AssertionAudienceArg>,
    /// Space-separated scopes (openid is always included).
    #[arg(long)]
    pub(crate) scope: Option<String>,
    /// Loopback redirect port on 127.0.0.1 (0 = any free port).
    #[arg(long)]
    pub(crate) redirect_port: Option<u16>,
    /// Loopback redirect path.
    #[arg(long)]
    pub(crate) redirect_path: Option<String>,
    /// A private-use URI scheme redirect such as dev.tessera.app:/callback,
    /// received by the desktop app only (for `profiles save`).
    #[arg(long, conflicts_with_all = ["redirect_port", "redirect_path"])]
    pub(crate) redirect_uri: Option<String>,
    /// Command that opens the sign-in URL (the URL is appended), instead of the system browser.
    #[arg(long)]
    pub(crate) browser: Option<String>,
    /// Seconds allowed for the whole sign-in.
    #[arg(long)]
    pub(crate) timeout: Option<u64>,
    /// `prompt` parameter (login, consent, select_account, none).
    #[arg(long)]
    pub(crate) prompt: Option<String>,
    /// `max_age` parameter, seconds.
    #[arg(long)]
    pub(crate) max_age: Option<u64>,
    /// `acr_values` parameter.
    #[arg(long)]
    pub(crate) acr_values: Option<String>,
    /// `ui_locales` parameter.
    #[arg(long)]
    pub(crate) ui_locales: Option<String>,
    /// `login_hint` parameter.
    #[arg(long)]
    pub(crate) login_hint: Option<String>,
    /// `claims` parameter (a JSON object).
    #[arg(long)]
    pub(crate) claims: Option<String>,
    /// RFC 8707 resource indicator (repeatable).
    #[arg(long)]
    pub(crate) resource: Vec<String>,
    /// For a multi-tenant issuer (Entra's common endpoint): a tenant id whose
    /// tokens are accepted (repeatable; none accepts any tenant).
    #[arg(long = "tenant")]
    pub(crate) tenants: Vec<String>,
    /// `audience` parameter.
    #[arg(long)]
    pub(crate) audience: Option<String>,
    /// Extra CA certificate (PEM) for a development provider.
    #[arg(long)]
    pub(crate) ca_file: Option<std::path::PathBuf>,
    /// Allow plain http to a non-loopback provider.
    #[arg(long)]
    pub(crate) allow_insecure_http: bool,
    /// Registered post-logout redirect URI, used by `logout --end-session`.
    #[arg(long)]
    pub(crate) post_logout_redirect_uri: Option<String>,
    /// Print the result as one JSON object (includes the access token).
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ClientAuth {
    None,
    Basic,
    Post,
    ClientSecretJwt,
    PrivateKeyJwt,
    Tls,
    SelfSignedTls,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum GrantArg {
    AuthorizationCode,
    Device,
    ClientCredentials,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ResponseModeArg {
    Query,
    Jwt,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum AssertionAudienceArg {
    Issuer,
    TokenEndpoint,
}
