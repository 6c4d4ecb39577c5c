//! `gocua-server`: see `gocua-server --help`.

use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "gocua_server=info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    gocua_server::cli::run(gocua_server::cli::Cli::parse()).await
}
